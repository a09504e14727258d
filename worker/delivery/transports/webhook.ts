// A generic webhook: the alert as JSON, signed with HMAC-SHA256 over the exact body bytes
// (`X-Pagebell-Signature: sha256=<hex>`). Receivers dedupe on X-Pagebell-Alert-Key, which makes
// a re-send after an interrupted attempt harmless: the transport counts as idempotent.
import { hmacSha256Hex } from '../../hex-digest'
import { postJson } from './http-post'
import { ALERT_KEY_HEADER, type OutgoingMessage, type Transport } from './transport'

export const SIGNATURE_HEADER = 'X-Pagebell-Signature'

export function webhookTransport(options: { url: string; secret: string }): Transport {
  return {
    name: 'webhook',
    idempotent: true,
    async send(message: OutgoingMessage) {
      const body = JSON.stringify({
        type: message.kind,
        alert_key: message.alertKey,
        subject: message.subject,
        to: message.to,
        cc: message.cc,
        text: message.text,
        data: message.data,
        sent_at: new Date().toISOString(),
      })
      await postJson('webhook', options.url, body, {
        [SIGNATURE_HEADER]: `sha256=${await hmacSha256Hex(options.secret, body)}`,
        [ALERT_KEY_HEADER]: message.alertKey,
      })
    },
  }
}
