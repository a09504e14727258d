// The RFC 5322 message the SMTP and `send_email` transports send: text and HTML as
// multipart/alternative (quoted-printable), attachments (base64) around them in
// multipart/mixed, with Date and Message-ID. The only text that reaches a header is the
// subject and the sender's display name, both as encoded words; recipients are bare addresses;
// so no content can add a header or break the structure.
import { base64Utf8 } from './base64'
import { encodeWords } from './header-words'
import { formatMailbox, mailDomain, parseMailbox } from './mailbox'
import { quotedPrintable } from './quoted-printable'
import { ALERT_KEY_HEADER, type Attachment, type OutgoingMessage } from './transport'

const wrap76 = (b64: string) => b64.replace(/.{1,76}/g, '$&\r\n').replace(/\r\n$/, '')
/** A bare address on one line: a configured address never carries a line break, this makes sure. */
const address = (s: string) => s.replace(/[\s<>]+/g, '')
/** Attachment names are slugs already (content/attachment.ts); this keeps the quoting intact whatever comes. */
const fileName = (s: string) => s.replace(/[^\w.-]+/g, '_')

/** A Message-ID for a message from `from`: unique, under the sender's domain. */
export const newMessageId = (from: string) => `${crypto.randomUUID()}@${mailDomain(parseMailbox(from).email)}`

export function buildMime(message: OutgoingMessage, messageId = newMessageId(message.from)): string {
  const headers = [
    `From: ${formatMailbox(parseMailbox(message.from))}`,
    `To: ${message.to.map(address).join(', ')}`,
    ...(message.cc.length ? [`Cc: ${message.cc.map(address).join(', ')}`] : []),
    `Subject: ${encodeWords(message.subject)}`,
    `Date: ${new Date().toUTCString()}`,
    `Message-ID: <${messageId}>`,
    `${ALERT_KEY_HEADER}: ${message.alertKey.replace(/[^\x21-\x7e]/g, '')}`,
    'MIME-Version: 1.0',
  ]
  const alternative = multipart('alternative', [
    textPart('text/plain; charset=utf-8', message.text),
    textPart('text/html; charset=utf-8', message.html),
  ])
  const body = message.attachments.length ? multipart('mixed', [alternative, ...message.attachments.map(attachmentPart)]) : alternative
  return `${[...headers, body].join('\r\n')}\r\n`
}

/** A multipart entity: its Content-Type line, a blank line, then each part between boundaries. */
function multipart(subtype: 'alternative' | 'mixed', parts: string[]): string {
  const boundary = `pb-${subtype}-${crypto.randomUUID()}`
  return [
    `Content-Type: multipart/${subtype}; boundary="${boundary}"`,
    '',
    ...parts.flatMap((p) => [`--${boundary}`, p]),
    `--${boundary}--`,
  ].join('\r\n')
}

const textPart = (type: string, text: string) =>
  [`Content-Type: ${type}`, 'Content-Transfer-Encoding: quoted-printable', '', quotedPrintable(text)].join('\r\n')

function attachmentPart(a: Attachment): string {
  const name = fileName(a.filename)
  return [
    `Content-Type: ${a.mimeType}; charset=utf-8; name="${name}"`,
    'Content-Transfer-Encoding: base64',
    `Content-Disposition: attachment; filename="${name}"`,
    '',
    wrap76(base64Utf8(a.content)),
  ].join('\r\n')
}
