// Which contacts a user may see and change: a sales rep only the contacts they own (SPEC §5),
// everyone else every contact of their workspace. Another's contact is the same as no contact
// (404), so ids cannot be probed.
import type { AuthUser } from '../db/queries/auth'
import type { ContactScope } from '../db/queries/contacts'

export const contactScope = (user: AuthUser): ContactScope =>
  user.role === 'sales' ? { workspaceId: user.workspaceId, ownerId: user.id } : { workspaceId: user.workspaceId }

/** The owner whose contacts' outbox rows a user sees: a sales rep only their own contacts' rows. */
export const outboxOwner = (user: AuthUser): string | undefined => (user.role === 'sales' ? user.id : undefined)
