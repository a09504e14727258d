// Consumer of the dead-letter queue: a job lands here after its last retry. Its outbox row (or
// digest) is marked failed with the reason, so nothing is lost silently; then it is acknowledged.
import type { Db } from '../db/client'
import { failOpenDelivery } from '../db/queries/deliveries'
import { failOpenDigest } from '../db/queries/flood-cap'
import { isDigestJob, type DeliveryJob } from './delivery-job'

export async function recordDeadLetters(db: Db, batch: MessageBatch<DeliveryJob>): Promise<void> {
  for (const message of batch.messages) {
    const job = message.body
    if (isDigestJob(job)) {
      await failOpenDigest(db, job.digestId, 'gave up after the last retry (dead-letter queue)')
    } else {
      const row = await failOpenDelivery(db, job.alertKey, 'gave up after the last retry (dead-letter queue)')
      if (!row) console.warn(`dead-lettered alert ${job.alertKey} had no open outbox row`)
    }
    message.ack()
  }
}
