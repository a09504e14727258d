// Per-recipient flood cap: beyond N alerts in a clock hour, a recipient's further alerts are
// folded into one digest, scheduled for the end of the hour and sent once.
import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import type { DigestJob } from '../../../durable-objects/contracts/queue-job'
import { findDigest } from '../../../worker/db/queries/flood-cap'
import { deliveryConfig } from '../../../worker/delivery/config'
import { deliverDigest } from '../../../worker/delivery/deliver-digest'
import { HOUR_MS, hourStartOf } from '../../../worker/delivery/flood-cap'
import { SENDING_STALE_MS } from '../../../worker/delivery/retry-schedule'
import { httpApiTransport } from '../../../worker/delivery/transports/http-api'
import { liveContent } from './live-html'
import {
  crashingAfterSend,
  foldedDigest,
  db,
  deliverOnce,
  deliveryContext,
  httpRequests,
  jobFor,
  mailsFor,
  newId,
  outbox,
  recordingQueue,
  seedAlert,
  smtp,
  testClock,
} from './support'

describe('flood cap', () => {
  it('folds a recipient’s third and fourth alert of the hour into one digest sent at the end of the hour', async () => {
    const owner = `owner-${newId('f')}@acme.test`
    const cc = `cc-${newId('f')}@acme.test`
    const plain = await seedAlert()
    const withCc = await seedAlert({ cc })
    const hourStart = hourStartOf(Date.now())
    const firedAt = hourStart + 10 * 60_000
    const queue = recordingQueue()
    const ctx = deliveryContext(smtp(), {
      queue,
      now: () => firedAt + 2_000,
      config: { ...deliveryConfig(env), ALERTS_PER_RECIPIENT_HOUR: 2 },
    })
    const jobs = [plain, plain, withCc, plain].map((a) => {
      const job = jobFor(a.id, { firedAt })
      return { ...job, contact: { ...job.contact, ownerEmail: owner, name: `Visitor <b>${job.contact.id}</b>` } }
    })
    for (const job of jobs) expect(await deliverOnce(ctx, job)).toMatchObject({ acked: true })

    expect((await Promise.all(jobs.map((j) => outbox(j.alertKey)))).map((r) => r.status)).toEqual(['sent', 'sent', 'sent', 'digested'])
    expect(await mailsFor(owner)).toHaveLength(2)
    // The third alert still reached its CC recipient, who is under the cap; the owner's copy was folded.
    const [ccMail, ...noMore] = await mailsFor(cc)
    expect(noMore).toEqual([])
    expect(ccMail!.to).toEqual([cc])

    const digests = queue.sent.map((s) => s.body as DigestJob)
    expect(new Set(digests.map((d) => d.digestId)).size).toBe(1)
    expect(queue.sent.every((s) => s.delaySeconds === (HOUR_MS - 10 * 60_000 - 2_000) / 1000)).toBe(true)

    expect(await deliverOnce(ctx, digests[0]!)).toMatchObject({ acked: true })
    expect(await deliverOnce(ctx, digests[1]!)).toMatchObject({ acked: true })
    const ownerMails = await mailsFor(owner)
    expect(ownerMails).toHaveLength(3)
    const digest = ownerMails[2]!
    expect(digest.subject).toBe('[Pagebell] 2 more alerts this hour')
    expect(digest.headers['x-pagebell-alert-key']).toBe(digests[0]!.digestId)
    for (const job of jobs.slice(2)) expect(digest.text).toContain(job.contact.id)
    expect(liveContent(digest.html)).toEqual([])
    expect(digest.html).toContain('Visitor &lt;b&gt;')
  })

  it('sends an alert retried after its hour is over instead of folding it', async () => {
    const owner = `owner-${newId('f')}@acme.test`
    const alert = await seedAlert()
    const firedAt = hourStartOf(Date.now()) - HOUR_MS + 60_000
    const ctx = deliveryContext(smtp(), {
      queue: recordingQueue(),
      now: Date.now,
      config: { ...deliveryConfig(env), ALERTS_PER_RECIPIENT_HOUR: 1 },
    })
    for (let i = 0; i < 2; i++) {
      const job = jobFor(alert.id, { firedAt })
      await deliverOnce(ctx, { ...job, contact: { ...job.contact, ownerEmail: owner } })
    }
    expect(await mailsFor(owner)).toHaveLength(2)
  })

  it('marks a digest interrupted mid-send over SMTP unknown and does not send it again', async () => {
    const owner = `owner-${newId('f')}@acme.test`
    const digest = await foldedDigest(owner)
    const clock = testClock()
    void deliverDigest(deliveryContext(crashingAfterSend(smtp()), { now: clock.now }), digest)
    await expect.poll(async () => (await mailsFor(owner)).length, { timeout: 5_000 }).toBe(2)

    clock.advance(SENDING_STALE_MS)
    expect(await deliverOnce(deliveryContext(smtp(), { now: clock.now }), digest, 2)).toMatchObject({ acked: true })
    expect(await mailsFor(owner)).toHaveLength(2)
    expect(await findDigest(db(), digest.digestId)).toMatchObject({ status: 'unknown', attempts: 1 })
  })

  it('re-sends an interrupted digest with the same key over an idempotent transport', async () => {
    const owner = `owner-${newId('f')}@acme.test`
    const digest = await foldedDigest(owner)
    const p = `/emails/${newId('p')}`
    const api = () => httpApiTransport({ url: `${env.HTTP_SINK_URL}${p}`, apiKey: 're_test_key' })
    const clock = testClock()
    void deliverDigest(deliveryContext(crashingAfterSend(api()), { now: clock.now }), digest)
    await expect.poll(() => httpRequests(p), { timeout: 5_000 }).toHaveLength(1)

    clock.advance(SENDING_STALE_MS)
    expect(await deliverOnce(deliveryContext(api(), { now: clock.now }), digest, 2)).toMatchObject({ acked: true })
    const requests = await httpRequests(p)
    expect(requests.map((r) => [r.headers['idempotency-key'], r.replay])).toEqual([
      [digest.digestId, false],
      [digest.digestId, true],
    ])
    expect(await findDigest(db(), digest.digestId)).toMatchObject({ status: 'sent', attempts: 2, error: null })
  })
})
