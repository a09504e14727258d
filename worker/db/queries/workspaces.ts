// Workspaces: the first one of an instance (the first-run setup), their settings, their identity
// secret, and the users an owner can be chosen from.
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

export async function setIdentitySecret(db: Db, id: string, secret: string, at: number): Promise<WorkspaceRow | null> {
  const [row] = await db
    .update(workspaces)
    .set({ identitySecret: secret, identitySecretCreatedAt: at })
    .where(eq(workspaces.id, id))
    .returning()
  return row ?? null
}

/** The display name delivery puts in an alert's From ('' = keep MAIL_FROM's own name). */
export async function workspaceSenderName(db: Db, id: string): Promise<string> {
  const rows = await db.select({ senderName: workspaces.senderName }).from(workspaces).where(eq(workspaces.id, id)).limit(1)
  return rows[0]?.senderName ?? ''
}

export type WorkspaceUser = { id: string; email: string; name: string; role: (typeof users.$inferSelect)['role'] }

/** The workspace's users, for choosing an owner. */
export async function workspaceUsers(db: Db, workspaceId: string): Promise<WorkspaceUser[]> {
  return db
    .select({ id: users.id, email: users.email, name: users.name, role: users.role })
    .from(users)
    .where(eq(users.workspaceId, workspaceId))
    .orderBy(asc(users.name), asc(users.email))
}

export async function isWorkspaceUser(db: Db, workspaceId: string, userId: string): Promise<boolean> {
  const rows = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.workspaceId, workspaceId), eq(users.id, userId)))
    .limit(1)
  return rows.length > 0
}
