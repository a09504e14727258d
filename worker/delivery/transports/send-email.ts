// Cloudflare Email Routing's `send_email` binding. It takes one envelope recipient per
// message, so the same raw message goes once per address. Locally the binding only writes an
// .eml file. Not idempotent: Cloudflare does not dedupe on our key.
import { EmailMessage } from 'cloudflare:email'
import { buildMime } from './mime'
import { parseMailbox } from './mailbox'
import { DeliveryError, type OutgoingMessage, type Transport } from './transport'

export function sendEmailTransport(binding: SendEmail): Transport {
  return {
    name: 'send-email',
    idempotent: false,
    async send(message: OutgoingMessage) {
      const from = parseMailbox(message.from).email
      const raw = buildMime(message)
      for (const to of [...message.to, ...message.cc]) {
        try {
          await binding.send(new EmailMessage(from, to, raw))
        } catch (err) {
          // The binding rejects unverified destinations and bad addresses outright.
          throw new DeliveryError(`send-email: ${err instanceof Error ? err.message : String(err)}`.slice(0, 300), false)
        }
      }
    },
  }
}
