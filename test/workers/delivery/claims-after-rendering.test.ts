// An outbox entry is claimed (`sending`) only after its message is rendered and the flood cap
// applied, just before the send: any failure before the send leaves it open for the retry,
// for alerts and digests alike. And a failure while saving the outcome of a temporary failure
// does not leave the row `sending` (where a redelivery would have to call it unknown). The
// failures are D1 errors injected in front of the real D1.
import { describe, expect, it } from 'vitest'
import { findDigest } from '../../../worker/db/queries/flood-cap'
import {
  db,
  deliverAt,
  deliveryContext,
  faultyD1,
  foldedDigest,
  jobFor,
  mailsFor,
  newId,
  outbox,
  seedAlert,
  smtp,
  smtpFault,
} from './support'

describe('claims after rendering', () => {
  it('leaves an alert pending, unclaimed and unsent when D1 fails after rendering, and sends it once on the retry', async () => {
    const alert = await seedAlert()
    const job = jobFor(alert.id)
    // The flood cap's slot is the last D1 write before the claim.
    const faulty = faultyD1({ sql: /INSERT INTO recipient_hour_slots/, times: 1 })
    expect(await deliverAt(deliveryContext(smtp(), { db: faulty.db }), job)).toMatchObject({ retried: true })
    expect(faulty.failures()).toBe(1)
    expect(await outbox(job.alertKey)).toMatchObject({ status: 'pending', attempts: 0 })
    expect(await mailsFor(job.contact.ownerEmail!)).toEqual([])

    expect(await deliverAt(deliveryContext(smtp()), job, 2)).toMatchObject({ acked: true })
    expect(await mailsFor(job.contact.ownerEmail!)).toHaveLength(1)
    expect(await outbox(job.alertKey)).toMatchObject({ status: 'sent', attempts: 1 })
  })

  it('leaves a digest scheduled and unsent when reading its lines fails, and sends it once on the retry', async () => {
    const owner = `owner-${newId('c')}@acme.test`
    const digest = await foldedDigest(owner)
    const faulty = faultyD1({ sql: /"summary" from "recipient_hour_slots"/, times: 1 })
    expect(await deliverAt(deliveryContext(smtp(), { db: faulty.db }), digest)).toMatchObject({ retried: true })
    expect(faulty.failures()).toBe(1)
    expect(await findDigest(db(), digest.digestId)).toMatchObject({ status: 'scheduled', attempts: 0 })
    expect(await mailsFor(owner)).toHaveLength(1)

    expect(await deliverAt(deliveryContext(smtp()), digest, 2)).toMatchObject({ acked: true })
    expect(await findDigest(db(), digest.digestId)).toMatchObject({ status: 'sent', attempts: 1 })
    expect(await mailsFor(owner)).toHaveLength(2)
  })

  it('returns the row to pending when saving the outcome of a temporary failure fails at first', async () => {
    const alert = await seedAlert()
    const job = jobFor(alert.id)
    await smtpFault(451, job.contact.ownerEmail!)
    // The outcome and its attempt are written in one D1 batch: the first one fails.
    const faulty = faultyD1({ batch: true, times: 1 })
    expect(await deliverAt(deliveryContext(smtp(), { db: faulty.db }), job)).toEqual({ acked: false, retried: true, delaySeconds: 10 })
    expect(faulty.failures()).toBe(1)
    const row = await outbox(job.alertKey)
    expect(row).toMatchObject({ status: 'pending', attempts: 1 })
    expect(row.error).toContain('451')

    // The retry is an ordinary one: sent once, nothing marked unknown.
    expect(await deliverAt(deliveryContext(smtp()), job, 2)).toMatchObject({ acked: true })
    expect(await mailsFor(job.contact.ownerEmail!)).toHaveLength(1)
    expect((await outbox(job.alertKey)).attemptLog.map((a) => a.outcome)).toEqual(['retry', 'sent'])
  })
})
