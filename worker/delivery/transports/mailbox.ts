// Mailboxes as configuration writes them ("Pagebell <alerts@example.com>" or a bare address):
// the address for the SMTP envelope, and a From header value whose display name is an RFC 2047
// encoded word, so no configured text can break the header or add one.
import { encodeWords } from './header-words'

export type Mailbox = { name?: string; email: string }

export function parseMailbox(value: string): Mailbox {
  const m = /^\s*(.*?)\s*<([^<>]+)>\s*$/.exec(value)
  const name = m?.[1]?.replace(/^"(.*)"$/, '$1')
  return m ? { name: name || undefined, email: m[2]!.trim() } : { email: value.trim() }
}

/** The header form: `Name <addr>` with the name encoded (always, so its specials need no quoting). */
export function formatMailbox(mailbox: Mailbox): string {
  return mailbox.name ? `${encodeWords(mailbox.name, { always: true })} <${mailbox.email}>` : mailbox.email
}

/** The domain of an address, for EHLO and Message-ID; `localhost` when it has none a server would take. */
export function mailDomain(email: string): string {
  const domain = email.split('@').at(-1) ?? ''
  return email.includes('@') && /^[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$/.test(domain) ? domain : 'localhost'
}
