// The background recheck after a smart list is edited: every contact of the workspace recomputes
// its memberships in its own object (which starts the list-entered / list-left campaigns that
// follow). One queue message handles a page of contacts, a few objects at a time, then queues the
// next page, so a workspace of any size is covered without one long-running message; a message
// that fails is retried by the queue and asks the same page again (a recheck twice changes nothing).
import { contactStub } from '../../durable-objects/contact-stub'
import type { ListsRecheckJob } from '../../durable-objects/contracts/campaign-job'
import type { QueueJob } from '../../durable-objects/contracts/queue-job'
import { contactIdsAfter } from '../db/queries/campaign-runs'
import type { DeliveryContext } from './deliver-alert'
import type { DeliveryOutcome } from './outbox-send'

/** Contacts per message, and objects asked at once. */
export const RECHECK_PAGE = 100
const RECHECK_CONCURRENCY = 10

/** Queues the recheck of every contact of the workspace (a list was created or edited). */
export async function queueListsRecheck(queue: Queue<QueueJob>, workspaceId: string): Promise<void> {
  await queue.send({ kind: 'lists-recheck', workspaceId, after: null })
}

export async function recheckLists(ctx: DeliveryContext, job: ListsRecheckJob): Promise<DeliveryOutcome> {
  const { env } = ctx
  if (!env) throw new Error('the lists recheck needs the worker environment')
  const ids = await contactIdsAfter(ctx.db, job.workspaceId, job.after, RECHECK_PAGE)
  for (let i = 0; i < ids.length; i += RECHECK_CONCURRENCY) {
    await Promise.all(ids.slice(i, i + RECHECK_CONCURRENCY).map((id) => contactStub(env, id).recheckCampaigns()))
  }
  if (ids.length === RECHECK_PAGE) await ctx.queue.sendBatch([{ body: { ...job, after: ids.at(-1) ?? null } }])
  return { outcome: 'skipped' }
}
