// The outbox sweeper queues again what the queue lost: a pending row (or digest) whose next
// attempt is long overdue, from the job stored on the row, and a row left `sending` by an
// attempt that died unredelivered. It runs from the cron trigger with the trigger's time, so
// here the time is driven; the last test runs it through the real `scheduled` handler and the
// real queue.
import { createScheduledController, env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import type { QueueJob } from '../../../durable-objects/contracts/queue-job'
import { findDigest } from '../../../worker/db/queries/flood-cap'
import { deliverAlert } from '../../../worker/delivery/deliver-alert'
import worker from '../../../worker/index'
import { HOUR_MS, hourStartOf } from '../../../worker/delivery/flood-cap'
import { sweepOutbox } from '../../../worker/delivery/outbox-sweeper'
import { SENDING_STALE_MS, SWEEP_GRACE_MS } from '../../../worker/delivery/retry-schedule'
import { smtpTransport } from '../../../worker/delivery/transports/smtp'
import {
  crashingAfterSend,
  db,
  deliverAt,
  deliveryContext,
  foldedDigest,
  jobFor,
  mailsFor,
  newId,
  outbox,
  seedAlert,
  smtp,
  testClock,
} from './support'

const DOWN = 'smtp://127.0.0.1:9'

/** One sweep at `now`; the jobs it queued. */
async function sweep(now: number): Promise<QueueJob[]> {
  const sent: QueueJob[] = []
  await sweepOutbox({ db: db(), queue: { send: (body: QueueJob) => Promise.resolve(void sent.push(body)) }, now })
  return sent
}

const alertJobs = (jobs: QueueJob[], alertKey: string) => jobs.filter((j) => j.kind === 'alert' && j.alertKey === alertKey)

describe('outbox sweeper', () => {
  it('queues again, from the job stored on the row, a pending delivery whose queued retry was lost', async () => {
    const alert = await seedAlert()
    const job = jobFor(alert.id)
    const clock = testClock()
    const first = await deliverAt(deliveryContext(smtpTransport(DOWN), { now: clock.now }), job)
    expect(first).toMatchObject({ retried: true })
    const dueAt = clock.now() + first.delaySeconds! * 1000

    // While the queue may still deliver the retry, the sweeper leaves it alone.
    expect(alertJobs(await sweep(dueAt + SWEEP_GRACE_MS - 1), job.alertKey)).toEqual([])
    const late = dueAt + SWEEP_GRACE_MS
    expect(alertJobs(await sweep(late), job.alertKey)).toEqual([job])
    // Leased: a second sweep at the same time does not queue it twice.
    expect(alertJobs(await sweep(late), job.alertKey)).toEqual([])

    clock.at(late)
    expect(await deliverAt(deliveryContext(smtp(), { now: clock.now }), job, 1)).toMatchObject({ acked: true })
    expect(await mailsFor(job.contact.ownerEmail!)).toHaveLength(1)
    expect(alertJobs(await sweep(late + 2 * SWEEP_GRACE_MS), job.alertKey)).toEqual([])
  })

  it('queues a delivery left sending by an attempt that died, whose redelivery then marks it unknown over SMTP', async () => {
    const alert = await seedAlert()
    const job = jobFor(alert.id)
    const clock = testClock()
    void deliverAlert(deliveryContext(crashingAfterSend(smtp()), { now: clock.now }), job)
    await expect.poll(() => mailsFor(job.contact.ownerEmail!), { timeout: 5_000 }).toHaveLength(1)

    // The queue normally redelivers the crashed attempt's message; the sweeper steps in only once that is long overdue.
    expect(alertJobs(await sweep(clock.now() + SENDING_STALE_MS), job.alertKey)).toEqual([])
    clock.advance(SENDING_STALE_MS + SWEEP_GRACE_MS)
    const [again] = alertJobs(await sweep(clock.now()), job.alertKey)
    expect(again).toEqual(job)

    expect(await deliverAt(deliveryContext(smtp(), { now: clock.now }), again!)).toMatchObject({ acked: true })
    expect(await mailsFor(job.contact.ownerEmail!)).toHaveLength(1)
    expect(await outbox(job.alertKey)).toMatchObject({ status: 'unknown' })
  })

  it('queues an hourly digest whose delayed message was lost, once its hour is long over', async () => {
    const owner = `owner-${newId('s')}@acme.test`
    const digest = await foldedDigest(owner)
    const hourEnd = hourStartOf(digest.hourStart) + HOUR_MS
    const digestJobs = (jobs: QueueJob[]) => jobs.filter((j) => j.kind === 'digest' && j.digestId === digest.digestId)

    expect(digestJobs(await sweep(hourEnd + SWEEP_GRACE_MS - 1))).toEqual([])
    const [swept] = digestJobs(await sweep(hourEnd + SWEEP_GRACE_MS))
    expect(swept).toEqual(digest)

    expect(await deliverAt(deliveryContext(smtp(), { now: () => hourEnd + SWEEP_GRACE_MS }), swept!)).toMatchObject({ acked: true })
    expect(await findDigest(db(), digest.digestId)).toMatchObject({ status: 'sent' })
    expect((await mailsFor(owner)).map((m) => m.subject)).toEqual(['[Pagebell] Pricing interest', '[Pagebell] 1 more alert this hour'])
  })

  it('runs from the cron trigger, and the real queue delivers what it queued', async () => {
    const alert = await seedAlert()
    const job = jobFor(alert.id)
    const start = Date.now()
    expect(await deliverAt(deliveryContext(smtpTransport(DOWN), { now: () => start }), job)).toMatchObject({ retried: true })
    // The queued retry is lost; the trigger fires once it is long overdue.
    const controller = createScheduledController({ scheduledTime: new Date(start + 60_000 + SWEEP_GRACE_MS), cron: '* * * * *' })
    await worker.scheduled(controller, env)
    await expect.poll(() => mailsFor(job.contact.ownerEmail!), { timeout: 10_000 }).toHaveLength(1)
    await expect.poll(async () => (await outbox(job.alertKey)).status, { timeout: 5_000 }).toBe('sent')
  })
})
