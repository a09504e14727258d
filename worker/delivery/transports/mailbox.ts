// Mailboxes as configuration writes them ("Pagebell <alerts@example.com>" or a bare address):
// the address for the SMTP envelope, and a From header value whose display name is a quoted
// string when plain ASCII and RFC 2047 encoded words otherwise, so no configured text can break
// the header or add one.
import { encodeWords } from './header-words'

export type Mailbox = { name?: string; email: string }

export function parseMailbox(value: string): Mailbox {
  const m = /^\s*(.*?)\s*<([^<>]+)>\s*$/.exec(value)
  const name = m?.[1]?.replace(/^"(.*)"$/, '$1')
  return m ? { name: name || undefined, email: m[2]!.trim() } : { email: value.trim() }
}

/** The header form: `"Name" <addr>` for a plain ASCII name, else the name as encoded words. */
export function formatMailbox(mailbox: Mailbox): string {
  if (!mailbox.name) return mailbox.email
  const plain = /^[\x20-\x7e]{1,70}$/.test(mailbox.name) && !/["\\]|=\?/.test(mailbox.name)
  return `${plain ? `"${mailbox.name}"` : encodeWords(mailbox.name, { always: true })} <${mailbox.email}>`
}

/** The domain of an address, for EHLO and Message-ID; `localhost` when it has none a server would take. */
export function mailDomain(email: string): string {
  const domain = email.split('@').at(-1) ?? ''
  return email.includes('@') && /^[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$/.test(domain) ? domain : 'localhost'
}
