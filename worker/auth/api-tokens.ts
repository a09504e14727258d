// API tokens: created by a user in the admin UI, shown once, kept as a hash, acting as that
// user (with the user's role) when sent as `Authorization: Bearer <token>`.
import { createDb } from '../db/client'
import { createApiToken, touchApiToken, userByApiToken, type AuthUser } from '../db/queries/auth'
import { newSecret, secretHash } from './secret-token'

const NAME_MAX = 80

/** Why a token name is refused, or null when it is fine. */
export const tokenNameError = (name: string): string | null =>
  !name || name.length > NAME_MAX || /\p{Cc}/u.test(name) ? `Give the token a name (1 to ${NAME_MAX} characters).` : null

/** A new API token for the user; the secret is shown once and only its hash is kept. */
export async function issueApiToken(env: Env, user: AuthUser, name: string): Promise<{ id: string; secret: string }> {
  const secret = newSecret('pbt_')
  const id = `tok_${crypto.randomUUID().replace(/-/g, '').slice(0, 16)}`
  await createApiToken(createDb(env.DB), { id, tokenHash: await secretHash(secret), user, name })
  return { id, secret }
}

/** The user a token acts as, or null. `touch` records the use (the caller decides when it runs). */
export async function tokenUser(env: Env, secret: string): Promise<{ user: AuthUser; touch: () => Promise<void> } | null> {
  const db = createDb(env.DB)
  const found = await userByApiToken(db, await secretHash(secret))
  if (!found) return null
  const { tokenId, ...user } = found
  return { user, touch: () => touchApiToken(db, tokenId, Date.now()) }
}
