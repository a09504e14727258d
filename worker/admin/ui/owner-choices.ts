// How the screens name a user where an owner is shown or chosen. A deactivated user is named as
// such wherever it still owns something, and is offered in an owner picker only as the value the
// form already has (so saving the form leaves that owner as it is); never for a new assignment.
import type { UserStatus } from '../../db/schema'

type Named = { name: string; email: string; status?: UserStatus }
type Choosable = Named & { id: string; status: UserStatus }

export function userLabel(u: Named): string {
  if (u.status === 'deactivated') return u.name ? `${u.name} (${u.email}, deactivated)` : `${u.email} (deactivated)`
  return u.name ? `${u.name} (${u.email})` : u.email
}

/** Every user, deactivated ones marked: for filtering by owner, where past owners still count. */
export const everyUserOptions = (users: Choosable[]) => users.map((u) => ({ value: u.id, label: userLabel(u) }))

/** The users who can be made an owner, and `current` (the form's value) even when it is deactivated. */
export const assignableUserOptions = (users: Choosable[], current = '') =>
  everyUserOptions(users.filter((u) => u.status !== 'deactivated' || u.id === current))
