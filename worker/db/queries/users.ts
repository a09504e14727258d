// The team of a workspace: its users, invitations, roles and deactivation. A workspace always
// keeps an active admin: demoting or deactivating one is a single conditional statement that
// changes nothing when no other active admin exists, so two admins demoting each other at the
// same moment cannot both succeed (D1 runs statements one at a time; the second one sees the
// first one's change).
import { and, asc, count, eq, exists, isNull, ne, or, sql, type SQL } from 'drizzle-orm'
import { alias } from 'drizzle-orm/sqlite-core'
import type { Db } from '../client'
import { accountLinks, apiTokens, contacts, sessions, users, type Role } from '../schema'

const columns = {
  id: users.id,
  workspaceId: users.workspaceId,
  email: users.email,
  name: users.name,
  role: users.role,
  status: users.status,
  deactivatedAt: users.deactivatedAt,
  createdAt: users.createdAt,
}

export type UserRow = { [K in keyof typeof columns]: (typeof users.$inferSelect)[K] }

/** Why a guarded change did not happen: no such user in the workspace, or it would leave no active admin. */
export type GuardedChange = { ok: true; user: UserRow } | { ok: false; reason: 'not-found' | 'last-admin' }

const other = alias(users, 'other')

/** True for a change that leaves the workspace an active admin: the user is not one, or another one exists. */
function keepsAnAdmin(db: Db, workspaceId: string, id: string): SQL | undefined {
  const anotherAdmin = db
    .select({ one: sql`1` })
    .from(other)
    .where(and(eq(other.workspaceId, workspaceId), ne(other.id, id), eq(other.role, 'admin'), eq(other.status, 'active')))
  return or(ne(users.role, 'admin'), ne(users.status, 'active'), exists(anotherAdmin))
}

const inWorkspace = (workspaceId: string, id: string) => and(eq(users.workspaceId, workspaceId), eq(users.id, id))

/** Every user of the workspace, admins first, then by name and e-mail. */
export async function listUsers(db: Db, workspaceId: string): Promise<UserRow[]> {
  return db
    .select(columns)
    .from(users)
    .where(eq(users.workspaceId, workspaceId))
    .orderBy(sql`CASE ${users.status} WHEN 'deactivated' THEN 1 ELSE 0 END`, asc(users.role), asc(users.name), asc(users.email))
}

export async function findUser(db: Db, workspaceId: string, id: string): Promise<UserRow | null> {
  const rows = await db.select(columns).from(users).where(inWorkspace(workspaceId, id)).limit(1)
  return rows[0] ?? null
}

/** The workspace's user with this e-mail, whatever its case. */
export async function findUserByEmail(db: Db, workspaceId: string, email: string): Promise<UserRow | null> {
  const rows = await db
    .select(columns)
    .from(users)
    .where(and(eq(users.workspaceId, workspaceId), eq(sql`lower(${users.email})`, email.toLowerCase())))
    .limit(1)
  return rows[0] ?? null
}

/** A new user waiting for its invitation to be accepted; null when the e-mail is taken in the workspace. */
export async function insertInvitedUser(
  db: Db,
  row: { id: string; workspaceId: string; email: string; name: string; role: Role; createdAt: number },
): Promise<UserRow | null> {
  const inserted = await db
    .insert(users)
    .values({ ...row, status: 'invited', passwordHash: null })
    .onConflictDoNothing()
    .returning(columns)
  return inserted[0] ?? null
}

/** Reads why a guarded statement changed nothing. */
async function refusal(db: Db, workspaceId: string, id: string): Promise<GuardedChange> {
  return (await findUser(db, workspaceId, id)) ? { ok: false, reason: 'last-admin' } : { ok: false, reason: 'not-found' }
}

/** Gives the user a role, unless that demotes the workspace's last active admin. */
export async function setRole(db: Db, workspaceId: string, id: string, role: Role): Promise<GuardedChange> {
  const guard = role === 'admin' ? undefined : keepsAnAdmin(db, workspaceId, id)
  const [row] = await db
    .update(users)
    .set({ role })
    .where(and(inWorkspace(workspaceId, id), guard))
    .returning(columns)
  return row ? { ok: true, user: row } : refusal(db, workspaceId, id)
}

/**
 * Deactivates the user, unless it is the workspace's last active admin, and in the same batch
 * (one transaction) ends its sessions, deletes its API tokens and its unused invitation and
 * reset links. Deactivating a deactivated user changes nothing and succeeds.
 */
export async function deactivateUser(db: Db, workspaceId: string, id: string, now: number): Promise<GuardedChange> {
  const deactivated = exists(
    db
      .select({ one: sql`1` })
      .from(users)
      .where(and(inWorkspace(workspaceId, id), eq(users.status, 'deactivated'))),
  )
  const [updated] = await db.batch([
    db
      .update(users)
      .set({ status: 'deactivated', deactivatedAt: now })
      .where(and(inWorkspace(workspaceId, id), ne(users.status, 'deactivated'), keepsAnAdmin(db, workspaceId, id)))
      .returning(columns),
    db.delete(sessions).where(and(eq(sessions.workspaceId, workspaceId), eq(sessions.userId, id), deactivated)),
    db.delete(apiTokens).where(and(eq(apiTokens.workspaceId, workspaceId), eq(apiTokens.userId, id), deactivated)),
    db
      .delete(accountLinks)
      .where(and(eq(accountLinks.workspaceId, workspaceId), eq(accountLinks.userId, id), isNull(accountLinks.usedAt), deactivated)),
  ])
  if (updated[0]) return { ok: true, user: updated[0] }
  const found = await findUser(db, workspaceId, id)
  if (found?.status === 'deactivated') return { ok: true, user: found }
  return found ? { ok: false, reason: 'last-admin' } : { ok: false, reason: 'not-found' }
}

/** Lets a deactivated user back in: active again if it has a password, else invited (it needs a new invitation). */
export async function reactivateUser(db: Db, workspaceId: string, id: string): Promise<UserRow | null> {
  const [row] = await db
    .update(users)
    .set({ status: sql`CASE WHEN ${users.passwordHash} IS NULL THEN 'invited' ELSE 'active' END`, deactivatedAt: null })
    .where(and(inWorkspace(workspaceId, id), eq(users.status, 'deactivated')))
    .returning(columns)
  return row ?? findUser(db, workspaceId, id)
}

/**
 * Sets the user's password while it is in status `from`, and makes an invited user active (with
 * the name it typed, if any). Null when the user is no longer in that status.
 */
export async function setPassword(
  db: Db,
  change: { workspaceId: string; id: string; passwordHash: string; from: 'invited' | 'active'; name?: string },
): Promise<UserRow | null> {
  const [row] = await db
    .update(users)
    .set({ passwordHash: change.passwordHash, status: 'active', ...(change.name ? { name: change.name } : {}) })
    .where(and(inWorkspace(change.workspaceId, change.id), eq(users.status, change.from)))
    .returning(columns)
  return row ?? null
}

/** Every active account with this e-mail (one per workspace at most): the ones a password reset is for. */
export async function activeUsersByEmail(db: Db, email: string): Promise<UserRow[]> {
  return db
    .select(columns)
    .from(users)
    .where(and(eq(sql`lower(${users.email})`, email.toLowerCase()), eq(users.status, 'active')))
}

/** How many contacts the user owns: what is left to reassign after a deactivation. */
export async function ownedContactCount(db: Db, workspaceId: string, id: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(contacts)
    .where(and(eq(contacts.workspaceId, workspaceId), eq(contacts.ownerId, id)))
  return row?.n ?? 0
}
