// Who receives an alert: its creator ("me"), the contact's owner, and the CC list.
// The CC list is validated when an alert is saved (`validateAlertRecipients`, used by the admin
// API) and again when sent, so nothing odd reaches a header even if a row was written around
// the API. An address can never carry CR/LF, a comma, angle brackets or quotes.
import * as v from 'valibot'

export const CC_MAX_CHARS = 255
export const CC_MAX_ADDRESSES = 50

const Address = v.pipe(v.string(), v.maxLength(254), v.email())

export const isDeliverableAddress = (s: string): boolean => v.is(Address, s) && !/[\s,;<>"()\\]/.test(s)

export type CcParse = { ok: true; addresses: string[] } | { ok: false; reason: string }

/** Parses a comma-separated CC list as saved by a marketer. */
export function parseCcList(raw: string): CcParse {
  if (raw.length > CC_MAX_CHARS) return { ok: false, reason: `the CC list is over ${CC_MAX_CHARS} characters` }
  if (/[\r\n]/.test(raw)) return { ok: false, reason: 'the CC list contains a line break' }
  const parts = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
  if (parts.length > CC_MAX_ADDRESSES) return { ok: false, reason: `the CC list has more than ${CC_MAX_ADDRESSES} addresses` }
  const bad = parts.find((p) => !isDeliverableAddress(p))
  if (bad !== undefined) return { ok: false, reason: `not an e-mail address: ${JSON.stringify(bad.slice(0, 80))}` }
  return { ok: true, addresses: dedupe(parts) }
}

export type RecipientSettings = { notifyCreator: boolean; notifyOwner: boolean; cc: string }

/** Save-time check for the alert wizard: the CC list parses and somebody will receive the alert. */
export function validateAlertRecipients(input: RecipientSettings): { ok: true; cc: string } | { ok: false; reason: string } {
  const parsed = parseCcList(input.cc)
  if (!parsed.ok) return parsed
  if (!input.notifyCreator && !input.notifyOwner && parsed.addresses.length === 0)
    return { ok: false, reason: 'choose at least one recipient: me, the contact owner or a CC address' }
  // Stored normalised: trimmed, deduplicated, ", "-separated.
  return { ok: true, cc: parsed.addresses.join(', ') }
}

/** Case-insensitive; the first spelling of an address is kept. */
function dedupe(list: string[]): string[] {
  const seen = new Set<string>()
  return list.filter((a) => !seen.has(a.toLowerCase()) && seen.add(a.toLowerCase()))
}

export type Recipients = { to: string[]; cc: string[]; dropped: string[] }

/**
 * The primary recipients go in To, the CC list in Cc; an address is never listed twice.
 * Anything that fails validation now is left out and named in `dropped`, for the outbox.
 */
export function resolveRecipients(input: { creator: string | null; owner: string | null; cc: string }): Recipients {
  const dropped: string[] = []
  const primary = dedupe(
    [input.creator, input.owner].filter((a): a is string => {
      if (!a) return false
      if (isDeliverableAddress(a)) return true
      dropped.push(`invalid primary address ${JSON.stringify(a.slice(0, 80))}`)
      return false
    }),
  )
  const parsed = parseCcList(input.cc)
  if (!parsed.ok) dropped.push(`CC list ignored: ${parsed.reason}`)
  const seen = new Set(primary.map((a) => a.toLowerCase()))
  const cc = parsed.ok ? parsed.addresses.filter((a) => !seen.has(a.toLowerCase())) : []
  // With no primary recipient the CC list becomes the To list rather than losing the alert.
  return primary.length ? { to: primary, cc, dropped } : { to: cc, cc: [], dropped }
}
