// Where each recipient of an alert stands, kept on its outbox row: one refused address (a CC
// the server does not know) is failed on its own while the others get the alert, and a retry
// goes only to those still pending. The row's status is derived from these.
import type { RecipientOutcome } from '../db/schema'

export type { RecipientOutcome }
export type RecipientStatus = RecipientOutcome['status']

/** What an attempt did for one address. */
export type RecipientUpdate = { address: string; status: RecipientStatus; error: string | null }

const key = (address: string) => address.toLowerCase()

/** Recipients that need nothing more: delivered, refused for good, or folded into a digest. */
const DONE: ReadonlySet<RecipientStatus> = new Set(['sent', 'failed', 'digested'])

/** The resolved recipients this attempt still has to send to, in their order. */
export function stillToSend(resolved: string[], outcomes: RecipientOutcome[]): string[] {
  const done = new Set(outcomes.filter((o) => DONE.has(o.status)).map((o) => key(o.address)))
  return resolved.filter((a) => !done.has(key(a)))
}

/** The outcomes with `updates` applied (an address not seen yet is added), stamped `now`. */
export function withUpdates(outcomes: RecipientOutcome[], updates: RecipientUpdate[], now: number): RecipientOutcome[] {
  const next = outcomes.map((o) => ({ ...o }))
  for (const u of updates) {
    const found = next.find((o) => key(o.address) === key(u.address))
    if (found) Object.assign(found, { status: u.status, error: u.error, at: now })
    else next.push({ address: u.address, status: u.status, error: u.error, at: now })
  }
  return next
}

/** Every outcome now in `from` moved to `to` (an interrupted send, a re-send). */
export function moved(outcomes: RecipientOutcome[], from: RecipientStatus[], to: RecipientStatus, now: number): RecipientOutcome[] {
  return outcomes.map((o) => (from.includes(o.status) ? { ...o, status: to, at: now } : o))
}

/**
 * The row's status once an attempt is over: pending while anyone waits for a retry; else sent
 * when anyone got the alert itself, digested when it was only folded, failed when nobody got it.
 */
export function rowStatus(outcomes: RecipientOutcome[]): 'pending' | 'sent' | 'digested' | 'failed' {
  const has = (s: RecipientStatus) => outcomes.some((o) => o.status === s)
  if (has('pending')) return 'pending'
  if (has('sent')) return 'sent'
  if (has('digested')) return 'digested'
  return 'failed'
}

/**
 * The row's error: the one reason when every recipient not yet served has the same one and
 * nobody got it ("smtp: 451 ..."); else each address with its reason; null when nothing is wrong.
 */
export function rowError(outcomes: RecipientOutcome[]): string | null {
  const notSent = outcomes.filter((o) => (o.status === 'failed' || o.status === 'pending') && o.error !== null)
  if (notSent.length === 0) return null
  const reasons = new Set(notSent.map((o) => o.error))
  const anyServed = outcomes.some((o) => o.status === 'sent' || o.status === 'digested')
  if (reasons.size === 1 && !anyServed && notSent.length === outcomes.length) return notSent[0]!.error
  return notSent.map((o) => `${o.status === 'failed' ? 'not delivered to' : 'to retry for'} ${o.address}: ${o.error}`).join('; ')
}
