// Every change to a smart list goes through here: the definition is checked (shape, the users
// and lists its conditions name, no list depending on itself), written, and the rules version
// bumped, so contact objects reload and recompute their memberships; a background recheck
// (worker/delivery/recheck-lists.ts) makes every contact do it now, not on its next event. A
// list still named by a campaign or another list is not deleted (409 naming them). A refusal
// writes nothing.
import type { ListDefinition } from '../../durable-objects/contracts/campaign'
import { createDb, type Db } from '../db/client'
import type { AuthUser } from '../db/queries/auth'
import { listCampaigns } from '../db/queries/campaigns'
import { deleteList, insertList, listLists, updateList, type ListRow } from '../db/queries/lists'
import type { FieldError } from '../field-errors'
import { campaignRefs, listRefs, listShapeErrors } from './campaign-refs'
import { listCycleRefusals, referenceRefusals } from './campaign-checks'
import { firstRefusal, type Checked, type Refusal } from './checked'
import { queueListsRecheck } from '../delivery/recheck-lists'
import { rulesChanged } from './rules-changed'

export const newListId = () => `lst_${crypto.randomUUID().replace(/-/g, '')}`

function definitionRefusal(env: Env, db: Db, workspaceId: string, id: string, definition: ListDefinition): Promise<Refusal | null> {
  const { conditions } = definition
  return firstRefusal([
    { status: 400, errors: () => listShapeErrors(conditions) },
    { status: 422, errors: () => referenceRefusals(env, db, workspaceId, listRefs(conditions)) },
    { status: 422, errors: async () => listCycleRefusals(id, conditions, await listLists(db, workspaceId)) },
  ])
}

export async function createList(env: Env, user: AuthUser, definition: ListDefinition): Promise<Checked<ListRow>> {
  const db = createDb(env.DB)
  const id = newListId()
  const refused = await definitionRefusal(env, db, user.workspaceId, id, definition)
  if (refused) return refused
  const row = await insertList(db, { id, workspaceId: user.workspaceId, createdBy: user.id, definition })
  await rulesChanged(db, user.workspaceId)
  await queueListsRecheck(env.ALERTS, user.workspaceId)
  return { ok: true, value: row }
}

/** Replaces the definition (the list's version goes up by one); null when the list went away meanwhile. */
export async function saveList(env: Env, workspaceId: string, id: string, definition: ListDefinition): Promise<Checked<ListRow> | null> {
  const db = createDb(env.DB)
  const refused = await definitionRefusal(env, db, workspaceId, id, definition)
  if (refused) return refused
  const row = await updateList(db, workspaceId, id, definition)
  if (row) {
    await rulesChanged(db, workspaceId)
    await queueListsRecheck(env.ALERTS, workspaceId)
  }
  return row && { ok: true, value: row }
}

/** Where the workspace still names the list: campaigns (their current version) and other lists. */
async function listUses(db: Db, workspaceId: string, id: string): Promise<FieldError[]> {
  const campaigns = await listCampaigns(db, workspaceId)
  const lists = await listLists(db, workspaceId)
  const users = [
    ...campaigns
      .filter((row) => campaignRefs(row.definition).lists.some((ref) => ref.id === id))
      .map((row) => `campaign "${row.campaign.name}"`),
    ...lists
      .filter((list) => listRefs(list.definition.conditions).lists.some((ref) => ref.id === id))
      .map((list) => `list "${list.definition.name}"`),
  ]
  return users.length > 0 ? [{ field: 'id', reason: `the list is still used by the ${users.join(', the ')}` }] : []
}

/** Null when the workspace has no such list. */
export async function removeList(env: Env, workspaceId: string, id: string): Promise<Checked<true> | null> {
  const db = createDb(env.DB)
  const refused = await firstRefusal([{ status: 409, errors: () => listUses(db, workspaceId, id) }])
  if (refused) return refused
  if (!(await deleteList(db, workspaceId, id))) return null
  await rulesChanged(db, workspaceId)
  return { ok: true, value: true }
}
