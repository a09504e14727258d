// The dead-letter consumer never drops a job: a job whose queue retries ran out goes back to the
// outbox, due, for the sweeper (its row created from the job if D1 was down every time before);
// only a row whose 24-hour window is over is failed; and when D1 fails here too, the
// dead-letter message is retried rather than acknowledged unrecorded.
import { describe, expect, it } from 'vitest'
import type { QueueJob } from '../../../durable-objects/contracts/queue-job'
import type { Db } from '../../../worker/db/client'
import { DEAD_LETTER_QUEUE } from '../../../worker/delivery/consumer'
import { recordDeadLetters } from '../../../worker/delivery/dead-letter'
import { sweepOutbox } from '../../../worker/delivery/outbox-sweeper'
import { retryDelaySeconds, RETRY_WINDOW_MS, SWEEP_GRACE_MS } from '../../../worker/delivery/retry-schedule'
import { smtpTransport } from '../../../worker/delivery/transports/smtp'
import { db, deliverAt, deliveryContext, faultyD1, jobFor, mailsFor, oneMessageBatch, outbox, seedAlert, smtp, testClock } from './support'

const DOWN = 'smtp://127.0.0.1:9'

/** One dead-lettered message through the dead-letter consumer at `now`. */
async function deadLetter(job: unknown, now: number, database: Db = db()) {
  const { batch, outcome } = oneMessageBatch(DEAD_LETTER_QUEUE, job, 1)
  await recordDeadLetters({ db: database, now: () => now }, batch)
  return outcome
}

/** What a sweep at `now` queues for this job. */
async function sweptFor(alertKey: string, now: number): Promise<QueueJob[]> {
  const sent: QueueJob[] = []
  await sweepOutbox({ db: db(), queue: { send: (body: QueueJob) => Promise.resolve(void sent.push(body)) }, now })
  return sent.filter((j) => j.kind === 'alert' && j.alertKey === alertKey)
}

describe('dead-letter consumer', () => {
  it('hands a row still within its 24-hour window to the sweeper instead of failing it', async () => {
    const alert = await seedAlert()
    const job = jobFor(alert.id)
    const clock = testClock()
    expect(await deliverAt(deliveryContext(smtpTransport(DOWN), { now: clock.now }), job)).toMatchObject({ retried: true })

    clock.advance(3_600_000)
    expect(await deadLetter(job, clock.now())).toMatchObject({ acked: true, retried: false })
    const row = await outbox(job.alertKey)
    expect(row).toMatchObject({ status: 'pending', nextAttemptAt: clock.now() })
    expect(row.attemptLog.at(-1)?.outcome).toBe('retry')
    expect(row.attemptLog.at(-1)?.detail).toContain('the outbox sweeper queues it again')
    expect(await sweptFor(job.alertKey, clock.now() + SWEEP_GRACE_MS)).toEqual([job])
  })

  it('puts a job that never reached the outbox (D1 down on every try) into it, due, and the sweeper delivers it', async () => {
    const alert = await seedAlert()
    const job = jobFor(alert.id)
    const now = Date.now()
    expect(await deadLetter(job, now)).toMatchObject({ acked: true })
    expect(await outbox(job.alertKey)).toMatchObject({ status: 'pending', attempts: 0, job, retryUntil: now + RETRY_WINDOW_MS })

    const [swept] = await sweptFor(job.alertKey, now + SWEEP_GRACE_MS)
    expect(swept).toEqual(job)
    expect(await deliverAt(deliveryContext(smtp()), swept!)).toMatchObject({ acked: true })
    expect(await mailsFor(job.contact.ownerEmail!)).toHaveLength(1)
  })

  it('marks the row failed once its 24-hour window is over', async () => {
    const alert = await seedAlert()
    const job = jobFor(alert.id)
    const clock = testClock()
    await deliverAt(deliveryContext(smtpTransport(DOWN), { now: clock.now }), job)
    clock.advance(RETRY_WINDOW_MS)
    expect(await deadLetter(job, clock.now())).toMatchObject({ acked: true })
    const row = await outbox(job.alertKey)
    expect(row.status).toBe('failed')
    expect(row.error).toMatch(/^gave up: the queue's retries ran out \(dead-letter queue\) after the retry window ended; last error: smtp:/)
  })

  it('retries the dead-letter message when D1 fails, and records the job once D1 is back', async () => {
    const alert = await seedAlert()
    const job = jobFor(alert.id)
    const faulty = faultyD1({ sql: /alert_deliveries/, times: 1 })
    expect(await deadLetter(job, Date.now(), faulty.db)).toEqual({ acked: false, retried: true, delaySeconds: retryDelaySeconds(1) })
    expect(faulty.failures()).toBe(1)
    expect(await deadLetter(job, Date.now())).toMatchObject({ acked: true })
    expect(await outbox(job.alertKey)).toMatchObject({ status: 'pending', job })
  })

  it('leaves a dead-lettered job for a deleted alert logged, with nothing to record it on', async () => {
    const job = jobFor('alr_gone')
    expect(await deadLetter(job, Date.now())).toMatchObject({ acked: true })
    expect(await db().query.alertDeliveries.findFirst({ where: (d, { eq }) => eq(d.alertKey, job.alertKey) })).toBeUndefined()
  })
})
