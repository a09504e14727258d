// Logging in, sessions and API tokens: the secrets handed to clients and the hashed rows kept.
import { createDb } from '../db/client'
import { createApiToken, createSession, deleteSession, usersForLogin, type AuthUser } from '../db/queries/auth'
import { verifyPassword } from './password'
import { newSecret, secretHash } from './secret-token'

export const SESSION_DAYS = 7
const DAY_MS = 86_400_000

/** A valid hash of a password nobody has, so an unknown e-mail costs as much time as a known one. */
const DECOY_HASH = 'pbkdf2-sha256$100000$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA='

/** The account this e-mail and password open, or null (without saying which part was wrong). */
export async function checkLogin(env: Env, email: string, password: string): Promise<AuthUser | null> {
  const candidates = await usersForLogin(createDb(env.DB), email.trim().toLowerCase())
  if (candidates.length === 0) {
    await verifyPassword(password, DECOY_HASH)
    return null
  }
  for (const { passwordHash, ...user } of candidates) if (await verifyPassword(password, passwordHash)) return user
  return null
}

/** A new session; the returned secret goes in the cookie and is never stored. */
export async function startSession(env: Env, user: AuthUser): Promise<{ secret: string; maxAgeSeconds: number }> {
  const secret = newSecret('pbs_')
  await createSession(createDb(env.DB), { tokenHash: await secretHash(secret), user, expiresAt: Date.now() + SESSION_DAYS * DAY_MS })
  return { secret, maxAgeSeconds: SESSION_DAYS * 86_400 }
}

export async function endSession(env: Env, secret: string): Promise<void> {
  await deleteSession(createDb(env.DB), await secretHash(secret))
}

/** A new API token for the user; the secret is shown once and only its hash is kept. */
export async function issueApiToken(env: Env, user: AuthUser, name: string): Promise<{ id: string; secret: string }> {
  const secret = newSecret('pbt_')
  const id = `tok_${crypto.randomUUID().replace(/-/g, '').slice(0, 16)}`
  await createApiToken(createDb(env.DB), { id, tokenHash: await secretHash(secret), user, name })
  return { id, secret }
}
