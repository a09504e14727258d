// A Resend-compatible e-mail API (POST /emails). The alert key goes as `Idempotency-Key`, so
// the provider delivers a retried or re-sent alert once: this transport is idempotent.
import { base64Utf8 } from './base64'
import { postJson } from './http-post'
import { ALERT_KEY_HEADER, type OutgoingMessage, type Transport } from './transport'

export function httpApiTransport(options: { url: string; apiKey: string }): Transport {
  return {
    name: 'http-api',
    idempotent: true,
    async send(message: OutgoingMessage) {
      const body = JSON.stringify({
        from: message.from,
        to: message.to,
        cc: message.cc.length ? message.cc : undefined,
        subject: message.subject,
        html: message.html,
        text: message.text,
        headers: { [ALERT_KEY_HEADER]: message.alertKey },
        attachments: message.attachments.length
          ? message.attachments.map((a) => ({ filename: a.filename, content: base64Utf8(a.content), content_type: a.mimeType }))
          : undefined,
      })
      await postJson('http-api', options.url, body, { authorization: `Bearer ${options.apiKey}`, 'idempotency-key': message.alertKey })
    },
  }
}
