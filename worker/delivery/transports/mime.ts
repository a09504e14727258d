// A raw RFC 5322 message for transports that take one (Cloudflare `send_email`): text and HTML
// alternatives plus attachments, every body base64, every header value single-line and
// encoded-word when not plain ASCII, so no content can add a header.
import { base64Utf8 } from './base64'
import { ALERT_KEY_HEADER, type OutgoingMessage } from './transport'

const oneLine = (s: string) => s.replace(/[\r\n]+/g, ' ')
const encodeWord = (s: string) => (/^[\x20-\x7e]*$/.test(s) ? s : `=?UTF-8?B?${base64Utf8(s)}?=`)
const wrap76 = (b64: string) => b64.replace(/.{1,76}/g, '$&\r\n')

export function buildMime(message: OutgoingMessage, messageId: string): string {
  const boundary = `pb-${crypto.randomUUID()}`
  const alt = `pb-alt-${crypto.randomUUID()}`
  const headers = [
    `From: ${oneLine(message.from)}`,
    `To: ${message.to.map(oneLine).join(', ')}`,
    ...(message.cc.length ? [`Cc: ${message.cc.map(oneLine).join(', ')}`] : []),
    `Subject: ${encodeWord(oneLine(message.subject))}`,
    `Message-ID: <${messageId}>`,
    `Date: ${new Date().toUTCString()}`,
    `${ALERT_KEY_HEADER}: ${oneLine(message.alertKey)}`,
    'MIME-Version: 1.0',
    `Content-Type: multipart/mixed; boundary="${boundary}"`,
  ]
  const part = (type: string, body: string, extra: string[] = []) =>
    [`Content-Type: ${type}`, 'Content-Transfer-Encoding: base64', ...extra, '', wrap76(base64Utf8(body))].join('\r\n')
  const alternative = [
    `Content-Type: multipart/alternative; boundary="${alt}"`,
    '',
    `--${alt}`,
    part('text/plain; charset=utf-8', message.text),
    `--${alt}`,
    part('text/html; charset=utf-8', message.html),
    `--${alt}--`,
  ].join('\r\n')
  const attachments = message.attachments.map((a) =>
    part(`${a.mimeType}; charset=utf-8`, a.content, [
      `Content-Disposition: attachment; filename="${a.filename.replace(/["\r\n\\]/g, '_')}"`,
    ]),
  )
  return [...headers, '', `--${boundary}`, alternative, ...attachments.flatMap((p) => [`--${boundary}`, p]), `--${boundary}--`, ''].join(
    '\r\n',
  )
}
