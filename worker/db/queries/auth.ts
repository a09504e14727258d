// Admin authentication: users by e-mail, web sessions and API tokens. Sessions and tokens are
// found by the SHA-256 of the secret the client holds (worker/auth/secret-token.ts).
import { and, desc, eq, gt, sql } from 'drizzle-orm'
import type { Db } from '../client'
import { apiTokens, sessions, users, type Role } from '../schema'

export type AuthUser = { id: string; workspaceId: string; email: string; name: string; role: Role }

const userColumns = { id: users.id, workspaceId: users.workspaceId, email: users.email, name: users.name, role: users.role }

/** Every account with this e-mail, lower-cased (one per workspace), with the stored password hash. */
export async function usersForLogin(db: Db, email: string) {
  return db
    .select({ ...userColumns, passwordHash: users.passwordHash })
    .from(users)
    .where(eq(sql`lower(${users.email})`, email))
}

export async function createSession(db: Db, row: { tokenHash: string; user: AuthUser; expiresAt: number }) {
  await db
    .insert(sessions)
    .values({ tokenHash: row.tokenHash, userId: row.user.id, workspaceId: row.user.workspaceId, expiresAt: row.expiresAt })
}

export async function userBySession(db: Db, tokenHash: string, now: number): Promise<AuthUser | null> {
  const rows = await db
    .select(userColumns)
    .from(sessions)
    .innerJoin(users, and(eq(users.id, sessions.userId), eq(users.workspaceId, sessions.workspaceId)))
    .where(and(eq(sessions.tokenHash, tokenHash), gt(sessions.expiresAt, now)))
    .limit(1)
  return rows[0] ?? null
}

export async function deleteSession(db: Db, tokenHash: string) {
  await db.delete(sessions).where(eq(sessions.tokenHash, tokenHash))
}

export async function createApiToken(db: Db, row: { id: string; tokenHash: string; user: AuthUser; name: string }) {
  await db
    .insert(apiTokens)
    .values({ id: row.id, tokenHash: row.tokenHash, userId: row.user.id, workspaceId: row.user.workspaceId, name: row.name })
}

export async function userByApiToken(db: Db, tokenHash: string): Promise<(AuthUser & { tokenId: string }) | null> {
  const rows = await db
    .select({ ...userColumns, tokenId: apiTokens.id })
    .from(apiTokens)
    .innerJoin(users, and(eq(users.id, apiTokens.userId), eq(users.workspaceId, apiTokens.workspaceId)))
    .where(eq(apiTokens.tokenHash, tokenHash))
    .limit(1)
  return rows[0] ?? null
}

export async function touchApiToken(db: Db, id: string, at: number) {
  await db.update(apiTokens).set({ lastUsedAt: at }).where(eq(apiTokens.id, id))
}

export async function listApiTokens(db: Db, workspaceId: string, userId: string) {
  return db
    .select({ id: apiTokens.id, name: apiTokens.name, createdAt: apiTokens.createdAt, lastUsedAt: apiTokens.lastUsedAt })
    .from(apiTokens)
    .where(and(eq(apiTokens.workspaceId, workspaceId), eq(apiTokens.userId, userId)))
    .orderBy(desc(apiTokens.createdAt))
}

export async function deleteApiToken(db: Db, workspaceId: string, userId: string, id: string) {
  await db.delete(apiTokens).where(and(eq(apiTokens.workspaceId, workspaceId), eq(apiTokens.userId, userId), eq(apiTokens.id, id)))
}
