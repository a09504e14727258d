// Logging in with an e-mail and a password.
import { createDb } from '../db/client'
import { usersForLogin, type AuthUser } from '../db/queries/auth'
import { verifyPassword } from './password'

/** A valid hash of a password nobody has, so an unknown e-mail costs as much time as a known one. */
const DECOY_HASH = 'pbkdf2-sha256$100000$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA='

/** The account this e-mail and password open, or null (without saying which part was wrong). */
export async function checkLogin(env: Env, email: string, password: string): Promise<AuthUser | null> {
  const candidates = await usersForLogin(createDb(env.DB), email.trim().toLowerCase())
  if (candidates.length === 0) {
    await verifyPassword(password, DECOY_HASH)
    return null
  }
  for (const { passwordHash, ...user } of candidates) {
    if (await verifyPassword(password, passwordHash)) return user
  }
  return null
}
