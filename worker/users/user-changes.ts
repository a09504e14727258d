// Every change to the team goes through here, from the REST API and the team screens alike:
// inviting (a user in status `invited` and a link mailed through the queue), sending an
// invitation again, changing a role, deactivating and reactivating. The rule that a workspace
// keeps an active admin is in the statements themselves (worker/db/queries/users.ts).
import { sendAccountLink } from '../auth/account-links'
import { createDb } from '../db/client'
import { latestInvites } from '../db/queries/account-links'
import type { AuthUser } from '../db/queries/auth'
import {
  deactivateUser,
  findUser,
  findUserByEmail,
  insertInvitedUser,
  listUsers,
  reactivateUser,
  setRole,
  type GuardedChange,
  type UserRow,
} from '../db/queries/users'
import type { Role } from '../db/schema'
import type { FieldError } from '../field-errors'
import { newUserId } from '../workspace/first-workspace'
import type { InviteInput } from './user-input'
import { userJson, type UserJson } from './user-json'

export const LAST_ADMIN = 'the workspace needs an active admin: make someone else an admin first'

export type Invited = { ok: true; user: UserJson } | { ok: false; errors: FieldError[] }

const alreadyThere = (user: UserRow): FieldError => ({
  field: 'email',
  reason:
    user.status === 'deactivated'
      ? 'this e-mail belongs to a deactivated user of your workspace: reactivate them instead'
      : user.status === 'invited'
        ? 'this e-mail is already invited: send the invitation again from their page'
        : 'this e-mail already belongs to a user of your workspace',
})

/** Invites someone into the inviter's workspace: refused (409) when the e-mail is a user there already. */
export async function inviteUser(env: Env, inviter: AuthUser, input: InviteInput, origin: string): Promise<Invited> {
  const db = createDb(env.DB)
  const existing = await findUserByEmail(db, inviter.workspaceId, input.email)
  if (existing) return { ok: false, errors: [alreadyThere(existing)] }
  const now = Date.now()
  const user = await insertInvitedUser(db, {
    id: newUserId(),
    workspaceId: inviter.workspaceId,
    email: input.email,
    name: input.name,
    role: input.role,
    createdAt: now,
  })
  // Another invitation of the same e-mail got there first.
  if (!user) return { ok: false, errors: [{ field: 'email', reason: 'this e-mail already belongs to a user of your workspace' }] }
  await sendAccountLink(env, { user, purpose: 'invite', createdBy: inviter.id, origin, now })
  return { ok: true, user: (await teamMember(env, inviter.workspaceId, user.id)) ?? userJson(user, undefined, now) }
}

export type Resent = { ok: true; user: UserJson } | { ok: false; reason: 'not-found' | 'not-invited' }

/** A new invitation link for a user who has not accepted yet; the previous link stops working. */
export async function resendInvite(env: Env, inviter: AuthUser, userId: string, origin: string): Promise<Resent> {
  const user = await findUser(createDb(env.DB), inviter.workspaceId, userId)
  if (!user) return { ok: false, reason: 'not-found' }
  if (user.status !== 'invited') return { ok: false, reason: 'not-invited' }
  const now = Date.now()
  await sendAccountLink(env, { user, purpose: 'invite', createdBy: inviter.id, origin, now })
  return { ok: true, user: (await teamMember(env, inviter.workspaceId, userId, now)) ?? userJson(user, undefined, now) }
}

export const changeUserRole = (env: Env, workspaceId: string, id: string, role: Role): Promise<GuardedChange> =>
  setRole(createDb(env.DB), workspaceId, id, role)

/** Deactivates the user: its sessions end and its tokens are deleted in the same transaction. */
export const deactivate = (env: Env, workspaceId: string, id: string): Promise<GuardedChange> =>
  deactivateUser(createDb(env.DB), workspaceId, id, Date.now())

export const reactivate = (env: Env, workspaceId: string, id: string): Promise<UserRow | null> =>
  reactivateUser(createDb(env.DB), workspaceId, id)

/** The workspace's users as the API shows them, with each pending invitation's state. */
export async function teamList(env: Env, workspaceId: string, now = Date.now()): Promise<UserJson[]> {
  const db = createDb(env.DB)
  const rows = await listUsers(db, workspaceId)
  const invites = await latestInvites(
    db,
    workspaceId,
    rows.filter((r) => r.status === 'invited').map((r) => r.id),
  )
  return rows.map((row) => userJson(row, invites.get(row.id), now))
}

export async function teamMember(env: Env, workspaceId: string, id: string, now = Date.now()): Promise<UserJson | null> {
  const db = createDb(env.DB)
  const row = await findUser(db, workspaceId, id)
  if (!row) return null
  const invite = row.status === 'invited' ? (await latestInvites(db, workspaceId, [id])).get(id) : undefined
  return userJson(row, invite, now)
}
