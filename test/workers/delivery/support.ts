// Helpers for the delivery tests: an alert row and a job for it, a delivery context over the
// real D1 and a real transport, one-message batches to drive retries deterministically, and
// the two real receivers (SMTP sink, HTTP sink).
import { createExecutionContext, createMessageBatch, env, getQueueResult } from 'cloudflare:test'
import type { AlertJob } from '../../../durable-objects/contracts/alert-job'
import { createDb } from '../../../worker/db/client'
import { findDelivery, attemptsOf } from '../../../worker/db/queries/deliveries'
import { seedDemo } from '../../../worker/db/queries/demo'
import { alerts } from '../../../worker/db/schema'
import { DEMO } from '../../../worker/demo/demo-data'
import { deliveryConfig } from '../../../worker/delivery/config'
import { consumeDeliveries, ALERTS_QUEUE } from '../../../worker/delivery/consumer'
import type { DeliveryContext } from '../../../worker/delivery/deliver-alert'
import type { QueueJob } from '../../../durable-objects/contracts/queue-job'
import { smtpTransport } from '../../../worker/delivery/transports/smtp'
import type { Transport } from '../../../worker/delivery/transports/transport'
import type { ReceivedRequest } from '../../support/received-request'
import type { ReceivedMail } from '../../support/received-mail'
import { mails, newId } from '../support/collect'

export { newId }
export const db = () => createDb(env.DB)

export async function seedAlert(overrides: Partial<typeof alerts.$inferInsert> = {}) {
  await seedDemo(db(), DEMO)
  const row = { ...DEMO.alert, id: newId('alr'), cc: '', ...overrides }
  await db().insert(alerts).values(row)
  return row
}

/** A job as a contact's object would send it, for a contact owned by a fresh address. */
export function jobFor(alertId: string, overrides: Partial<AlertJob> = {}): AlertJob {
  const id = newId('c')
  const now = Date.now()
  return {
    kind: 'alert',
    alertKey: `${alertId}:${id}:d2026-11-23:1`,
    alertId,
    workspaceId: DEMO.workspace.id,
    firedAt: now,
    contact: {
      id,
      workspaceId: DEMO.workspace.id,
      email: `${id}@buyer.test`,
      name: 'Dana Buyer',
      company: 'Buyer Inc',
      phone: '+33 1 23 45 67 89',
      ownerEmail: `owner-${id}@acme.test`,
      ownerName: 'Olivia Owner',
      tags: ['hot', 'trial'],
      score: 70,
      identifiedBy: 'form',
    },
    visit: { url: 'https://shop.test/pricing/plans', title: 'Plans', visibleMs: 12_400, startedAt: now - 12_400 },
    recentActivity: [
      { type: 'pageview', at: now - 60_000, url: 'https://shop.test/', title: 'Home', visibleMs: 20_000 },
      { type: 'form', at: now - 30_000, url: 'https://shop.test/contact', detail: { id: 'contact-form', company: 'Buyer Inc' } },
      { type: 'pageview', at: now - 12_400, url: 'https://shop.test/pricing/plans', title: 'Plans', visibleMs: 12_400 },
    ],
    ...overrides,
  }
}

export const smtp = () => smtpTransport(env.SMTP_URL)

/** Sends, then never returns: the consumer died after the receiver accepted, before recording it. */
export function crashingAfterSend(transport: Transport): Transport {
  return {
    ...transport,
    async send(message) {
      await transport.send(message)
      await new Promise<never>(() => {})
    },
  }
}

/** Digest jobs the consumer schedules, captured instead of waiting an hour for the queue. */
export function recordingQueue() {
  const sent: Array<{ body: QueueJob; delaySeconds: number | undefined }> = []
  return {
    sent,
    sendBatch(messages: Iterable<MessageSendRequest<QueueJob>>): Promise<void> {
      for (const m of messages) sent.push({ body: m.body, delaySeconds: m.delaySeconds })
      return Promise.resolve()
    },
  }
}

export function deliveryContext(transport: Transport, overrides: Partial<DeliveryContext> = {}): DeliveryContext {
  return { db: db(), config: deliveryConfig(env), transport, queue: env.ALERTS, now: Date.now, ...overrides }
}

/** Runs one delivery of `job` as its `attempts`-th queue delivery; says whether it was acked or retried. */
export async function deliverOnce(ctx: DeliveryContext, job: QueueJob, attempts = 1) {
  const batch = createMessageBatch<QueueJob>(ALERTS_QUEUE, [{ id: newId('m'), timestamp: new Date(), attempts, body: job }])
  const exec = createExecutionContext()
  await consumeDeliveries(batch, ctx)
  const result = await getQueueResult(batch, exec)
  return { acked: result.explicitAcks.length === 1, retried: result.retryMessages.length === 1 }
}

export async function outbox(alertKey: string) {
  const row = await findDelivery(db(), alertKey)
  if (!row) throw new Error(`no outbox row for ${alertKey}`)
  return { ...row, attemptLog: await attemptsOf(db(), row.id) }
}

export const mailsFor = async (address: string): Promise<ReceivedMail[]> =>
  (await mails()).filter((m) => m.envelopeTo.includes(address.toLowerCase()) || m.envelopeTo.includes(address))

export async function smtpFault(code: number, to: string, count = 1) {
  await fetch(`${env.MAIL_SINK_URL}/faults`, { method: 'POST', body: JSON.stringify({ code, count, to }) })
}

export async function httpRequests(path: string): Promise<ReceivedRequest[]> {
  const res = await fetch(`${env.HTTP_SINK_URL}/_requests`)
  const all = await res.json<ReceivedRequest[]>()
  return all.filter((r) => r.path === path)
}

export async function httpFault(status: number, path: string, count = 1) {
  await fetch(`${env.HTTP_SINK_URL}/_faults`, { method: 'POST', body: JSON.stringify({ status, count, path }) })
}
