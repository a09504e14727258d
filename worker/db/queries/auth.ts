// Admin authentication: users by e-mail, web sessions and API tokens. Sessions and tokens are
// found by the SHA-256 of the secret the client holds (worker/auth/secret-token.ts), and only
// for a user whose status is `active`: a deactivated user's leftovers open nothing, whatever
// the order in which its rows are cleaned up.
import { and, count, desc, eq, gt, ne, sql } from 'drizzle-orm'
import type { Db } from '../client'
import { apiTokens, sessions, users, type Role } from '../schema'

export type AuthUser = { id: string; workspaceId: string; email: string; name: string; role: Role }

export type TokenScope = NonNullable<(typeof apiTokens.$inferSelect)['scope']>

const userColumns = { id: users.id, workspaceId: users.workspaceId, email: users.email, name: users.name, role: users.role }

const active = eq(users.status, 'active')

/** Every active account with this e-mail, lower-cased (one per workspace), with the stored password hash. */
export async function usersForLogin(db: Db, email: string) {
  return db
    .select({ ...userColumns, passwordHash: users.passwordHash })
    .from(users)
    .where(and(eq(sql`lower(${users.email})`, email), active))
}

export async function createSession(db: Db, row: { id: string; tokenHash: string; user: AuthUser; expiresAt: number; userAgent: string }) {
  await db.insert(sessions).values({
    id: row.id,
    tokenHash: row.tokenHash,
    userId: row.user.id,
    workspaceId: row.user.workspaceId,
    expiresAt: row.expiresAt,
    userAgent: row.userAgent,
  })
}

export type SessionUser = AuthUser & { sessionId: string; lastSeenAt: number | null; createdAt: number }

export async function userBySession(db: Db, tokenHash: string, now: number): Promise<SessionUser | null> {
  const rows = await db
    .select({ ...userColumns, sessionId: sessions.id, lastSeenAt: sessions.lastSeenAt, createdAt: sessions.createdAt })
    .from(sessions)
    .innerJoin(users, and(eq(users.id, sessions.userId), eq(users.workspaceId, sessions.workspaceId)))
    .where(and(eq(sessions.tokenHash, tokenHash), gt(sessions.expiresAt, now), active))
    .limit(1)
  return rows[0] ?? null
}

export async function touchSession(db: Db, id: string, at: number) {
  await db.update(sessions).set({ lastSeenAt: at }).where(eq(sessions.id, id))
}

export async function deleteSession(db: Db, tokenHash: string) {
  await db.delete(sessions).where(eq(sessions.tokenHash, tokenHash))
}

export type SessionRow = { id: string; userAgent: string; createdAt: number; lastSeenAt: number | null; expiresAt: number }

/** A user's unexpired sessions, the most recent first. */
export async function listSessions(db: Db, workspaceId: string, userId: string, now: number): Promise<SessionRow[]> {
  return db
    .select({
      id: sessions.id,
      userAgent: sessions.userAgent,
      createdAt: sessions.createdAt,
      lastSeenAt: sessions.lastSeenAt,
      expiresAt: sessions.expiresAt,
    })
    .from(sessions)
    .where(and(eq(sessions.workspaceId, workspaceId), eq(sessions.userId, userId), gt(sessions.expiresAt, now)))
    .orderBy(desc(sql`coalesce(${sessions.lastSeenAt}, ${sessions.createdAt})`))
}

/** Ends one session of the user; false when it has no such session. */
export async function deleteSessionById(db: Db, workspaceId: string, userId: string, id: string): Promise<boolean> {
  const rows = await db
    .delete(sessions)
    .where(and(eq(sessions.workspaceId, workspaceId), eq(sessions.userId, userId), eq(sessions.id, id)))
    .returning({ id: sessions.id })
  return rows.length > 0
}

/** Ends every session of the user but `keep` (the caller's own, when it signs out its other devices); says how many. */
export async function deleteUserSessions(db: Db, workspaceId: string, userId: string, keep?: string): Promise<number> {
  const rows = await db
    .delete(sessions)
    .where(and(eq(sessions.workspaceId, workspaceId), eq(sessions.userId, userId), keep ? ne(sessions.id, keep) : undefined))
    .returning({ id: sessions.id })
  return rows.length
}

export async function createApiToken(
  db: Db,
  row: { id: string; tokenHash: string; user: AuthUser; name: string; scope: TokenScope | null },
) {
  await db.insert(apiTokens).values({
    id: row.id,
    tokenHash: row.tokenHash,
    userId: row.user.id,
    workspaceId: row.user.workspaceId,
    name: row.name,
    scope: row.scope,
  })
}

export async function userByApiToken(
  db: Db,
  tokenHash: string,
): Promise<(AuthUser & { tokenId: string; scope: TokenScope | null }) | null> {
  const rows = await db
    .select({ ...userColumns, tokenId: apiTokens.id, scope: apiTokens.scope })
    .from(apiTokens)
    .innerJoin(users, and(eq(users.id, apiTokens.userId), eq(users.workspaceId, apiTokens.workspaceId)))
    .where(and(eq(apiTokens.tokenHash, tokenHash), active))
    .limit(1)
  return rows[0] ?? null
}

export async function touchApiToken(db: Db, id: string, at: number) {
  await db.update(apiTokens).set({ lastUsedAt: at }).where(eq(apiTokens.id, id))
}

export async function listApiTokens(db: Db, workspaceId: string, userId: string) {
  return db
    .select({
      id: apiTokens.id,
      name: apiTokens.name,
      scope: apiTokens.scope,
      createdAt: apiTokens.createdAt,
      lastUsedAt: apiTokens.lastUsedAt,
    })
    .from(apiTokens)
    .where(and(eq(apiTokens.workspaceId, workspaceId), eq(apiTokens.userId, userId)))
    .orderBy(desc(apiTokens.createdAt))
}

export async function countApiTokens(db: Db, workspaceId: string, userId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(apiTokens)
    .where(and(eq(apiTokens.workspaceId, workspaceId), eq(apiTokens.userId, userId)))
  return row?.n ?? 0
}

export async function deleteApiToken(db: Db, workspaceId: string, userId: string, id: string) {
  await db.delete(apiTokens).where(and(eq(apiTokens.workspaceId, workspaceId), eq(apiTokens.userId, userId), eq(apiTokens.id, id)))
}
