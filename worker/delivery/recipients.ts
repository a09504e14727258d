// Who receives an alert: its creator ("me"), the contact's owner, and the CC list.
// Addresses are validated here again (they were when saved) so nothing odd reaches a header.
import * as v from 'valibot'

export const CC_MAX_CHARS = 255

const Address = v.pipe(v.string(), v.maxLength(254), v.email())

export const isDeliverableAddress = (s: string): boolean => v.is(Address, s) && !/[\r\n,;<>"]/.test(s)

export type CcParse = { ok: true; addresses: string[] } | { ok: false; reason: string }

/** Parses a comma-separated CC list as saved by a marketer. */
export function parseCcList(raw: string): CcParse {
  if (raw.length > CC_MAX_CHARS) return { ok: false, reason: `the CC list is over ${CC_MAX_CHARS} characters` }
  if (/[\r\n]/.test(raw)) return { ok: false, reason: 'the CC list contains a line break' }
  const parts = raw.split(',').map((s) => s.trim()).filter(Boolean)
  const bad = parts.find((p) => !isDeliverableAddress(p))
  if (bad !== undefined) return { ok: false, reason: `not an e-mail address: ${JSON.stringify(bad.slice(0, 80))}` }
  return { ok: true, addresses: dedupe(parts) }
}

const dedupe = (list: string[]) => [...new Map(list.map((a) => [a.toLowerCase(), a])).values()]

export type Recipients = { to: string[]; cc: string[] }

/** The primary recipients go in To, the CC list in Cc; an address is never listed twice. */
export function resolveRecipients(input: { creator: string | null; owner: string | null; cc: string }): Recipients {
  const primary = dedupe([input.creator, input.owner].filter((a): a is string => !!a && isDeliverableAddress(a)))
  const parsed = parseCcList(input.cc)
  const seen = new Set(primary.map((a) => a.toLowerCase()))
  const cc = parsed.ok ? parsed.addresses.filter((a) => !seen.has(a.toLowerCase())) : []
  // With no primary recipient the CC list becomes the To list rather than losing the alert.
  return primary.length ? { to: primary, cc } : { to: cc, cc: [] }
}
