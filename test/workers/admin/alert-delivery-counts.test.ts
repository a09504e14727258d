// The outbox counts alert analytics read (`alert_delivery_counts`) always equal a full recount of
// the outbox rows per alert, quarter hour and status: after every write that creates a row or
// changes its status (delivery: insert, claim, sent, retry, failed, digested, skipped, an
// interrupted send found unknown or reopened; re-send; the sweeper; the dead-letter consumer;
// erasing a contact; deleting an alert), and after the migration's backfill. Sends go to the real
// local HTTP receiver through the e-mail API transport.
import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import type { QueueJob } from '../../../durable-objects/contracts/queue-job'
import { deleteAlert } from '../../../worker/db/queries/alerts'
import { eraseContactRows } from '../../../worker/db/queries/contacts'
import { openDelivery } from '../../../worker/db/queries/deliveries'
import { contacts } from '../../../worker/db/schema'
import { DEMO } from '../../../worker/demo/demo-data'
import { deliveryConfig } from '../../../worker/delivery/config'
import { recordDeadLetters } from '../../../worker/delivery/dead-letter'
import { deliverAlert } from '../../../worker/delivery/deliver-alert'
import { resendDelivery } from '../../../worker/delivery/outbox-resend'
import { sweepOutbox } from '../../../worker/delivery/outbox-sweeper'
import { RETRY_WINDOW_MS, SENDING_STALE_MS } from '../../../worker/delivery/retry-schedule'
import { httpApiTransport } from '../../../worker/delivery/transports/http-api'
import type { Transport } from '../../../worker/delivery/transports/transport'
import {
  crashingAfterSend,
  db,
  deliverAt,
  deliveryContext,
  httpFault,
  httpRequests,
  jobFor,
  newId,
  oneMessageBatch,
  outbox,
  recordingQueue,
  seedAlert,
  testClock,
} from '../delivery/support'

type Count = { alert_id: string; quarter_hour: number; status: string; deliveries: number }

const RECOUNT = `SELECT alert_id, CAST(created_at AS INTEGER) / 900000 AS quarter_hour, status, count(*) AS deliveries
  FROM alert_deliveries WHERE alert_id IN (SELECT value FROM json_each(?1)) GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`
const KEPT = `SELECT alert_id, quarter_hour, status, deliveries FROM alert_delivery_counts
  WHERE deliveries <> 0 AND alert_id IN (SELECT value FROM json_each(?1)) ORDER BY 1, 2, 3`

/**
 * The kept counts of `alertIds` (zeros left out: a status whose rows all moved on) against a
 * recount of their outbox rows. One test's alerts each, so a failure names the write that missed.
 */
async function expectCountsAsRecounted(...alertIds: string[]) {
  const ids = JSON.stringify(alertIds)
  const [kept, recount] = await env.DB.batch<Count>([env.DB.prepare(KEPT).bind(ids), env.DB.prepare(RECOUNT).bind(ids)])
  expect(recount?.results.length).toBeGreaterThan(0)
  expect(kept?.results).toEqual(recount?.results)
}

/** The e-mail API transport to a fresh path of the HTTP receiver. */
function receiver() {
  const path = `/counts/${newId('p')}`
  return { path, transport: httpApiTransport({ url: `${env.HTTP_SINK_URL}${path}`, apiKey: 're_test_key' }) }
}

/** A queue that keeps what it is sent. */
function keepingQueue() {
  const sent: QueueJob[] = []
  return { sent, send: (body: QueueJob) => Promise.resolve(void sent.push(body)) }
}

/** An outbox row as delivery opens it (pending, no attempt yet), with `job` stored on it. */
const openRow = (alertId: string, alertKey: string, job: unknown, now = Date.now()) =>
  openDelivery(
    db(),
    { alertKey, workspaceId: DEMO.workspace.id, alertId, contactId: newId('c'), transport: '', job },
    { now, retryUntil: now + RETRY_WINDOW_MS },
  )

