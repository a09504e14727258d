// API tokens: created by a user in the admin UI, shown once, kept as a hash, acting as that
// user when sent as `Authorization: Bearer <token>`, within the token's scope
// (worker/auth/token-scopes.ts). A token stops working when its user is deactivated.
import { createDb } from '../db/client'
import { createApiToken, touchApiToken, userByApiToken, type AuthUser } from '../db/queries/auth'
import { newSecret, secretHash } from './secret-token'
import { scopesFor, type TokenScope } from './token-scopes'

const NAME_MAX = 80

/** Why a token name is refused, or null when it is fine. */
export const tokenNameError = (name: string): string | null =>
  !name || name.length > NAME_MAX || /\p{Cc}/u.test(name) ? `Give the token a name (1 to ${NAME_MAX} characters).` : null

/** Why this user may not give a token this scope, or null. */
export const tokenScopeError = (user: AuthUser, scope: TokenScope): string | null =>
  scopesFor(user.role).includes(scope) ? null : `Your role (${user.role}) can give a token the scopes ${scopesFor(user.role).join(', ')}.`

/**
 * A new API token for the user; the secret is shown once and only its hash is kept. `scope`
 * null makes a token without a scope (acting with the user's role), as tokens were before scopes.
 */
export async function issueApiToken(
  env: Env,
  user: AuthUser,
  name: string,
  scope: TokenScope | null = null,
): Promise<{ id: string; secret: string }> {
  const secret = newSecret('pbt_')
  const id = `tok_${crypto.randomUUID().replace(/-/g, '').slice(0, 16)}`
  await createApiToken(createDb(env.DB), { id, tokenHash: await secretHash(secret), user, name, scope })
  return { id, secret }
}

/** The user a token acts as and the token's scope, or null. `touch` records the use (the caller decides when it runs). */
export async function tokenUser(
  env: Env,
  secret: string,
): Promise<{ user: AuthUser; scope: TokenScope | null; touch: () => Promise<void> } | null> {
  const db = createDb(env.DB)
  const found = await userByApiToken(db, await secretHash(secret))
  if (!found) return null
  const { tokenId, scope, ...user } = found
  return { user, scope, touch: () => touchApiToken(db, tokenId, Date.now()) }
}
