// Queue consumers. The alerts queue carries alert jobs and the digest jobs the flood cap
// schedules; messages of a batch are delivered concurrently (each has its own outbox row) and
// acknowledged one by one. Every message is validated as a `QueueJob` first: one that is not
// (unknown kind, malformed) can never succeed, so it takes the dead-letter path at once, with
// the reason, instead of being retried. Temporary failures retry with exponential backoff;
// after the last retry the queue moves the message to the dead-letter queue, whose consumer
// records it failed.
import { parseQueueJob, type QueueJob } from '../../durable-objects/contracts/queue-job'
import { createDb } from '../db/client'
import { deliveryConfig } from './config'
import { deliverAlert, type DeliveryContext, type DeliveryOutcome } from './deliver-alert'
import { deliverDigest } from './deliver-digest'
import { deadLetter, recordDeadLetters } from './dead-letter'
import { transportFromConfig } from './transports/transport-from-config'

export const ALERTS_QUEUE = 'pagebell-alerts'
export const DEAD_LETTER_QUEUE = 'pagebell-alerts-dlq'

/** Seconds before retry n (1-based): 2, 4, 8, ... capped at 5 minutes. */
export const backoffSeconds = (attempt: number) => Math.min(300, 2 ** attempt)

export async function consumeQueue(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const db = createDb(env.DB)
  if (batch.queue === DEAD_LETTER_QUEUE) return recordDeadLetters(db, batch)
  const config = deliveryConfig(env)
  await consumeDeliveries(batch, { db, config, transport: transportFromConfig(config), queue: env.ALERTS, now: Date.now })
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
          await deadLetter(ctx.db, message.body, `rejected by the consumer: ${parsed.reason}`)
          outcome = 'failed'
        }
      } catch (err) {
        // D1 or the queue itself failed: nothing was sent (or the row says `sending`); try again.
        console.error('delivery failed before an outcome was recorded', err)
        outcome = 'retry'
      }
      if (outcome === 'retry') message.retry({ delaySeconds: backoffSeconds(message.attempts) })
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
  }
}
