// The consumer checks every message against the one queue-job schema: a body that is not a
// job (unknown kind, missing or mistyped fields) is never delivered nor retried; it takes the
// dead-letter path at once, where its reason is logged and noted on the row it names.
import { createExecutionContext, createMessageBatch, env, getQueueResult } from 'cloudflare:test'
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest'
import { ALERTS_QUEUE, consumeDeliveries, consumeQueue, DEAD_LETTER_QUEUE } from '../../../worker/delivery/consumer'
import { smtpTransport } from '../../../worker/delivery/transports/smtp'
import { deliverOnce, deliveryContext, jobFor, mailsFor, newId, outbox, seedAlert, smtp, type QueueResult } from './support'

let errors: MockInstance<typeof console.error>

beforeEach(() => {
  errors = vi.spyOn(console, 'error').mockImplementation(() => {})
})
afterEach(() => {
  errors.mockRestore()
})

/** Runs one message with this body through the alerts consumer; says whether it was acked or retried. */
async function consumeBody(body: unknown) {
  const batch = createMessageBatch<unknown>(ALERTS_QUEUE, [{ id: newId('m'), timestamp: new Date(), attempts: 1, body }])
  const exec = createExecutionContext()
  await consumeDeliveries(batch, deliveryContext(smtp()))
  const result = (await getQueueResult(batch, exec)) as QueueResult
  return { acked: result.explicitAcks.length === 1, retried: result.retryMessages.length === 1 }
}

const logged = () => errors.mock.calls.map((args) => String(args[0]))

describe('queue consumer: job validation', () => {
  it('acks a job of an unknown kind without delivering it, and logs why', async () => {
    expect(await consumeBody({ kind: 'campaign-step', enrolmentId: 'e1' })).toEqual({ acked: true, retried: false })
    expect(logged()).toEqual([expect.stringMatching(/^dead letter: rejected by the consumer: not a queue job \(kind: .*"campaign-step"/)])
  })

  it.each([
    ['a job without a kind', ({ kind: _, ...job }: ReturnType<typeof jobFor>) => job, /kind: /],
    ['an alert job without its contact', ({ contact: _, ...job }: ReturnType<typeof jobFor>) => job, /contact: /],
    ['an alert job with a mistyped field', (job: ReturnType<typeof jobFor>) => ({ ...job, firedAt: 'today' }), /firedAt: /],
  ])('never delivers %s', async (_, malform, path) => {
    const alert = await seedAlert()
    const job = jobFor(alert.id)
    expect(await consumeBody(malform(job))).toEqual({ acked: true, retried: false })
    expect(logged()).toEqual([expect.stringMatching(path)])
    expect(await mailsFor(job.contact.ownerEmail!)).toEqual([])
  })

  it('notes a malformed job on the row it names, which keeps its own stored job and retries', async () => {
    const alert = await seedAlert()
    const job = jobFor(alert.id)
    // A first delivery that could not reach the server leaves the row open for a retry.
    expect(await deliverOnce(deliveryContext(smtpTransport('smtp://127.0.0.1:9')), job)).toMatchObject({ retried: true })
    expect(await consumeBody({ ...job, visit: null })).toEqual({ acked: true, retried: false })
    const row = await outbox(job.alertKey)
    expect(row.status).toBe('pending')
    expect(row.attemptLog.at(-1)?.detail).toMatch(/^rejected by the consumer: not a queue job \(visit: /)
    // The row's own job is still delivered.
    expect(await deliverOnce(deliveryContext(smtp()), job, 2)).toEqual({ acked: true, retried: false })
    expect(await mailsFor(job.contact.ownerEmail!)).toHaveLength(1)
  })

  it('the dead-letter consumer records a body that is not a job instead of failing on it', async () => {
    const batch = createMessageBatch<unknown>(DEAD_LETTER_QUEUE, [
      { id: newId('m'), timestamp: new Date(), attempts: 1, body: 'not a job' },
    ])
    const exec = createExecutionContext()
    await consumeQueue(batch, env)
    expect(((await getQueueResult(batch, exec)) as QueueResult).explicitAcks).toHaveLength(1)
    expect(logged()).toEqual([expect.stringMatching(/^dead letter: the queue's retries ran out \(dead-letter queue\); not a queue job/)])
  })
})
