// The SMTP servers the SMTP client's tests talk to, besides the mail sink: the scripted ones
// that misbehave (scripted-smtp.ts), and real smtp-server instances that demand AUTH (PLAIN
// only, LOGIN only), offer STARTTLS, or speak TLS from the start, with a self-signed
// certificate (test-tls.ts) that the test configuration tells workerd to trust. A client that
// skips AUTH gets 530 at MAIL FROM (smtp-server's default). A small HTTP server lets a test
// drop the silent server's connections and read what the real ones accepted.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { SMTPServer, type SMTPServerOptions } from 'smtp-server'
import { startScriptedSmtp } from './scripted-smtp'
import { TEST_SMTP_USER, type AcceptedMail, type ScriptedState, type SmtpTestServers } from './smtp-test-servers-context'
import { TEST_TLS_CERT, TEST_TLS_KEY } from './test-tls'

export async function startSmtpTestServers(): Promise<{ servers: SmtpTestServers; close(): Promise<void> }> {
  const accepted: AcceptedMail[] = []
  const silent = await startScriptedSmtp('silent')
  const dropInData = await startScriptedSmtp('drop-in-data')
  const multilineHelo = await startScriptedSmtp('multiline-helo')
  const starttlsInjection = await startScriptedSmtp('starttls-injection')

  const real = (server: string, options: SMTPServerOptions) =>
    new SMTPServer({
      logger: false,
      key: TEST_TLS_KEY,
      cert: TEST_TLS_CERT,
      ...options,
      onAuth(auth, _session, callback) {
        const ok = auth.username === TEST_SMTP_USER.username && auth.password === TEST_SMTP_USER.password
        callback(ok ? null : Object.assign(new Error('5.7.8 authentication failed'), { responseCode: 535 }), { user: auth.username })
      },
      onData(stream, session, callback) {
        stream.resume()
        stream.on('end', () => {
          const user = typeof session.user === 'string' ? session.user : null
          accepted.push({ server, user, secure: session.secure, envelopeTo: session.envelope.rcptTo.map((r) => r.address) })
          callback()
        })
      },
    })
  const servers = {
    authPlain: real('auth-plain', { authMethods: ['PLAIN'], allowInsecureAuth: true, disabledCommands: ['STARTTLS'] }),
    authLogin: real('auth-login', { authMethods: ['LOGIN'], allowInsecureAuth: true, disabledCommands: ['STARTTLS'] }),
    // AUTH only once the session is encrypted (smtp-server's default without allowInsecureAuth).
    starttls: real('starttls', { authMethods: ['PLAIN'] }),
    implicitTls: real('implicit-tls', { secure: true, authOptional: true, disabledCommands: ['AUTH'] }),
  }
  const ports: Record<string, number> = {}
  for (const [name, server] of Object.entries(servers)) {
    server.on('error', () => {})
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    ports[name] = (server.server.address() as AddressInfo).port
  }

  const control = createServer((req, res) => {
    const json = (body: unknown) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify(body))
    }
    if (req.url === '/accepted') return json(accepted)
    if (req.url === '/scripted')
      return json({ silentConnections: silent.connections(), multilineReceived: multilineHelo.received } satisfies ScriptedState)
    if (req.url === '/silent/drop' && req.method === 'POST') return json({ dropped: silent.dropHung() })
    res.writeHead(404).end()
  })
  await new Promise<void>((resolve) => control.listen(0, '127.0.0.1', resolve))

  return {
    servers: {
      silent: silent.port,
      dropInData: dropInData.port,
      multilineHelo: multilineHelo.port,
      starttlsInjection: starttlsInjection.port,
      authPlain: ports.authPlain!,
      authLogin: ports.authLogin!,
      starttls: ports.starttls!,
      implicitTls: ports.implicitTls!,
      controlUrl: `http://127.0.0.1:${(control.address() as AddressInfo).port}`,
    },
    async close() {
      await Promise.all([silent, dropInData, multilineHelo, starttlsInjection].map((s) => s.close()))
      await Promise.all(Object.values(servers).map((s) => new Promise<void>((resolve) => s.close(() => resolve()))))
      await new Promise<void>((resolve) => control.close(() => resolve()))
    },
  }
}
