// "Forgot your password?": a reset link is mailed to every active account with the e-mail typed
// (one per workspace at most). The answer is the same whether or not such an account exists, and
// the links are made after the answer is sent, so neither its words nor its timing tell which
// e-mails have accounts. Requests are limited per e-mail and per client, the same way for
// unknown e-mails, so the form cannot be used to flood someone's inbox.
import { createDb } from '../db/client'
import { hitCounters, type CounterState } from '../db/queries/rate-counters'
import { activeUsersByEmail } from '../db/queries/users'
import { sha256Hex } from '../hex-digest'
import { sendAccountLink } from './account-links'
import { clientBlock } from './login-limits'

export const RESET_LIMITS = { perAccount: 3, perClient: 20, windowMs: 60 * 60_000 }

export type ResetAdmission = { ok: true } | { ok: false; retryAfterSeconds: number }

const retryAfter = (state: CounterState, now: number) => Math.max(1, Math.ceil((state.windowStart + RESET_LIMITS.windowMs - now) / 1000))

/** Counts one reset request for the e-mail typed and the client's address, and says whether it may go ahead. */
export async function admitResetRequest(env: Env, email: string, client: string | null, now: number): Promise<ResetAdmission> {
  const hits = [{ key: `reset-account:${await sha256Hex(email.trim().toLowerCase())}`, windowMs: RESET_LIMITS.windowMs }]
  if (client) hits.push({ key: `reset-client:${await sha256Hex(clientBlock(client))}`, windowMs: RESET_LIMITS.windowMs })
  const [account, byClient] = await hitCounters(createDb(env.DB), hits, now)
  const over = [
    account && account.count > RESET_LIMITS.perAccount ? account : null,
    byClient && byClient.count > RESET_LIMITS.perClient ? byClient : null,
  ].filter((s) => s !== null)
  if (over.length === 0) return { ok: true }
  return { ok: false, retryAfterSeconds: Math.max(...over.map((s) => retryAfter(s, now))) }
}

/** Mails a reset link to each active account with this e-mail; says how many (for logs and tests, never for the answer). */
export async function sendPasswordResets(env: Env, email: string, origin: string, now: number): Promise<number> {
  const accounts = await activeUsersByEmail(createDb(env.DB), email.trim().toLowerCase())
  for (const user of accounts) await sendAccountLink(env, { user, purpose: 'reset', createdBy: null, origin, now })
  return accounts.length
}
