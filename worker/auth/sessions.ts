// Web sessions: the secret goes in the browser's cookie, the database keeps only its hash.
import { createDb } from '../db/client'
import { createSession, deleteSession, userBySession, type AuthUser } from '../db/queries/auth'
import { newSecret, secretHash } from './secret-token'

export const SESSION_DAYS = 7
const DAY_MS = 86_400_000

/** A new session; the returned secret goes in the cookie and is never stored. */
export async function startSession(env: Env, user: AuthUser): Promise<{ secret: string; maxAgeSeconds: number }> {
  const secret = newSecret('pbs_')
  await createSession(createDb(env.DB), { tokenHash: await secretHash(secret), user, expiresAt: Date.now() + SESSION_DAYS * DAY_MS })
  return { secret, maxAgeSeconds: SESSION_DAYS * 86_400 }
}

/** The user of an unexpired session, or null. */
export async function sessionUser(env: Env, secret: string): Promise<AuthUser | null> {
  return userBySession(createDb(env.DB), await secretHash(secret), Date.now())
}

export async function endSession(env: Env, secret: string): Promise<void> {
  await deleteSession(createDb(env.DB), await secretHash(secret))
}
