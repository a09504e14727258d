// Who may be made an owner — of a contact, or of the contacts a site identifies: a user of the
// workspace who is not deactivated (an invited user may: their alerts wait in their inbox for
// when they join). A deactivated user who already owns something keeps it until someone chooses
// another owner, so saving a form that leaves the owner as it is is not a new assignment.
import type { Db } from '../db/client'
import { workspaceUserStatus } from '../db/queries/workspaces'
import type { FieldError } from '../field-errors'

export const NO_SUCH_USER = 'no user with this id in your workspace'
export const DEACTIVATED_USER = 'this user is deactivated: choose an active user, or reactivate them on the Team page first'

/** Why `ownerId` cannot be given to `field` (null: it can, or it is nobody, or it is the owner already). */
export async function ownerRefusal(
  db: Db,
  workspaceId: string,
  field: string,
  ownerId: string | null | undefined,
  currentOwnerId?: string | null,
): Promise<FieldError | null> {
  if (!ownerId || ownerId === currentOwnerId) return null
  const status = await workspaceUserStatus(db, workspaceId, ownerId)
  if (status === null) return { field, reason: NO_SUCH_USER }
  if (status === 'deactivated') return { field, reason: DEACTIVATED_USER }
  return null
}
