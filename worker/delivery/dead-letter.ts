// The dead-letter path. A job lands in the dead-letter queue when the alerts queue's own retries
// ran out: rare, since the consumer retries temporary failures on the outbox schedule, but it
// happens when D1 kept failing (the job may not even have an outbox row yet). Its consumer never
// drops a job: it puts the job in the outbox (creating the row from the job when missing) and
// leaves it due, so the sweeper queues it again; only a row whose 24 h retry window is over is
// marked failed. Alerts, digests and campaign actions alike (campaign-action-dead-letter.ts). If
// D1 fails here too, the message is retried (the dead-letter queue has its own retries), never
// acknowledged unrecorded.
// A message that is not a job at all is logged with its reason and noted on the row it names.
import * as v from 'valibot'
import type { AlertJob } from '../../durable-objects/contracts/alert-job'
import { parseQueueJob, type DigestJob } from '../../durable-objects/contracts/queue-job'
import type { Db } from '../db/client'
import { failLinkMail } from '../db/queries/account-links'
import { alertForDelivery, failOpenDelivery, findDelivery, openDelivery, postponeDelivery, recordAttempt } from '../db/queries/deliveries'
import { failOpenDigest, findDigest, postponeDigest } from '../db/queries/flood-cap'
import { deadLetterCampaignAction } from './campaign-action-dead-letter'
import { HOUR_MS, retryDelaySeconds, RETRY_WINDOW_MS } from './retry-schedule'

const QUEUE_GAVE_UP = "the queue's retries ran out (dead-letter queue)"
const HANDED_TO_SWEEPER = `${QUEUE_GAVE_UP}; the outbox sweeper queues it again`
const WINDOW_OVER = `gave up: ${QUEUE_GAVE_UP} after the retry window ended`

export async function recordDeadLetters(deps: { db: Db; now: () => number }, batch: MessageBatch<unknown>): Promise<void> {
  for (const message of batch.messages) {
    try {
      await deadLetter(deps.db, message.body, deps.now())
      message.ack()
    } catch (err) {
      console.error('dead letter not recorded (D1?); retrying it', err)
      message.retry({ delaySeconds: retryDelaySeconds(message.attempts) })
    }
  }
}

async function deadLetter(db: Db, body: unknown, now: number): Promise<void> {
  const parsed = parseQueueJob(body)
  if (!parsed.ok) return noteMalformed(db, body, `${QUEUE_GAVE_UP}; ${parsed.reason}`, now)
  const job = parsed.job
  switch (job.kind) {
    case 'alert':
      return deadLetterAlert(db, job, now)
    case 'digest':
      return deadLetterDigest(db, job, now)
    case 'account-mail':
      // Its link's secret is only in the message, so nothing can queue it again: the mail is failed
      // and the admin (or the user) asks for a new link.
      return failLinkMail(db, job.linkId, `${QUEUE_GAVE_UP}; send a new link`, now)
    case 'campaign-alert':
    case 'campaign-owner-notice':
    case 'campaign-webhook':
    case 'campaign-chat':
      return deadLetterCampaignAction(db, job, now, WINDOW_OVER)
    case 'lists-recheck':
      // The contacts not reached recompute their lists on their next event instead.
      console.warn(`lists recheck of workspace ${job.workspaceId} given up after ${job.after ?? 'the start'}`)
      return
  }
}

async function deadLetterAlert(db: Db, job: AlertJob, now: number): Promise<void> {
  const row = await findDelivery(db, job.alertKey)
  if (!row) {
    // The job never reached the outbox (D1 was down on every try): put it there now, due.
    if (!(await alertForDelivery(db, job.workspaceId, job.alertId))) {
      console.warn(`dead-lettered alert ${job.alertKey}: its alert was deleted; dropped`)
      return
    }
    const opened = await openDelivery(
      db,
      { alertKey: job.alertKey, workspaceId: job.workspaceId, alertId: job.alertId, contactId: job.contact.id, transport: '', job },
      { now, retryUntil: now + RETRY_WINDOW_MS },
    )
    if (opened) await recordAttempt(db, opened.id, { attempt: 0, outcome: 'retry', detail: HANDED_TO_SWEEPER }, now)
    return
  }
  if (row.status !== 'pending' && row.status !== 'sending') return
  if (now >= (row.retryUntil ?? row.createdAt + RETRY_WINDOW_MS)) {
    await failOpenDelivery(db, job.alertKey, WINDOW_OVER, now)
    return
  }
  await postponeDelivery(db, job.alertKey, now)
  await recordAttempt(db, row.id, { attempt: row.attempts, outcome: 'retry', detail: HANDED_TO_SWEEPER }, now)
}

async function deadLetterDigest(db: Db, job: DigestJob, now: number): Promise<void> {
  const digest = await findDigest(db, job.digestId)
  if (!digest || (digest.status !== 'scheduled' && digest.status !== 'sending')) return
  if (now >= (digest.retryUntil ?? digest.hourStart + HOUR_MS + RETRY_WINDOW_MS)) await failOpenDigest(db, digest.id, WINDOW_OVER, now)
  else await postponeDigest(db, digest.id, now)
}

/** The keys a malformed body may still carry, to find the row it was meant for. */
const JobKeys = v.object({ alertKey: v.optional(v.string()) })

/**
 * A body that is not a job can never be delivered: logged with its body, and noted on the
 * outbox row it names. That row keeps its own stored job and schedule, so it is not failed.
 */
export async function noteMalformed(db: Db, body: unknown, reason: string, now: number): Promise<void> {
  console.error(`dead letter: ${reason}`, JSON.stringify(body))
  const keys = v.safeParse(JobKeys, body)
  if (!keys.success || keys.output.alertKey === undefined) return
  const row = await findDelivery(db, keys.output.alertKey)
  if (row) await recordAttempt(db, row.id, { attempt: row.attempts, outcome: 'skipped', detail: reason }, now)
}
