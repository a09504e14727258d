// Workspaces: the first one of an instance (the first-run setup), their settings, their identity
// secret, and the users an owner can be chosen from.
import { and, asc, eq, sql, type SQL } from 'drizzle-orm'
import { SQLiteSyncDialect } from 'drizzle-orm/sqlite-core'
import type { Db } from '../client'
import { users, workspaces } from '../schema'

export type WorkspaceRow = typeof workspaces.$inferSelect

/** The settings an admin changes (the identity secret has its own verb). */
export type WorkspaceSettings = Pick<WorkspaceRow, 'name' | 'timeZone' | 'weekStartsOn' | 'senderName' | 'honorPrivacySignals'>

export type FirstWorkspace = {
  workspace: Pick<WorkspaceRow, 'id' | 'name' | 'timeZone'>
  admin: { id: string; email: string; name: string; passwordHash: string }
}

/** True once any user exists: the instance is set up and the setup is closed. */
export async function instanceHasUsers(db: Db): Promise<boolean> {
  const rows = await db.select({ id: users.id }).from(users).limit(1)
  return rows.length > 0
}

/**
 * The first workspace and its admin as two statements that insert nothing once any user exists,
 * so two setups racing (or a setup racing the CLI) cannot both succeed: D1 runs a batch as one
 * transaction and the second finds the first one's user. Plain SQL so `npm run setup` can send
 * the very same statements through `wrangler d1 execute`.
 */
export function firstWorkspaceStatements({ workspace: w, admin: a }: FirstWorkspace): SQL[] {
  return [
    sql`INSERT INTO ${workspaces} (id, name, time_zone) SELECT ${w.id}, ${w.name}, ${w.timeZone} WHERE NOT EXISTS (SELECT 1 FROM ${users})`,
    sql`INSERT INTO ${users} (id, workspace_id, email, name, role, password_hash) SELECT ${a.id}, ${w.id}, ${a.email}, ${a.name}, 'admin', ${a.passwordHash} WHERE NOT EXISTS (SELECT 1 FROM ${users}) AND EXISTS (SELECT 1 FROM ${workspaces} WHERE id = ${w.id})`,
  ]
}

const dialect = new SQLiteSyncDialect()

/** The statements as SQL text with their parameters. */
export const firstWorkspaceQueries = (first: FirstWorkspace) =>
  firstWorkspaceStatements(first).map((statement) => dialect.sqlToQuery(statement))

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
