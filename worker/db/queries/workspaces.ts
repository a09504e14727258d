// Workspaces: the first one of an instance (the first-run setup), their settings, their identity
// and webhook secrets, and the users an owner can be chosen from (deactivated ones are listed, marked, so a
// contact can still show its deactivated owner; they are not offered for new assignments).
import { and, asc, eq } from 'drizzle-orm'
import type { Db } from '../client'
import { users, workspaces } from '../schema'
import { firstWorkspaceQueries, type FirstWorkspace } from './first-workspace'

export type WorkspaceRow = typeof workspaces.$inferSelect

/** The settings an admin changes (the identity secret has its own verb). */
export type WorkspaceSettings = Pick<WorkspaceRow, 'name' | 'timeZone' | 'weekStartsOn' | 'senderName' | 'honorPrivacySignals'>

/** True once any user exists: the instance is set up and the setup is closed. */
export async function instanceHasUsers(db: Db): Promise<boolean> {
  const rows = await db.select({ id: users.id }).from(users).limit(1)
  return rows.length > 0
}

/** Runs the first-run statements in one batch; false when the instance was already set up (nothing written). */
export async function createFirstWorkspace(db: Db, first: FirstWorkspace): Promise<boolean> {
  const d1 = db.$client
  await d1.batch(firstWorkspaceQueries(first).map((query) => d1.prepare(query.sql).bind(...query.params)))
  const created = await db.select({ id: users.id }).from(users).where(eq(users.id, first.admin.id)).limit(1)
  return created.length > 0
}

export async function findWorkspace(db: Db, id: string): Promise<WorkspaceRow | null> {
  const rows = await db.select().from(workspaces).where(eq(workspaces.id, id)).limit(1)
  return rows[0] ?? null
}

export async function updateWorkspace(db: Db, id: string, values: Partial<WorkspaceSettings>): Promise<WorkspaceRow | null> {
  if (Object.keys(values).length === 0) return findWorkspace(db, id)
  const [row] = await db.update(workspaces).set(values).where(eq(workspaces.id, id)).returning()
  return row ?? null
}

/** The workspace's HMAC keys: `identity` signs identify calls, `webhook` the campaigns' webhook calls. */
export type WorkspaceSecret = 'identity' | 'webhook'

export async function setWorkspaceSecret(
  db: Db,
  id: string,
  which: WorkspaceSecret,
  secret: string,
  at: number,
): Promise<WorkspaceRow | null> {
  const values =
    which === 'identity' ? { identitySecret: secret, identitySecretCreatedAt: at } : { webhookSecret: secret, webhookSecretCreatedAt: at }
  const [row] = await db.update(workspaces).set(values).where(eq(workspaces.id, id)).returning()
  return row ?? null
}

/** The display name delivery puts in an alert's From ('' = keep MAIL_FROM's own name). */
export async function workspaceSenderName(db: Db, id: string): Promise<string> {
  const rows = await db.select({ senderName: workspaces.senderName }).from(workspaces).where(eq(workspaces.id, id)).limit(1)
  return rows[0]?.senderName ?? ''
}

type UserColumns = typeof users.$inferSelect

export type WorkspaceUser = Pick<UserColumns, 'id' | 'email' | 'name' | 'role' | 'status'>

/** The workspace's users, deactivated ones included (with their status), by name and e-mail. */
export async function workspaceUsers(db: Db, workspaceId: string): Promise<WorkspaceUser[]> {
  return db
    .select({ id: users.id, email: users.email, name: users.name, role: users.role, status: users.status })
    .from(users)
    .where(eq(users.workspaceId, workspaceId))
    .orderBy(asc(users.name), asc(users.email))
}

/** The status of the workspace's user with this id; null when the workspace has no such user. */
export async function workspaceUserStatus(db: Db, workspaceId: string, userId: string): Promise<UserColumns['status'] | null> {
  const rows = await db
    .select({ status: users.status })
    .from(users)
    .where(and(eq(users.workspaceId, workspaceId), eq(users.id, userId)))
    .limit(1)
  return rows[0]?.status ?? null
}
