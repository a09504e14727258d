// Queue consumers. The alerts queue carries alert jobs and the digest jobs the flood cap
// schedules; messages of a batch are delivered concurrently (each has its own outbox row) and
// acknowledged one by one. Temporary failures retry with exponential backoff; after the last
// retry the queue moves the message to the dead-letter queue, whose consumer records it failed.
import { createDb } from '../db/client'
import { deliveryConfig } from './config'
import { deliverAlert, type DeliveryContext, type DeliveryOutcome } from './deliver-alert'
import { deliverDigest } from './deliver-digest'
import { isDigestJob, type DeliveryJob } from './delivery-job'
import { recordDeadLetters } from './dead-letter'
import { transportFromConfig } from './transports'

export const ALERTS_QUEUE = 'pagebell-alerts'
export const DEAD_LETTER_QUEUE = 'pagebell-alerts-dlq'

/** Seconds before retry n (1-based): 2, 4, 8, ... capped at 5 minutes. */
export const backoffSeconds = (attempt: number) => Math.min(300, 2 ** attempt)

export async function consumeQueue(batch: MessageBatch<DeliveryJob>, env: Env): Promise<void> {
  const db = createDb(env.DB)
  if (batch.queue === DEAD_LETTER_QUEUE) return recordDeadLetters(db, batch)
  const config = deliveryConfig(env)
  await consumeDeliveries(batch, { db, config, transport: transportFromConfig(config), queue: env.ALERTS, now: Date.now })
}

export async function consumeDeliveries(batch: MessageBatch<DeliveryJob>, ctx: DeliveryContext): Promise<void> {
  await Promise.all(
    batch.messages.map(async (message) => {
      let outcome: DeliveryOutcome
      try {
        outcome = isDigestJob(message.body) ? await deliverDigest(ctx, message.body) : await deliverAlert(ctx, message.body)
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