describe('alert delivery counts: equal to a recount of the outbox after every write', () => {
  it('delivery: insert, claim and sent', async () => {
    const alert = await seedAlert()
    const job = jobFor(alert.id)
    expect(await deliverAt(deliveryContext(receiver().transport), job)).toMatchObject({ acked: true })
    expect((await outbox(job.alertKey)).status).toBe('sent')
    await expectCountsAsRecounted(alert.id)
  })

  it('delivery: a temporary failure (pending again), then a permanent one (failed), then a re-send (pending)', async () => {
    const alert = await seedAlert()
    const job = jobFor(alert.id)
    const { path, transport } = receiver()
    await httpFault(503, path)
    expect(await deliverAt(deliveryContext(transport), job)).toMatchObject({ retried: true })
    expect((await outbox(job.alertKey)).status).toBe('pending')
    await expectCountsAsRecounted(alert.id)

    await httpFault(400, path)
    expect(await deliverAt(deliveryContext(transport), job, 2)).toMatchObject({ acked: true })
    const failed = await outbox(job.alertKey)
    expect(failed.status).toBe('failed')
    await expectCountsAsRecounted(alert.id)

    const queue = keepingQueue()
    const resend = { workspaceId: DEMO.workspace.id, deliveryId: failed.id, requestedBy: 'admin@acme.test' }
    expect(await resendDelivery({ db: db(), queue, now: Date.now() }, resend)).toEqual({ ok: true })
    expect((await outbox(job.alertKey)).status).toBe('pending')
    await expectCountsAsRecounted(alert.id)
  })

  it('delivery: folded into a digest (digested), and skipped while the alert is OFF', async () => {
    const alert = await seedAlert()
    const capped = deliveryContext(receiver().transport, {
      queue: recordingQueue(),
      config: { ...deliveryConfig(env), ALERTS_PER_RECIPIENT_HOUR: 1 },
    })
    const owner = `${newId('owner')}@acme.test`
    const jobs = [jobFor(alert.id), jobFor(alert.id)].map((j) => ({ ...j, contact: { ...j.contact, ownerEmail: owner } }))
    for (const job of jobs) await deliverAt(capped, job)
    expect((await outbox(jobs[1]!.alertKey)).status).toBe('digested')

    const off = await seedAlert({ active: false })
    const skipped = jobFor(off.id)
    await deliverAt(deliveryContext(receiver().transport), skipped)
    expect((await outbox(skipped.alertKey)).status).toBe('skipped')
    await expectCountsAsRecounted(alert.id, off.id)
  })

  it('delivery: an interrupted send (left sending) found unknown by a transport that must not repeat it, reopened and sent by one that may', async () => {
    const alert = await seedAlert()
    for (const idempotent of [false, true]) {
      const job = jobFor(alert.id)
      const clock = testClock()
      const { path, transport } = receiver()
      const once: Transport = { ...transport, idempotent }
      void deliverAlert(deliveryContext(crashingAfterSend(once), { now: clock.now }), job)
      await expect.poll(() => httpRequests(path), { timeout: 5_000 }).toHaveLength(1)
      expect((await outbox(job.alertKey)).status).toBe('sending')
      await expectCountsAsRecounted(alert.id)

      clock.advance(SENDING_STALE_MS)
      await deliverAt(deliveryContext(once, { now: clock.now }), job, 2)
      expect((await outbox(job.alertKey)).status).toBe(idempotent ? 'sent' : 'unknown')
      await expectCountsAsRecounted(alert.id)
    }
  })

  it('the sweeper: a row whose stored job cannot be read is failed', async () => {
    const alert = await seedAlert()
    const now = Date.now()
    const opened = await openRow(alert.id, newId('key'), { kind: 'nonsense' }, now - RETRY_WINDOW_MS)
    await expectCountsAsRecounted(alert.id)
    await sweepOutbox({ db: db(), queue: keepingQueue(), now })
    expect((await outbox(opened!.alertKey)).status).toBe('failed')
    await expectCountsAsRecounted(alert.id)
  })

  it('the dead-letter consumer: a job without a row gets one (pending); a row past its retry window is failed', async () => {
    const alert = await seedAlert()
    const job = jobFor(alert.id)
    const clock = testClock()
    await recordDeadLetters({ db: db(), now: clock.now }, oneMessageBatch('dead', job).batch)
    expect((await outbox(job.alertKey)).status).toBe('pending')
    await expectCountsAsRecounted(alert.id)

    clock.advance(RETRY_WINDOW_MS)
    await recordDeadLetters({ db: db(), now: clock.now }, oneMessageBatch('dead', job).batch)
    expect((await outbox(job.alertKey)).status).toBe('failed')
    await expectCountsAsRecounted(alert.id)
  })

  it('erasing a contact: its open rows closed as skipped, a reserved alert recorded as a skipped row', async () => {
    const alert = await seedAlert()
    const job = jobFor(alert.id)
    const { path, transport } = receiver()
    await httpFault(503, path)
    await deliverAt(deliveryContext(transport), job)
    expect((await outbox(job.alertKey)).status).toBe('pending')
    await db().insert(contacts).values({ id: job.contact.id, workspaceId: DEMO.workspace.id, email: job.contact.email })

    const reserved = [{ alertKey: `${alert.id}:${job.contact.id}:d2026-11-24:1`, alertId: alert.id }]
    const erased = await eraseContactRows(db(), { workspaceId: DEMO.workspace.id }, job.contact.id, reserved, Date.now())
    expect(erased).toEqual({ erased: true, outboxRows: 1 })
    expect((await outbox(job.alertKey)).status).toBe('skipped')
    expect((await outbox(reserved[0]!.alertKey)).status).toBe('skipped')
    await expectCountsAsRecounted(alert.id)
  })

  it('deleting an alert: its counts go with its rows', async () => {
    const alert = await seedAlert()
    for (let i = 0; i < 3; i++) await deliverAt(deliveryContext(receiver().transport), jobFor(alert.id))
    await expectCountsAsRecounted(alert.id)
    expect(await deleteAlert(db(), DEMO.workspace.id, alert.id)).toBe(true)
    const left = await env.DB.prepare('SELECT count(*) AS n FROM alert_delivery_counts WHERE alert_id = ?')
      .bind(alert.id)
      .first<{ n: number }>()
    expect(left?.n).toBe(0)
  })

  it('any other delete of an outbox row counts it down', async () => {
    const alert = await seedAlert()
    const keys = [newId('key'), newId('key')]
    for (const alertKey of keys) await openRow(alert.id, alertKey, { kind: 'alert' })
    await env.DB.prepare('DELETE FROM alert_deliveries WHERE alert_key = ?').bind(keys[0]).run()
    await expectCountsAsRecounted(alert.id)
  })

  it("the migration's backfill counts the rows already there as the triggers do", async () => {
    const alert = await seedAlert()
    await deliverAt(deliveryContext(receiver().transport), jobFor(alert.id))
    const migration = env.TEST_MIGRATIONS.find((m) => m.name.startsWith('0014_'))
    const backfill = migration?.queries.find((q) => q.startsWith('INSERT INTO `alert_delivery_counts`'))
    expect(backfill).toBeDefined()
    // Counted anew from nothing, in one transaction.
    await env.DB.batch([env.DB.prepare('DELETE FROM alert_delivery_counts'), env.DB.prepare(backfill!)])
    const every = await env.DB.prepare("SELECT id FROM campaigns WHERE category = 'alert'").all<{ id: string }>()
    await expectCountsAsRecounted(...every.results.map((a) => a.id))
  })
})
