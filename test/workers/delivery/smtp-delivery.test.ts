// Delivery over SMTP to the real local sink: recipients and parts, retries, permanent failures,
// redelivery and an interrupted send, and no recipient at all.
import { describe, expect, it } from 'vitest'
import { DEMO } from '../../../worker/demo/demo-data'
import { deliverAlert } from '../../../worker/delivery/deliver-alert'
import { SENDING_STALE_MS } from '../../../worker/delivery/retry-schedule'
import { smtpTransport } from '../../../worker/delivery/transports/smtp'
import {
  crashingAfterSend,
  deliverAt,
  deliverOnce,
  deliveryContext,
  jobFor,
  mailsFor,
  newId,
  outbox,
  seedAlert,
  smtp,
  smtpFault,
  testClock,
} from './support'

const ACKED = { acked: true, retried: false }
const RETRIED = { acked: false, retried: true }

describe('SMTP delivery', () => {
  it('sends one message to me and the owner with the CC list, both parts and the alert key', async () => {
    const cc = `${newId('a')}@acme.test, ${newId('b')}@acme.test`
    const alert = await seedAlert({ notifyCreator: true, notifyOwner: true, cc: `${cc}, ${DEMO.admin.email.toUpperCase()}` })
    const job = jobFor(alert.id)
    expect(await deliverOnce(deliveryContext(smtp()), job)).toEqual(ACKED)

    const [mail, ...more] = await mailsFor(job.contact.ownerEmail!)
    expect(more).toEqual([])
    expect(mail!.to).toEqual([DEMO.admin.email, job.contact.ownerEmail])
    // The creator's address in the CC list is not listed twice.
    expect(mail!.cc).toEqual(cc.split(', '))
    expect(mail!.subject).toBe('[Pagebell] Pricing interest')
    expect(mail!.headers['x-pagebell-alert-key']).toBe(job.alertKey)
    for (const part of [mail!.text, mail!.html]) {
      for (const shown of [
        'Dana Buyer',
        job.contact.email,
        'Buyer Inc',
        '+33 1 23 45 67 89',
        'Olivia Owner',
        'hot, trial',
        '70',
        'form submission',
        'Plans',
        '12 s',
      ])
        expect(part).toContain(shown)
    }
    expect(mail!.html).toContain('href="https://shop.test/pricing/plans"')
    expect(mail!.text).toContain(DEMO.alert.description)
    const row = await outbox(job.alertKey)
    expect(row).toMatchObject({ status: 'sent', attempts: 1, error: null })
    expect(row.attemptLog.map((a) => a.outcome)).toEqual(['sent'])
  })

  it('retries an SMTP 451 with backoff and then delivers exactly once', async () => {
    const alert = await seedAlert()
    const job = jobFor(alert.id)
    await smtpFault(451, job.contact.ownerEmail!)
    const ctx = deliveryContext(smtp())

    expect(await deliverOnce(ctx, job, 1)).toEqual(RETRIED)
    expect(await mailsFor(job.contact.ownerEmail!)).toHaveLength(0)
    const retrying = await outbox(job.alertKey)
    expect(retrying).toMatchObject({ status: 'pending' })
    expect(retrying.error).toContain('451')

    expect(await deliverOnce(ctx, job, 2)).toEqual(ACKED)
    // A late duplicate of the same job finds the key sent and sends nothing.
    expect(await deliverOnce(ctx, job, 1)).toEqual(ACKED)
    expect(await mailsFor(job.contact.ownerEmail!)).toHaveLength(1)
    const row = await outbox(job.alertKey)
    expect(row).toMatchObject({ status: 'sent', attempts: 2 })
    expect(row.attemptLog.map((a) => a.outcome)).toEqual(['retry', 'sent', 'skipped'])
  })

  it('records an SMTP 550 as failed with its reason and does not retry', async () => {
    const alert = await seedAlert()
    const job = jobFor(alert.id)
    await smtpFault(550, job.contact.ownerEmail!)
    expect(await deliverOnce(deliveryContext(smtp()), job)).toEqual(ACKED)
    const row = await outbox(job.alertKey)
    expect(row).toMatchObject({ status: 'failed', attempts: 1 })
    expect(row.error).toMatch(/550/)
    expect(row.attemptLog.map((a) => a.outcome)).toEqual(['failed'])
    expect(await mailsFor(job.contact.ownerEmail!)).toHaveLength(0)
  })

  it('records a recipient the server refuses (550 at RCPT TO) as failed, not retried', async () => {
    const alert = await seedAlert()
    const base = jobFor(alert.id)
    const job = { ...base, contact: { ...base.contact, ownerEmail: `reject-${base.contact.id}@acme.test` } }
    expect(await deliverOnce(deliveryContext(smtp()), job)).toEqual(ACKED)
    const row = await outbox(job.alertKey)
    expect(row).toMatchObject({ status: 'failed' })
    expect(row.error).toMatch(/550.*mailbox unavailable/)
  })

  it('retries when the SMTP server refuses the connection', async () => {
    const alert = await seedAlert()
    const job = jobFor(alert.id)
    // Port 9 (discard) is closed on loopback here: connect() is refused.
    expect(await deliverOnce(deliveryContext(smtpTransport('smtp://127.0.0.1:9')), job, 3)).toEqual(RETRIED)
    const row = await outbox(job.alertKey)
    expect(row).toMatchObject({ status: 'pending' })
    expect(row.error).toContain('smtp:')
  })

  it('sends nothing more when redelivered after a crash between sending and recording', async () => {
    const alert = await seedAlert()
    const job = jobFor(alert.id)
    const clock = testClock()
    // The consumer dies right after the server accepted the message: the outcome is never recorded.
    const crashing = crashingAfterSend(smtp())
    void deliverAlert(deliveryContext(crashing, { now: clock.now }), job)
    await expect.poll(() => mailsFor(job.contact.ownerEmail!), { timeout: 5_000 }).toHaveLength(1)
    expect(await outbox(job.alertKey)).toMatchObject({ status: 'sending' })

    // Redelivered at once, the claim is recent: that attempt may still be sending, so this one comes back when it is stale.
    const early = await deliverAt(deliveryContext(smtp(), { now: clock.now }), job, 2)
    expect(early).toEqual({ acked: false, retried: true, delaySeconds: SENDING_STALE_MS / 1000 })
    expect(await outbox(job.alertKey)).toMatchObject({ status: 'sending' })

    clock.advance(SENDING_STALE_MS)
    expect(await deliverOnce(deliveryContext(smtp(), { now: clock.now }), job, 3)).toEqual(ACKED)
    expect(await mailsFor(job.contact.ownerEmail!)).toHaveLength(1)
    const row = await outbox(job.alertKey)
    expect(row.status).toBe('unknown')
    expect(row.recipientOutcomes.map((o) => o.status)).toEqual(['unknown'])
    expect(row.attemptLog.map((a) => a.outcome)).toEqual(['skipped'])
  })

  it('records an alert with no reachable recipient as failed', async () => {
    const alert = await seedAlert({ notifyOwner: true, notifyCreator: false, cc: '' })
    const base = jobFor(alert.id)
    const job = { ...base, contact: { ...base.contact, ownerEmail: null } }
    expect(await deliverOnce(deliveryContext(smtp()), job)).toEqual(ACKED)
    expect(await outbox(job.alertKey)).toMatchObject({ status: 'failed', error: 'no reachable recipient' })
  })
})
