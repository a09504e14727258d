// "Re-send" for a failed or unknown outbox row, from the REST API and the outbox screen: the
// row goes back to pending with a fresh window and its stored job is queued again under the
// same alert key, so the real queue and SMTP sink deliver it once, and an idempotent transport
// that already had it delivers nothing twice. Refusals change nothing.
import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import type { QueueJob } from '../../../durable-objects/contracts/queue-job'
import { deliverAlert } from '../../../worker/delivery/deliver-alert'
import { recordDeadLetters } from '../../../worker/delivery/dead-letter'
import { resendDelivery } from '../../../worker/delivery/outbox-resend'
import { RETRY_WINDOW_MS } from '../../../worker/delivery/retry-schedule'
import { httpApiTransport } from '../../../worker/delivery/transports/http-api'
import { api, apiJson, createAdminWorkspace, logIn, PASSWORD, web } from '../admin/admin-fixture'
import {
  crashingAfterSend,
  db,
  deliverAt,
  deliveryContext,
  httpRequests,
  jobFor,
  mailsFor,
  newId,
  oneMessageBatch,
  outbox,
  smtp,
  smtpFault,
  testClock,
} from './support'

/** A workspace with its users and one alert, and a job of that alert that failed for good (550 at DATA). */
async function failedDelivery() {
  const ws = await createAdminWorkspace()
  const alertId = await ws.shop.addAlert('Pricing', { pages: [{ pattern: '/pricing/**', minSeconds: 10 }] })
  const job = jobFor(alertId, { workspaceId: ws.shop.workspaceId })
  await smtpFault(550, job.contact.ownerEmail!)
  expect(await deliverAt(deliveryContext(smtp()), job)).toMatchObject({ acked: true })
  const row = await outbox(job.alertKey)
  expect(row.status).toBe('failed')
  return { ws, job, row }
}

type DeliveryJson = { id: string; status: string; alertKey: string; attempts: Array<{ outcome: string; detail: string }> }

