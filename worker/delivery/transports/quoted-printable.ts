// Quoted-printable (RFC 2045 §6.7) for the text and HTML parts: readable in the raw message,
// as mail clients and filters expect of text, and never a line over 76 characters. Line breaks
// stay line breaks (CRLF); a line starting with "." is left as it is: the SMTP client
// dot-stuffs it (smtp-data.ts).

const MAX_LINE = 76

export function quotedPrintable(text: string): string {
  return text
    .replace(/\r\n|\r|\n/g, '\n')
    .split('\n')
    .map(encodeLine)
    .join('\r\n')
}

function encodeLine(line: string): string {
  const bytes = new TextEncoder().encode(line)
  const tokens: string[] = []
  bytes.forEach((byte, i) => {
    const last = i === bytes.length - 1
    // Spaces and tabs at the end of a line are lost in transport, so the last one is encoded.
    const literal = (byte >= 33 && byte <= 126 && byte !== 61) || ((byte === 32 || byte === 9) && !last)
    tokens.push(literal ? String.fromCharCode(byte) : `=${byte.toString(16).toUpperCase().padStart(2, '0')}`)
  })
  const out: string[] = []
  let current = ''
  for (const token of tokens) {
    // Room is kept for the "=" of a soft line break.
    if (current.length + token.length > MAX_LINE - 1) {
      out.push(`${current}=`)
      current = ''
    }
    current += token
  }
  out.push(current)
  return out.join('\r\n')
}
