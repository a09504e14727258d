// Web sessions: the secret goes in the browser's cookie, the database keeps only its hash and
// names the session by an id of its own (`ses_…`) in lists and revocations. A session opens the
// admin only while its user is active; ending one (or all of a user's) takes effect on the next
// request, since every request looks its session up.
import { createDb } from '../db/client'
import {
  createSession,
  deleteSession,
  deleteSessionById,
  deleteUserSessions,
  listSessions,
  touchSession,
  userBySession,
  type AuthUser,
  type SessionRow,
} from '../db/queries/auth'
import { newSecret, secretHash } from './secret-token'

export const SESSION_DAYS = 7
const DAY_MS = 86_400_000

/** "Last seen" is written at most this often per session, not on every request. */
const TOUCH_EVERY_MS = 5 * 60_000

const USER_AGENT_MAX = 200

const randomHex = (bytes: number) =>
  Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, '0')).join('')

/** A new session; the returned secret goes in the cookie and is never stored. */
export async function startSession(
  env: Env,
  user: AuthUser,
  userAgent = '',
): Promise<{ id: string; secret: string; maxAgeSeconds: number }> {
  const secret = newSecret('pbs_')
  const id = `ses_${randomHex(8)}`
  await createSession(createDb(env.DB), {
    id,
    tokenHash: await secretHash(secret),
    user,
    expiresAt: Date.now() + SESSION_DAYS * DAY_MS,
    userAgent: userAgent.replace(/\p{Cc}/gu, ' ').slice(0, USER_AGENT_MAX),
  })
  return { id, secret, maxAgeSeconds: SESSION_DAYS * 86_400 }
}

/**
 * The active user of an unexpired session, or null. `touch` records the request as the
 * session's last sighting when the one on record is older than a few minutes (null otherwise);
 * the caller decides when it runs.
 */
export async function sessionUser(
  env: Env,
  secret: string,
  now = Date.now(),
): Promise<{ user: AuthUser; sessionId: string; touch: (() => Promise<void>) | null } | null> {
  const db = createDb(env.DB)
  const found = await userBySession(db, await secretHash(secret), now)
  if (!found) return null
  const { sessionId, lastSeenAt, createdAt, ...user } = found
  const stale = now - (lastSeenAt ?? createdAt) >= TOUCH_EVERY_MS
  return { user, sessionId, touch: stale ? () => touchSession(db, sessionId, now) : null }
}

export async function endSession(env: Env, secret: string): Promise<void> {
  await deleteSession(createDb(env.DB), await secretHash(secret))
}

/** The user's sessions that have not expired, the most recently used first. */
export function userSessions(env: Env, workspaceId: string, userId: string, now = Date.now()): Promise<SessionRow[]> {
  return listSessions(createDb(env.DB), workspaceId, userId, now)
}

/** Ends one of the user's sessions; false when the user has no session with this id. */
export function revokeSession(env: Env, workspaceId: string, userId: string, sessionId: string): Promise<boolean> {
  return deleteSessionById(createDb(env.DB), workspaceId, userId, sessionId)
}

/** Ends all the user's sessions but `keep`; says how many ended. */
export function revokeUserSessions(env: Env, workspaceId: string, userId: string, keep?: string): Promise<number> {
  return deleteUserSessions(createDb(env.DB), workspaceId, userId, keep)
}