describe('re-sending from the outbox', () => {
  it('re-sends a failed delivery from the API under the same alert key, and the queue delivers it once', async () => {
    const { ws, job, row } = await failedDelivery()
    const res = await api(ws.marketer.token, 'POST', `/outbox/${row.id}/resend`)
    expect(res.status).toBe(202)
    const body = await res.json<DeliveryJson>()
    expect(body).toMatchObject({ id: row.id, status: 'pending', alertKey: job.alertKey })
    expect(body.attempts.at(-1)).toMatchObject({ outcome: 'resend', detail: `re-send requested by ${ws.marketer.email} (was failed)` })

    await expect.poll(() => mailsFor(job.contact.ownerEmail!), { timeout: 10_000 }).toHaveLength(1)
    const [mail] = await mailsFor(job.contact.ownerEmail!)
    expect(mail!.headers['x-pagebell-alert-key']).toBe(job.alertKey)
    await expect.poll(async () => (await outbox(job.alertKey)).status, { timeout: 5_000 }).toBe('sent')
    const { deliveries } = await apiJson<{ deliveries: Array<{ id: string; status: string; recipientOutcomes: unknown[] }> }>(
      ws.admin.token,
      'GET',
      '/outbox',
    )
    expect(deliveries.find((d) => d.id === row.id)).toMatchObject({
      status: 'sent',
      recipientOutcomes: [expect.objectContaining({ address: job.contact.ownerEmail, status: 'sent' })],
    })
  })

  it('refuses to re-send a delivery that is not failed or unknown, one of another workspace, and for a sales rep', async () => {
    const { ws, row } = await failedDelivery()
    const other = await createAdminWorkspace()
    expect((await api(ws.sales.token, 'POST', `/outbox/${row.id}/resend`)).status).toBe(403)
    const foreign = await api(other.admin.token, 'POST', `/outbox/${row.id}/resend`)
    expect(foreign.status).toBe(404)
    expect(await foreign.json()).toMatchObject({ error: 'not found' })
    expect((await api(ws.admin.token, 'POST', `/outbox/${newId('nope')}/resend`)).status).toBe(404)
    expect(await outbox(row.alertKey)).toMatchObject({ status: 'failed', attempts: 1 })

    expect((await api(ws.admin.token, 'POST', `/outbox/${row.id}/resend`)).status).toBe(202)
    const again = await api(ws.admin.token, 'POST', `/outbox/${row.id}/resend`)
    expect(again.status).toBe(409)
    const refusal = await again.json<{ error: string; reason: string }>()
    expect(refusal.error).toBe('conflict')
    expect(refusal.reason).toMatch(/^only a failed or unknown delivery can be re-sent/)
  })

  it('re-sends from the outbox screen with a button admins see and sales reps do not', async () => {
    const { ws, job, row } = await failedDelivery()
    const sales = await logIn(ws.sales.email, PASSWORD)
    const salesPage = await (await web(sales.cookie, 'GET', '/admin/outbox')).text()
    expect(salesPage).toContain('failed')
    expect(salesPage).not.toContain(`/admin/outbox/${row.id}/resend`)
    expect((await web(sales.cookie, 'POST', `/admin/outbox/${row.id}/resend`, { back: '/admin/outbox' })).status).toBe(403)

    const admin = await logIn(ws.admin.email, PASSWORD)
    const page = await (await web(admin.cookie, 'GET', '/admin/outbox')).text()
    expect(page).toContain(`action="/admin/outbox/${row.id}/resend"`)
    const posted = await web(admin.cookie, 'POST', `/admin/outbox/${row.id}/resend`, { back: '/admin/outbox' })
    expect(posted.status).toBe(303)
    expect(posted.headers.get('location')).toBe('/admin/outbox?notice=resent')
    const after = await (await web(admin.cookie, 'GET', '/admin/outbox?notice=resent')).text()
    expect(after).toContain('Queued to be sent again, with the same alert key.')
    await expect.poll(() => mailsFor(job.contact.ownerEmail!), { timeout: 10_000 }).toHaveLength(1)
  })

  it('never duplicates over an idempotent transport: the provider that already had the alert replays it', async () => {
    const ws = await createAdminWorkspace()
    const alertId = await ws.shop.addAlert('Pricing', { pages: [{ pattern: '/pricing/**', minSeconds: 10 }] })
    const job = jobFor(alertId, { workspaceId: ws.shop.workspaceId })
    const p = `/emails/${newId('p')}`
    const apiTransport = () => httpApiTransport({ url: `${env.HTTP_SINK_URL}${p}`, apiKey: 're_test_key' })
    const clock = testClock()
    // The provider accepts the alert, then the attempt dies before recording it; the row is later given up on.
    void deliverAlert(deliveryContext(crashingAfterSend(apiTransport()), { now: clock.now }), job)
    await expect.poll(() => httpRequests(p), { timeout: 5_000 }).toHaveLength(1)
    clock.advance(RETRY_WINDOW_MS)
    const { batch } = oneMessageBatch('pagebell-alerts-dlq', job)
    await recordDeadLetters({ db: db(), now: clock.now }, batch)
    const row = await outbox(job.alertKey)
    expect(row.status).toBe('failed')

    const queued: QueueJob[] = []
    const queue = { send: (body: QueueJob) => Promise.resolve(void queued.push(body)) }
    expect(
      await resendDelivery(
        { db: db(), queue, now: clock.now() },
        { workspaceId: ws.shop.workspaceId, deliveryId: row.id, requestedBy: 'ops' },
      ),
    ).toEqual({ ok: true })
    expect(queued).toEqual([job])
    expect(await deliverAt(deliveryContext(apiTransport(), { now: clock.now }), queued[0]!)).toMatchObject({ acked: true })

    const requests = await httpRequests(p)
    expect(requests.map((r) => [r.headers['idempotency-key'], r.replay])).toEqual([
      [job.alertKey, false],
      [job.alertKey, true],
    ])
    expect(await outbox(job.alertKey)).toMatchObject({ status: 'sent' })
  })
})
