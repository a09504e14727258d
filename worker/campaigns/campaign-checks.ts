// The checks of a campaign or smart list that need the database or the deployment, after the
// contract's schema and the shape rules passed: the users it names exist in the workspace and
// are active, the lists it names exist (and a list never depends on itself), and its webhook
// and chat URLs are https and public unless ALLOW_PRIVATE_WEBHOOKS is set (the same check
// delivery repeats before each call). The refusals name the field, for a 422.
import type { Condition } from '../../durable-objects/contracts/campaign'
import type { Db } from '../db/client'
import { listLists, type ListRow } from '../db/queries/lists'
import { listUsers } from '../db/queries/users'
import { findWorkspace } from '../db/queries/workspaces'
import { campaignTargetRefusal } from '../delivery/campaign-target'
import { deliveryConfig } from '../delivery/config'
import type { FieldError } from '../field-errors'
import type { Refs } from './campaign-refs'

const USER_STATUS_REASONS = {
  invited: 'this user has not accepted the invitation yet',
  deactivated: 'this user is deactivated',
} as const

/** True where the deployment lets webhooks reach http and private hosts (tests, `npm start`). */
export const allowsPrivateWebhooks = (env: Env) => deliveryConfig(env).ALLOW_PRIVATE_WEBHOOKS

export async function referenceRefusals(env: Env, db: Db, workspaceId: string, refs: Refs): Promise<FieldError[]> {
  const errors: FieldError[] = []
  if (refs.users.length > 0) {
    const status = new Map((await listUsers(db, workspaceId)).map((user) => [user.id, user.status]))
    for (const { id, field } of refs.users) {
      const found = status.get(id)
      if (found === undefined) errors.push({ field, reason: 'no user with this id in your workspace' })
      else if (found !== 'active') errors.push({ field, reason: USER_STATUS_REASONS[found] })
    }
  }
  if (refs.lists.length > 0) {
    const lists = new Set((await listLists(db, workspaceId)).map((list) => list.id))
    for (const { id, field } of refs.lists)
      if (!lists.has(id)) errors.push({ field, reason: 'no smart list with this id in your workspace' })
  }
  const allowPrivate = refs.urls.length > 0 && allowsPrivateWebhooks(env)
  for (const { id: url, field } of refs.urls) {
    const refused = campaignTargetRefusal(url, allowPrivate)
    if (refused) errors.push({ field, reason: refused })
  }
  return errors
}

const listIdsIn = (conditions: readonly Condition[]) => conditions.flatMap((c) => (c.type === 'list' ? [c.listId] : []))

/**
 * Refuses a list whose conditions lead back to itself through other lists' conditions: its
 * membership would depend on itself. `lists` are the workspace's lists as stored.
 */
export function listCycleRefusals(id: string, conditions: readonly Condition[], lists: readonly ListRow[]): FieldError[] {
  const uses = new Map(lists.map((list) => [list.id, listIdsIn(list.definition.conditions)]))
  uses.set(id, listIdsIn(conditions))
  const leadsBack = (from: string, seen: Set<string>): boolean => {
    if (from === id) return true
    if (seen.has(from)) return false
    seen.add(from)
    return (uses.get(from) ?? []).some((next) => leadsBack(next, seen))
  }
  return conditions.flatMap((condition, i) =>
    condition.type === 'list' && leadsBack(condition.listId, new Set())
      ? [{ field: `conditions.${i}.listId`, reason: 'a list cannot depend on itself, directly or through other lists' }]
      : [],
  )
}

/**
 * A campaign that calls a webhook goes ON only once the workspace has a webhook secret: its
 * calls could not be signed, and delivery would fail every one of them.
 */
export async function unsignedWebhookRefusals(db: Db, workspaceId: string, refs: Refs): Promise<FieldError[]> {
  if (refs.signed.length === 0 || (await findWorkspace(db, workspaceId))?.webhookSecret) return []
  const reason =
    'the workspace has no webhook secret yet: an admin creates it (POST /api/v1/workspace/webhook-secret) before this can go ON'
  return refs.signed.map(({ field }) => ({ field, reason }))
}
