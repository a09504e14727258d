// SMTP over cloudflare:sockets (worker-mailer), to the server named by SMTP_URL:
// smtp://[user:pass@]host:port (STARTTLS when offered; ?starttls=off to skip) or smtps://... (implicit TLS).
// Not idempotent: an SMTP server cannot dedupe, so an interrupted send is never repeated.
import { LogLevel, WorkerMailer } from 'worker-mailer'
import { base64Utf8 } from './base64'
import { ALERT_KEY_HEADER, DeliveryError, type OutgoingMessage, type Transport } from './transport'

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
          headers: { [ALERT_KEY_HEADER]: message.alertKey },
          attachments: message.attachments.length
            ? message.attachments.map((a) => ({ filename: a.filename, content: base64Utf8(a.content), mimeType: a.mimeType }))
            : undefined,
        })
      } catch (err) {
        throw classifySmtpError(err)
      }
    },
  }
}

/**
 * SMTP 5xx replies (rejected recipient, refused message, failed login) are permanent; 4xx
 * replies, time-outs and connection failures are temporary. worker-mailer reports the server's
 * reply inside its error text, so the reply code is read from there.
 */
export function classifySmtpError(err: unknown): DeliveryError {
  const text = err instanceof Error ? err.message : String(err)
  const message = `smtp: ${text.slice(0, 300)}`
  if (/requires authentication|No supported auth method/i.test(text)) return new DeliveryError(message, false)
  const code = smtpReplyCode(text)
  return new DeliveryError(message, code === null || code < 500, refusedRecipient(text))
}

/**
 * The address a server refused at RCPT TO ("Invalid RCPT TO: <addr> 550 ..." in worker-mailer's
 * words). worker-mailer stops at the first refusal, before DATA, so nothing was delivered to anyone.
 */
export function refusedRecipient(text: string): string | undefined {
  return /Invalid RCPT TO: <([^<>\s]+)>/.exec(text)?.[1]
}

/** The first SMTP reply code in an error text, ignoring addresses and host:port pairs. */
export function smtpReplyCode(text: string): number | null {
  const withoutAddresses = text.replace(/<[^>]*>/g, ' ').replace(/[\w.-]+:\d+/g, ' ')
  const m = /(?:^|[\s:])([2-5]\d\d)(?=[\s-]|$)/.exec(withoutAddresses)
  return m ? Number(m[1]) : null
}

/** "Name <addr@host>" or a bare address, as worker-mailer wants it. */
export function parseMailbox(value: string): { name?: string; email: string } {
  const m = /^\s*(.*?)\s*<([^<>]+)>\s*$/.exec(value)
  return m ? { name: m[1] || undefined, email: m[2]! } : { email: value.trim() }
}
