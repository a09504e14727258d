// What the SMTP client's test servers (smtp-test-servers.ts, Node side) hand to the
// Workers-pool tests through vitest's `provide`/`inject`: their ports and the control URL.

export type SmtpTestServers = {
  silent: number
  dropInData: number
  multilineHelo: number
  starttlsInjection: number
  authPlain: number
  authLogin: number
  starttls: number
  implicitTls: number
  /** GET /accepted · GET /scripted · POST /silent/drop */
  controlUrl: string
}

/** What a real test server accepted: who logged in, whether the session was encrypted. */
export type AcceptedMail = { server: string; user: string | null; secure: boolean; envelopeTo: string[] }

/** What the scripted servers saw. */
export type ScriptedState = { silentConnections: number; multilineReceived: string[] }

export const TEST_SMTP_USER = { username: 'pagebell', password: 'sécret:@/' }

declare module 'vitest' {
  export interface ProvidedContext {
    smtpTestServers: SmtpTestServers
  }
}
