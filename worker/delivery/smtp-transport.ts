// SMTP over cloudflare:sockets (worker-mailer), to the server named by SMTP_URL:
// smtp://[user:pass@]host:port (STARTTLS when offered) or smtps://... (implicit TLS).
import { LogLevel, WorkerMailer } from 'worker-mailer'
import { DeliveryError, type OutgoingMessage, type Transport } from './transport'

export function smtpTransport(smtpUrl: string): Transport {
  const url = new URL(smtpUrl)
  const secure = url.protocol === 'smtps:'
  const options = {
    host: url.hostname,
    port: Number(url.port || (secure ? 465 : 587)),
    secure,
    startTls: !secure && url.searchParams.get('starttls') !== 'off',
    credentials: url.username ? { username: decodeURIComponent(url.username), password: decodeURIComponent(url.password) } : undefined,
    socketTimeoutMs: 10_000,
    responseTimeoutMs: 10_000,
    logLevel: LogLevel.ERROR,
  }
  return {
    name: 'smtp',
    idempotent: false,
    async send(message: OutgoingMessage) {
      try {
        await WorkerMailer.send(options, {
          from: parseMailbox(message.from),
          to: message.to,
          cc: message.cc.length ? message.cc : undefined,
          subject: message.subject,
          text: message.text,
          html: message.html,
          headers: { 'X-Pagebell-Alert-Key': message.alertKey },
          attachments: message.attachments.length ? message.attachments : undefined,
        })
      } catch (err) {
        throw classifySmtpError(err)
      }
    },
  }
}

/** SMTP 5xx replies are permanent; 4xx, time-outs and connection failures are temporary. */
export function classifySmtpError(err: unknown): DeliveryError {
  const text = err instanceof Error ? err.message : String(err)
  const code = /\b([45])\d\d\b/.exec(text)?.[1]
  return new DeliveryError(`smtp: ${text.slice(0, 300)}`, code !== '5')
}

/** "Name <addr@host>" or a bare address, as worker-mailer wants it. */
export function parseMailbox(value: string): { name?: string; email: string } {
  const m = /^\s*(.*?)\s*<([^<>]+)>\s*$/.exec(value)
  return m ? { name: m[1] || undefined, email: m[2]! } : { email: value.trim() }
}
