// Every change to contacts goes through here, from the REST API and the admin screens alike: the
// owner is checked against the workspace's users (never a deactivated one:
// worker/users/owner-choice.ts), the D1 row changes, and then the contact's object gets the
// contact as it now is, so the next alert it fires already names the new owner (the object puts
// the contact into the job; delivery never reads it back). Pushing after the write means a
// failure leaves D1 right and the request failing: sent again, it changes nothing more and
// pushes again.
import { contactStub } from '../../durable-objects/contact-stub'
import { createDb, type Db } from '../db/client'
import type { AuthUser } from '../db/queries/auth'
import { assignOwner, contactIdsInScope, contactSnapshots, findContact, updateContact, type ContactWithOwner } from '../db/queries/contacts'
import type { FieldError } from '../field-errors'
import { ownerRefusal } from '../users/owner-choice'
import type { Assignment, ContactPatch } from './contact-input'
import { contactScope } from './contact-scope'

/** Objects told about a change at once; more would only queue behind each other. */
const PUSH_CONCURRENCY = 20

export type Refused = { ok: false; status: 400 | 404; errors: FieldError[] }

const refusedFor = (error: FieldError | null): Refused | null => (error ? { ok: false, status: 400, errors: [error] } : null)

/** Hands each contact's object its current snapshot. */
async function pushSnapshots(env: Env, db: Db, workspaceId: string, ids: string[]): Promise<void> {
  const snapshots = await contactSnapshots(db, workspaceId, ids)
  for (let i = 0; i < snapshots.length; i += PUSH_CONCURRENCY) {
    await Promise.all(snapshots.slice(i, i + PUSH_CONCURRENCY).map((s) => contactStub(env, s.id).refreshContact(s)))
  }
}

/** Null when the user's scope has no such contact. */
export async function changeContact(
  env: Env,
  user: AuthUser,
  id: string,
  patch: ContactPatch,
): Promise<{ ok: true; contact: ContactWithOwner } | Refused | null> {
  const db = createDb(env.DB)
  const scope = contactScope(user)
  if (patch.ownerId) {
    // The owner the contact has already is no new assignment, even a deactivated one.
    const current = await findContact(db, scope, id)
    if (!current) return null
    const refused = refusedFor(await ownerRefusal(db, user.workspaceId, 'ownerId', patch.ownerId, current.ownerId))
    if (refused) return refused
  }
  const contact = await updateContact(db, scope, id, patch, Date.now())
  if (!contact) return null
  await pushSnapshots(env, db, user.workspaceId, [id])
  return { ok: true, contact }
}

/** All or none: an id the user cannot see refuses the whole assignment (404), naming it. */
export async function assignContacts(env: Env, user: AuthUser, assignment: Assignment): Promise<{ ok: true; assigned: number } | Refused> {
  const db = createDb(env.DB)
  const refused = refusedFor(await ownerRefusal(db, user.workspaceId, 'ownerId', assignment.ownerId))
  if (refused) return refused
  const scope = contactScope(user)
  const found = new Set(await contactIdsInScope(db, scope, assignment.ids))
  const missing = assignment.ids.flatMap((id, i) =>
    found.has(id) ? [] : [{ field: `ids.${i}`, reason: `no contact ${id} in your workspace` }],
  )
  if (missing.length) return { ok: false, status: 404, errors: missing }
  const assigned = await assignOwner(db, scope, assignment.ids, assignment.ownerId, Date.now())
  await pushSnapshots(env, db, user.workspaceId, assigned)
  return { ok: true, assigned: assigned.length }
}
