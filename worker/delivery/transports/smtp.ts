// The SMTP transport: the message built by mime.ts, handed to the server named by SMTP_URL
// (smtp-settings.ts) by our own client over cloudflare:sockets (smtp-client.ts). Not
// idempotent: an SMTP server cannot dedupe, so an interrupted send is never repeated.
import { buildMime } from './mime'
import { parseMailbox } from './mailbox'
import { sendMail, SmtpRefusal, type SmtpTimeouts } from './smtp-client'
import { smtpSettings } from './smtp-settings'
import { DeliveryError, type OutgoingMessage, type Transport } from './transport'

/** `timeouts` are for tests that make a server hang; delivery uses the client's defaults. */
export function smtpTransport(smtpUrl: string, timeouts?: SmtpTimeouts): Transport {
  return {
    name: 'smtp',
    idempotent: false,
    async send(message: OutgoingMessage) {
      const from = parseMailbox(message.from).email
      try {
        const settings = smtpSettings(smtpUrl, from, timeouts)
        await sendMail(settings, { from, to: [...message.to, ...message.cc] }, buildMime(message))
      } catch (err) {
        throw asDeliveryError(err)
      }
    },
  }
}

/**
 * A refusal is temporary for a 4xx reply and permanent for a 5xx (a refused recipient, message
 * or login), and names the recipient refused at RCPT TO, so the others can still be sent to.
 * Everything else — time-outs, a refused or dropped connection, TLS — is temporary.
 */
function asDeliveryError(err: unknown): DeliveryError {
  const text = `smtp: ${err instanceof Error ? err.message : String(err)}`.slice(0, 400)
  if (err instanceof SmtpRefusal) return new DeliveryError(text, err.temporary, err.recipient)
  return new DeliveryError(text, true)
}
