// The API's view of a user of the workspace (with the state of its invitation while it has not
// accepted it) and of a web session. Never a password hash, a link's secret or a session's hash.
import * as v from 'valibot'
import type { AccountLinkRow } from '../db/queries/account-links'
import type { SessionRow } from '../db/queries/auth'
import type { UserRow } from '../db/queries/users'
import { Role } from './user-input'

const epochMs = v.pipe(v.number(), v.integer(), v.description('epoch ms'))

const InvitationView = v.pipe(
  v.object({
    expiresAt: epochMs,
    expired: v.boolean(),
    mail: v.pipe(
      v.picklist(['pending', 'sending', 'sent', 'failed', 'unknown', 'skipped']),
      v.description(
        'Where the invitation e-mail stands: pending = queued or waiting for a retry; failed = refused or given up (see mailError).',
      ),
    ),
    mailError: v.nullable(v.string()),
  }),
  v.description('The newest invitation while the user has not accepted it; null once active.'),
)

export const UserView = v.pipe(
  v.object({
    id: v.string(),
    email: v.string(),
    name: v.string(),
    role: Role,
    status: v.pipe(
      v.picklist(['invited', 'active', 'deactivated']),
      v.description('invited: has not set a password yet; active: may log in; deactivated: may not, its sessions and tokens are gone.'),
    ),
    invitation: v.nullable(InvitationView),
    createdAt: epochMs,
    deactivatedAt: v.nullable(epochMs),
  }),
  v.metadata({ ref: 'User' }),
)

export const UserList = v.pipe(v.object({ users: v.array(UserView) }), v.metadata({ ref: 'UserList' }))

export type UserJson = v.InferOutput<typeof UserView>

export function userJson(row: UserRow, invite: AccountLinkRow | undefined, now: number): UserJson {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    status: row.status,
    invitation:
      row.status === 'invited' && invite
        ? { expiresAt: invite.expiresAt, expired: invite.expiresAt <= now, mail: invite.mailStatus, mailError: invite.mailError }
        : null,
    createdAt: row.createdAt,
    deactivatedAt: row.deactivatedAt,
  }
}

export const SessionView = v.pipe(
  v.object({
    id: v.string(),
    userAgent: v.pipe(v.string(), v.description("The browser's User-Agent when it logged in.")),
    createdAt: epochMs,
    lastSeenAt: v.pipe(v.nullable(epochMs), v.description('The last request, to within a few minutes; null = none since login.')),
    expiresAt: epochMs,
    current: v.pipe(v.boolean(), v.description('The session making this request (never true over the API, which uses tokens).')),
  }),
  v.metadata({ ref: 'Session' }),
)

export const SessionList = v.pipe(v.object({ sessions: v.array(SessionView) }), v.metadata({ ref: 'SessionList' }))

export const sessionJson = (row: SessionRow, currentId: string | undefined) => ({ ...row, current: row.id === currentId })
