// The message as it goes after DATA (RFC 5321 §4.5.2): every line break CRLF (a bare CR or LF
// would be read differently by each server), a line starting with "." gets one more "." (the
// server takes it off), and the end is a line holding only ".". Without the stuffing a body
// line "." would end the message early and the rest be read as commands.

export function dataBlock(message: string): string {
  const lines = message.replace(/\r\n|\r|\n/g, '\n').split('\n')
  if (lines.at(-1) === '') lines.pop()
  return `${lines.map((line) => (line.startsWith('.') ? `.${line}` : line)).join('\r\n')}\r\n.\r\n`
}
