// How many times anyone may try to log in: per account (the e-mail typed, whether or not an
// account has it, so the answer never tells which e-mails exist) and per client (its address as
// Cloudflare reports it). Every attempt counts when it is made, refused ones too, in fixed windows
// shared by all isolates (D1 `rate_counters`); a window ends LOGIN_LIMITS.windowMs after its first
// attempt, and more attempts do not extend it. A successful login clears its account's window and
// takes its own attempt back from the client's, so an office behind one address is limited only
// by its failed attempts.
//
// Why both: the account limit stops guessing one account's password from many addresses; the
// client limit stops one address trying a few passwords on many accounts. The price: someone who
// knows an e-mail can keep its account locked by failing on purpose (15 minutes at a time).
//
// Only SHA-256 digests are stored, never the e-mail or the address, and a row lives as long as
// its window. IPv6 clients are counted per /64, the block one customer usually holds.
import { createDb } from '../db/client'
import { clearCounter, hitCounters, uncount, type CounterState } from '../db/queries/rate-counters'
import { sha256Hex } from '../hex-digest'

export const LOGIN_LIMITS = { perAccount: 10, perClient: 30, windowMs: 15 * 60_000 }

export type LoginAdmission = { ok: true } | { ok: false; retryAfterSeconds: number }

const accountKey = async (email: string) => `login-account:${await sha256Hex(email.trim().toLowerCase())}`
const clientKey = async (client: string) => `login-client:${await sha256Hex(clientBlock(client))}`

/** The address a limit counts: an IPv4 address as is (also when IPv4-mapped), an IPv6 address by its first 64 bits. */
export function clientBlock(address: string): string {
  if (address.includes('.')) return address.slice(address.lastIndexOf(':') + 1)
  if (!address.includes(':')) return address
  const [head = '', tail] = address.toLowerCase().split('::')
  const left = head ? head.split(':') : []
  const right = tail ? tail.split(':') : []
  const groups = tail === undefined ? left : [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right]
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`
}

const retryAfter = (state: CounterState, now: number) => Math.max(1, Math.ceil((state.windowStart + LOGIN_LIMITS.windowMs - now) / 1000))

/**
 * Counts one login attempt for the e-mail typed and the client's address (null when the
 * platform gave none: only the account is counted then) and says whether it may be checked.
 */
export async function admitLoginAttempt(env: Env, email: string, client: string | null, now: number): Promise<LoginAdmission> {
  const hits = [{ key: await accountKey(email), windowMs: LOGIN_LIMITS.windowMs }]
  if (client) hits.push({ key: await clientKey(client), windowMs: LOGIN_LIMITS.windowMs })
  const [account, byClient] = await hitCounters(createDb(env.DB), hits, now)
  const over = [
    account && account.count > LOGIN_LIMITS.perAccount ? account : null,
    byClient && byClient.count > LOGIN_LIMITS.perClient ? byClient : null,
  ].filter((s) => s !== null)
  if (over.length === 0) return { ok: true }
  return { ok: false, retryAfterSeconds: Math.max(...over.map((s) => retryAfter(s, now))) }
}

/** A correct password: the account's attempts are forgotten, and this one no longer counts against the client. */
export async function loginSucceeded(env: Env, email: string, client: string | null): Promise<void> {
  const db = createDb(env.DB)
  await clearCounter(db, await accountKey(email))
  if (client) await uncount(db, await clientKey(client))
}
