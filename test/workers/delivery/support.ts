// Helpers for the delivery tests: an alert row and a job for it, a delivery context over the
// real D1 and a real transport, one-message batches to drive retries deterministically, and
// the two real receivers (SMTP sink, HTTP sink).
import { env } from 'cloudflare:test'
import type { AlertJob } from '../../../durable-objects/contracts/alert-job'
import { createDb } from '../../../worker/db/client'
import { findDelivery, attemptsOf } from '../../../worker/db/queries/deliveries'
import { insertSeedAlert, seedDemo, type SeedAlert } from '../../../worker/db/queries/demo'
import { DEMO } from '../../../worker/demo/demo-data'
import { deliveryConfig } from '../../../worker/delivery/config'
import { consumeDeliveries, ALERTS_QUEUE } from '../../../worker/delivery/consumer'
import type { DeliveryContext } from '../../../worker/delivery/deliver-alert'
import type { DigestJob, QueueJob } from '../../../durable-objects/contracts/queue-job'
import { smtpTransport } from '../../../worker/delivery/transports/smtp'
import type { Transport } from '../../../worker/delivery/transports/transport'
import type { ReceivedRequest } from '../../support/received-request'
import type { ReceivedMail } from '../../support/received-mail'
import { mails, newId } from '../support/collect'

export { newId }
export const db = () => createDb(env.DB)

export async function seedAlert(overrides: Partial<SeedAlert> = {}) {
  await seedDemo(db(), DEMO)
  const row = { ...DEMO.alert, id: newId('alr'), cc: '', ...overrides }
  await insertSeedAlert(db(), row)
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

// `getQueueResult` is typed with a `FetcherQueueResult` the pool's types do not declare.
export type QueueResult = { explicitAcks: string[]; retryMessages: unknown[] }

/** Runs one delivery of `job` as its `attempts`-th queue delivery; says whether it was acked or retried. */
export async function deliverOnce(ctx: DeliveryContext, job: QueueJob, attempts = 1) {
  const { acked, retried } = await deliverAt(ctx, job, attempts)
  return { acked, retried }
}

/**
 * As `deliverOnce`, with the delay a retry asks the queue for. The pool's test batch does not
 * keep retry options, so this one message records its own ack or retry.
 */
export async function deliverAt(ctx: DeliveryContext, job: QueueJob, attempts = 1) {
  const { batch, outcome } = oneMessageBatch(ALERTS_QUEUE, job, attempts)
  await consumeDeliveries(batch, ctx)
  return { acked: outcome.acked, retried: outcome.retried, delaySeconds: outcome.delaySeconds }
}

/** A batch of one message whose ack or retry (with its delay) is read from `outcome`. */
export function oneMessageBatch<Body>(queue: string, body: Body, attempts = 1) {
  const outcome = { acked: false, retried: false, delaySeconds: undefined as number | undefined }
  const message: Message<Body> = {
    id: newId('m'),
    timestamp: new Date(),
    body,
    attempts,
    ack: () => void (outcome.acked = true),
    retry: (options?: QueueRetryOptions) => {
      outcome.retried = true
      outcome.delaySeconds = options?.delaySeconds
    },
  }
  const batch: MessageBatch<Body> = {
    queue,
    messages: [message],
    metadata: { metrics: { backlogCount: 0, backlogBytes: 0 } },
    ackAll: () => message.ack(),
    retryAll: (o) => message.retry(o),
  }
  return { batch, outcome }
}

/** A clock the test moves: `now()` for a context, `at(ms)` to set it, `advance(ms)` to move it on. */
export function testClock(start = Date.now()) {
  let t = start
  return {
    now: () => t,
    at: (ms: number) => (t = ms),
    advance: (ms: number) => (t += ms),
  }
}

/**
 * The real D1, with faults injected in front of it: the next `times` statements whose SQL
 * matches `sql`, or the next `times` batches, fail as a D1 outage would. `failures()` counts
 * the faults served.
 */
export function faultyD1(fault: { sql: RegExp; times: number } | { batch: true; times: number }) {
  let left = fault.times
  let served = 0
  const fail = () => {
    left--
    served++
    return new Error('D1_ERROR: injected failure (database unavailable)')
  }
  const d1 = new Proxy(env.DB, {
    get(target, prop) {
      if (prop === 'prepare' && 'sql' in fault)
        return (query: string) => {
          if (left > 0 && fault.sql.test(query)) throw fail()
          return target.prepare(query)
        }
      if (prop === 'batch' && 'batch' in fault)
        return (statements: D1PreparedStatement[]) => (left > 0 ? Promise.reject(fail()) : target.batch(statements))
      const value: unknown = Reflect.get(target, prop)
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value
    },
  })
  return { db: createDb(d1), failures: () => served }
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

/** Two alerts for one owner with a cap of 1: the second is folded; returns its digest job. */
export async function foldedDigest(owner: string): Promise<DigestJob> {
  const alert = await seedAlert()
  const queue = recordingQueue()
  const ctx = deliveryContext(smtp(), { queue, config: { ...deliveryConfig(env), ALERTS_PER_RECIPIENT_HOUR: 1 } })
  for (let i = 0; i < 2; i++) {
    const job = jobFor(alert.id)
    await deliverOnce(ctx, { ...job, contact: { ...job.contact, ownerEmail: owner } })
  }
  const digests = queue.sent.map((s) => s.body)
  const [digest] = digests
  if (digests.length !== 1 || digest?.kind !== 'digest') throw new Error(`expected one digest job, got ${JSON.stringify(digests)}`)
  return digest
}
