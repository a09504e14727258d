// SMTP replies (RFC 5321 §4.2) read out of the text a server sends: a reply is one line
// "250 ok", or several "250-first" … "250 last" that share one code. Pure: the socket side
// (smtp-connection.ts) pushes what it receives and takes whole replies out.

export type SmtpReply = {
  code: number
  /** The text of each line, without the code and its separator. */
  lines: string[]
}

/** Longest line accepted (RFC 5321 allows 512 octets); a server sending more is not speaking SMTP. */
const MAX_LINE = 4096

const REPLY_LINE = /^([2-5]\d\d)([ -]|$)(.*)$/

/** Collects received text and hands out the complete replies in it, in order. */
export class ReplyBuffer {
  private text = ''
  private lines: string[] = []

  push(received: string): void {
    this.text += received
    if (this.text.length > MAX_LINE && !this.text.includes('\n')) throw new Error('the server sent a line longer than 4096 characters')
  }

  /** True when received text is waiting that no reply has been taken out for yet. */
  get pending(): boolean {
    return this.text.length > 0 || this.lines.length > 0
  }

  /** The next complete reply, or null while more text is needed. Throws on a line that is not SMTP. */
  next(): SmtpReply | null {
    for (;;) {
      const end = this.text.indexOf('\n')
      if (end < 0) return null
      const line = this.text.slice(0, end).replace(/\r$/, '')
      this.text = this.text.slice(end + 1)
      const m = REPLY_LINE.exec(line)
      if (!m) throw new Error(`the server sent something that is not an SMTP reply: ${JSON.stringify(line.slice(0, 80))}`)
      this.lines.push(line)
      if (m[2] === '-') continue
      const reply = { code: Number(m[1]), lines: this.lines.map((l) => l.slice(4)) }
      if (this.lines.some((l) => l.slice(0, 3) !== m[1])) throw new Error(`a multi-line reply changed its code: ${this.lines.join(' | ')}`)
      this.lines = []
      return reply
    }
  }
}

/** A reply as one line of text for logs and outbox errors: "550 5.1.1 mailbox unavailable". */
export const replyText = (reply: SmtpReply) => `${reply.code} ${reply.lines.join(' ').trim()}`.trim()

/** The extensions an EHLO reply advertises (its lines after the first), keyword upper-cased → parameters. */
export function ehloExtensions(reply: SmtpReply): Map<string, string[]> {
  const extensions = new Map<string, string[]>()
  for (const line of reply.lines.slice(1)) {
    const [keyword, ...params] = line.trim().split(/\s+/)
    if (keyword)
      extensions.set(
        keyword.toUpperCase(),
        params.map((p) => p.toUpperCase()),
      )
  }
  return extensions
}
