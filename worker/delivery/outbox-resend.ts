// "Re-send" for an outbox row that ended `failed` or `unknown` (from the outbox screen and
// `POST /api/v1/outbox/{id}/resend`): the row goes back to pending with a fresh 24 h retry
// window, the recipients that did not get it (refused, unknown) back to pending, and the job
// stored on the row is queued again under the same alert key. So an idempotent transport
// (HTTP API, webhook) never delivers twice, and a recipient already sent to is not sent again;
// over SMTP an `unknown` row may have arrived, so a re-send may duplicate it (the screen says so).
import { parseQueueJob, type QueueJob } from '../../durable-objects/contracts/queue-job'
import type { Db } from '../db/client'
import { changeDelivery } from '../db/queries/deliveries'
import { outboxEntry } from '../db/queries/outbox'
import { RETRY_WINDOW_MS } from './retry-schedule'

/** The statuses a row can be re-sent from. */
export const RESENDABLE = ['failed', 'unknown'] as const

export type ResendDeps = { db: Db; queue: { send(body: QueueJob): Promise<unknown> }; now: number }
export type ResendResult = { ok: true } | { ok: false; status: 404 | 409; reason: string }

export async function resendDelivery(
  { db, queue, now }: ResendDeps,
  input: { workspaceId: string; deliveryId: string; requestedBy: string },
): Promise<ResendResult> {
  const row = await outboxEntry(db, input.workspaceId, input.deliveryId)
  if (!row) return { ok: false, status: 404, reason: 'no delivery with this id in your workspace' }
  const from = row.status
  if (from !== 'failed' && from !== 'unknown')
    return { ok: false, status: 409, reason: `only a failed or unknown delivery can be re-sent; this one is ${from}` }
  const parsed = parseQueueJob(row.job)
  if (!parsed.ok || parsed.job.kind !== 'alert')
    return { ok: false, status: 409, reason: 'this delivery has no stored job to send again (it was recorded before re-sending existed)' }

  const recipientOutcomes = row.recipientOutcomes.map((o) =>
    o.status === 'failed' || o.status === 'unknown' || o.status === 'sending'
      ? { ...o, status: 'pending' as const, error: null, at: now }
      : o,
  )
  const reopened = await changeDelivery(
    db,
    row.id,
    { attempts: row.attempts, status: [from] },
    { status: 'pending', error: null, recipientOutcomes, nextAttemptAt: now, retryUntil: now + RETRY_WINDOW_MS },
    { attempt: row.attempts, outcome: 'resend', detail: `re-send requested by ${input.requestedBy} (was ${from})` },
    now,
  )
  if (!reopened) return { ok: false, status: 409, reason: 'the delivery changed meanwhile; reload and try again' }
  try {
    await queue.send(parsed.job)
  } catch (err) {
    // The row is pending and due: the sweeper queues it within its grace period.
    console.error('re-send: could not queue the job now; the sweeper will', err)
  }
  return { ok: true }
}
