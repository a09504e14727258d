// A generic webhook: the alert as JSON, signed with HMAC-SHA256 over the exact body bytes
// (`X-Pagebell-Signature: sha256=<hex>`). Receivers dedupe on X-Pagebell-Alert-Key, which makes
// a re-send after an interrupted attempt harmless: the transport counts as idempotent.
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

export async function hmacSha256Hex(secret: string, body: string): Promise<string> {
  const enc = new TextEncoder()
  const key = await crypto.subtle.importKey('raw', enc.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, enc.encode(body)))
  return [...mac].map((b) => b.toString(16).padStart(2, '0')).join('')
}
