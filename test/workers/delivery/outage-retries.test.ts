// Delivery outlives a mail outage: temporary failures are retried on a growing schedule for
// 24 hours (the clock is driven; each attempt happens when the retry the consumer asked the
// queue for falls due), nothing is failed before the 24-hour mark, and alerts that fired while
// the SMTP server was down arrive exactly once when it is back. The server is the real local
// sink; "down" is a closed port on loopback (connection refused).
import { describe, expect, it } from 'vitest'
import type { AlertJob } from '../../../durable-objects/contracts/alert-job'
import { HOUR_MS, RETRY_DELAYS_S, retryDelaySeconds, RETRY_WINDOW_MS } from '../../../worker/delivery/retry-schedule'
import { smtpTransport } from '../../../worker/delivery/transports/smtp'
import { deliverAt, deliveryContext, faultyD1, jobFor, mailsFor, outbox, seedAlert, smtp, testClock } from './support'

const DOWN = 'smtp://127.0.0.1:9'

describe('delivery through an outage', () => {
  it('retries a temporary failure on a growing schedule for 24 hours and fails it only at the 24-hour mark', async () => {
    const alert = await seedAlert()
    const job = jobFor(alert.id)
    const clock = testClock()
    const start = clock.now()
    const down = deliveryContext(smtpTransport(DOWN), { now: clock.now })

    const delays: number[] = []
    for (let attempt = 1; attempt <= 40; attempt++) {
      const result = await deliverAt(down, job, attempt)
      const row = await outbox(job.alertKey)
      if (!result.retried) {
        expect(row.status).toBe('failed')
        break
      }
      // Within the window a temporary failure is never final: the row waits for its next attempt.
      expect(row).toMatchObject({ status: 'pending', attempts: attempt, nextAttemptAt: clock.now() + result.delaySeconds! * 1000 })
      delays.push(result.delaySeconds!)
      clock.advance(result.delaySeconds! * 1000)
    }

    // 10 s, 30 s, 1 min ... 4 h, the last one cut short so the final attempt falls on the 24-hour mark.
    const full = [...RETRY_DELAYS_S, 14_400, 14_400, 14_400]
    const used = full.reduce((a, b) => a + b, 0)
    expect(delays).toEqual([...full, RETRY_WINDOW_MS / 1000 - used])
    expect(clock.now() - start).toBe(RETRY_WINDOW_MS)
    const row = await outbox(job.alertKey)
    expect(row.error).toMatch(/^gave up after retrying for 24 h \(17 attempts\); last error: smtp:/)
    expect(row.attemptLog.map((a) => a.outcome)).toEqual([...Array<string>(16).fill('retry'), 'failed'])
    expect(row.recipientOutcomes).toEqual([expect.objectContaining({ address: job.contact.ownerEmail, status: 'failed' })])
  })

  it.each([
    ['150 seconds', 150_000],
    ['6 hours', 6 * HOUR_MS],
  ])('delivers every alert that fired during a %s SMTP outage exactly once when the server is back', async (_, outageMs) => {
    const alert = await seedAlert()
    const jobs = Array.from({ length: 5 }, () => jobFor(alert.id))
    const clock = testClock()
    const backAt = clock.now() + outageMs
    const due: Array<{ job: AlertJob; at: number; attempt: number }> = jobs.map((job) => ({ job, at: clock.now(), attempt: 1 }))

    // Each job's next delivery happens when the retry its last one asked for falls due.
    while (due.length) {
      due.sort((a, b) => a.at - b.at)
      const next = due.shift()!
      clock.at(next.at)
      const transport = clock.now() < backAt ? smtpTransport(DOWN) : smtp()
      const result = await deliverAt(deliveryContext(transport, { now: clock.now }), next.job, next.attempt)
      if (result.retried) due.push({ job: next.job, at: next.at + result.delaySeconds! * 1000, attempt: next.attempt + 1 })
    }

    for (const job of jobs) {
      expect(await mailsFor(job.contact.ownerEmail!)).toHaveLength(1)
      const row = await outbox(job.alertKey)
      expect(row.status).toBe('sent')
      // Sent at the first attempt after the server came back, no later than one retry delay after it.
      expect(row.sentAt! - backAt).toBeLessThanOrEqual(retryDelaySeconds(row.attempts - 1) * 1000)
    }
  })

  it('retries a job whose outbox row could not be written (D1 down), sending nothing, and delivers it once D1 is back', async () => {
    const alert = await seedAlert()
    const job = jobFor(alert.id)
    const faulty = faultyD1({ sql: /^insert into "alert_deliveries"/, times: 1 })
    expect(await deliverAt(deliveryContext(smtp(), { db: faulty.db }), job)).toEqual({
      acked: false,
      retried: true,
      delaySeconds: retryDelaySeconds(1),
    })
    expect(faulty.failures()).toBe(1)
    expect(await mailsFor(job.contact.ownerEmail!)).toEqual([])

    expect(await deliverAt(deliveryContext(smtp()), job, 2)).toMatchObject({ acked: true })
    expect(await mailsFor(job.contact.ownerEmail!)).toHaveLength(1)
    expect(await outbox(job.alertKey)).toMatchObject({ status: 'sent', attempts: 1 })
  })
})
