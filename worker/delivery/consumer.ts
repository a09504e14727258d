// Queue consumers. The alerts queue carries alert jobs, the digest jobs the flood cap schedules
// and account mails (invitations, password resets); messages of a batch are delivered
// concurrently (each has its own outbox entry) and acknowledged one by one. Every message is
// validated as a `QueueJob` first: one that is not (unknown kind, malformed) can never succeed,
// so it takes the dead-letter path at once, with the reason, instead of being retried. A
// temporary failure is retried by the queue after the delay the outbox row's schedule gives
// (`retry-schedule.ts`); an error before any outcome was recorded (D1 or the queue itself) is
// retried on the same schedule by the message's attempts. If the queue's own retries run out,
// the dead-letter consumer hands the row to the sweeper.
import { parseQueueJob, type QueueJob } from '../../durable-objects/contracts/queue-job'
import { createDb } from '../db/client'
import { postponeCampaignAction } from '../db/queries/campaign-runs'
import { postponeDelivery } from '../db/queries/deliveries'
import { postponeDigest } from '../db/queries/flood-cap'
import { deliveryConfig } from './config'
import { deliverAccountMail } from './deliver-account-mail'
import { deliverAlert, type DeliveryContext } from './deliver-alert'
import { deliverCampaignAction } from './deliver-campaign-action'
import { recheckLists } from './recheck-lists'
import { deliverDigest } from './deliver-digest'
import { noteMalformed, recordDeadLetters } from './dead-letter'
import type { DeliveryOutcome } from './outbox-send'
import { retryDelaySeconds } from './retry-schedule'
import { transportFromConfig } from './transports/transport-from-config'

export const ALERTS_QUEUE = 'pagebell-alerts'
export const DEAD_LETTER_QUEUE = 'pagebell-alerts-dlq'

export async function consumeQueue(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const db = createDb(env.DB)
  if (batch.queue === DEAD_LETTER_QUEUE) return recordDeadLetters({ db, now: Date.now }, batch)
  const config = deliveryConfig(env)
  await consumeDeliveries(batch, { db, config, transport: transportFromConfig(config), queue: env.ALERTS, now: Date.now, env })
}

export async function consumeDeliveries(batch: MessageBatch<unknown>, ctx: DeliveryContext): Promise<void> {
  await Promise.all(
    batch.messages.map(async (message) => {
      const parsed = parseQueueJob(message.body)
      let outcome: DeliveryOutcome
      try {
        if (parsed.ok) {
          outcome = await deliver(ctx, parsed.job)
        } else {
          await noteMalformed(ctx.db, message.body, `rejected by the consumer: ${parsed.reason}`, ctx.now())
          outcome = { outcome: 'failed' }
        }
      } catch (err) {
        // D1 or the queue itself failed: nothing was sent (or the row says `sending`); try again.
        console.error('delivery failed before an outcome was recorded', err)
        const delaySeconds = retryDelaySeconds(message.attempts)
        if (parsed.ok) await postpone(ctx, parsed.job, ctx.now() + delaySeconds * 1000)
        outcome = { outcome: 'retry', delaySeconds }
      }
      if (outcome.outcome === 'retry') message.retry({ delaySeconds: outcome.delaySeconds })
      else message.ack()
    }),
  )
}

function deliver(ctx: DeliveryContext, job: QueueJob): Promise<DeliveryOutcome> {
  switch (job.kind) {
    case 'alert':
      return deliverAlert(ctx, job)
    case 'digest':
      return deliverDigest(ctx, job)
    case 'account-mail':
      return deliverAccountMail(ctx, job)
    case 'campaign-alert':
    case 'campaign-owner-notice':
    case 'campaign-webhook':
    case 'campaign-chat':
      return deliverCampaignAction(ctx, job)
    case 'lists-recheck':
      return recheckLists(ctx, job)
  }
}

/**
 * Tells the sweeper the queue carries this job's next attempt (at `at`), so it does not queue a
 * second copy meanwhile. Best effort: with D1 down this fails too, and a duplicate message is
 * harmless (the claim lets one attempt send).
 */
async function postpone(ctx: DeliveryContext, job: QueueJob, at: number): Promise<void> {
  try {
    if (job.kind === 'alert') await postponeDelivery(ctx.db, job.alertKey, at)
    else if (job.kind === 'digest') await postponeDigest(ctx.db, job.digestId, at)
    else if ('actionKey' in job) await postponeCampaignAction(ctx.db, job.actionKey, at)
    // An account mail has no sweeper to tell: only the queue carries it.
  } catch (err) {
    console.warn('could not record the next attempt time', err)
  }
}
