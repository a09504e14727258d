// The dead-letter path: where a job ends that will not be delivered. The dead-letter queue's
// consumer sends every job that exhausted its retries here, and the alerts consumer sends a
// message that is not a valid job at once. Its outbox row (or digest) is marked failed with the
// reason and the reason is logged, so nothing is lost silently; then it is acknowledged.
import * as v from 'valibot'
import { parseQueueJob } from '../../durable-objects/contracts/queue-job'
import type { Db } from '../db/client'
import { failOpenDelivery } from '../db/queries/deliveries'
import { failOpenDigest } from '../db/queries/flood-cap'

const GAVE_UP = 'gave up after the last retry (dead-letter queue)'

/** The keys a malformed body may still carry, to find the row it was meant for. */
const JobKeys = v.object({ alertKey: v.optional(v.string()), digestId: v.optional(v.string()) })

export async function recordDeadLetters(db: Db, batch: MessageBatch<unknown>): Promise<void> {
  for (const message of batch.messages) {
    const parsed = parseQueueJob(message.body)
    await deadLetter(db, message.body, parsed.ok ? GAVE_UP : `${GAVE_UP}; ${parsed.reason}`)
    message.ack()
  }
}

/** Marks the job's open outbox row or digest failed with `reason`; logs it when nothing is left to mark. */
export async function deadLetter(db: Db, body: unknown, reason: string): Promise<void> {
  const parsed = parseQueueJob(body)
  if (parsed.ok) {
    const job = parsed.job
    switch (job.kind) {
      case 'digest':
        await failOpenDigest(db, job.digestId, reason)
        return
      case 'alert':
        if (!(await failOpenDelivery(db, job.alertKey, reason))) console.warn(`dead-lettered alert ${job.alertKey} had no open outbox row`)
        return
    }
  }
  // Not a job: record it on whatever row it names, and always in the log with its body.
  console.error(`dead letter: ${reason}`, JSON.stringify(body))
  const keys = v.safeParse(JobKeys, body)
  if (!keys.success) return
  if (keys.output.alertKey !== undefined) await failOpenDelivery(db, keys.output.alertKey, reason)
  if (keys.output.digestId !== undefined) await failOpenDigest(db, keys.output.digestId, reason)
}
