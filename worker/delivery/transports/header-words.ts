// Header text as RFC 2047 encoded words ("=?UTF-8?B?…?="): any Unicode, no line break, quote or
// colon that could end the header or start another. Long text is cut into several words, one
// per folded line, each under 76 characters as the RFC asks.
import { base64Utf8 } from './base64'

/** UTF-8 bytes per word: 45 bytes are 60 base64 characters, 72 with the "=?UTF-8?B?…?=" around them. */
const WORD_BYTES = 45

/**
 * `text` on one line; left as it is when it is short printable ASCII (and `always` is not
 * set), else encoded. Line breaks in `text` become spaces first.
 */
export function encodeWords(text: string, options: { always?: boolean } = {}): string {
  const line = text.replace(/[\r\n]+/g, ' ')
  if (!options.always && /^[\x20-\x7e]{0,70}$/.test(line) && !line.includes('=?')) return line
  const words: string[] = []
  let chunk = ''
  for (const char of line) {
    if (chunk && utf8Length(chunk + char) > WORD_BYTES) {
      words.push(chunk)
      chunk = ''
    }
    chunk += char
  }
  if (chunk || words.length === 0) words.push(chunk)
  return words.map((w) => `=?UTF-8?B?${base64Utf8(w)}?=`).join('\r\n ')
}

const utf8Length = (s: string) => new TextEncoder().encode(s).length
