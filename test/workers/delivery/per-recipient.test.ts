// Outcomes per recipient: a CC address the server refuses at RCPT TO (550) is failed on its
// own while the owner and the other CCs get the alert, and a retry goes only to the
// recipients still pending, never to the refused one. Against the real SMTP sink, which
// refuses `reject-…` mailboxes at RCPT TO.
import { describe, expect, it } from 'vitest'
import { mails } from '../support/collect'
import { deliverAt, deliveryContext, jobFor, mailsFor, newId, outbox, seedAlert, smtp, smtpFault } from './support'

describe('per-recipient outcomes', () => {
  it("sends the owner's copy when a CC is refused at RCPT TO, and records that CC failed", async () => {
    const refused = `reject-${newId('r')}@acme.test`
    const other = `cc-${newId('r')}@acme.test`
    const alert = await seedAlert({ notifyOwner: true, cc: `${refused}, ${other}` })
    const job = jobFor(alert.id)
    const owner = job.contact.ownerEmail!

    expect(await deliverAt(deliveryContext(smtp()), job)).toEqual({ acked: true, retried: false, delaySeconds: undefined })
    const [mail, ...more] = await mailsFor(owner)
    expect(more).toEqual([])
    expect(mail!.envelopeTo).toEqual([owner, other])
    expect(mail!.cc).toEqual([other])

    const row = await outbox(job.alertKey)
    expect(row.status).toBe('sent')
    expect(row.recipientOutcomes.map((o) => [o.address, o.status])).toEqual([
      [owner, 'sent'],
      [refused, 'failed'],
      [other, 'sent'],
    ])
    expect(row.recipientOutcomes.map((o) => o.error)).toEqual([null, expect.stringMatching(/550.*mailbox unavailable/), null])
    expect(row.error).toMatch(new RegExp(`^not delivered to ${refused}: smtp: .*550`))
    expect(row.attemptLog.map((a) => a.outcome)).toEqual(['sent'])
    expect(row.attemptLog[0]?.detail).toContain(`not delivered to ${refused}`)
  })

  it('retries only the recipients still pending, never the refused one', async () => {
    const refused = `reject-${newId('r')}@acme.test`
    const alert = await seedAlert({ notifyOwner: true, cc: refused })
    const job = jobFor(alert.id)
    const owner = job.contact.ownerEmail!
    // The refused CC is set aside; the message to the owner then meets a 451.
    await smtpFault(451, owner)

    expect(await deliverAt(deliveryContext(smtp()), job)).toMatchObject({ retried: true })
    const waiting = await outbox(job.alertKey)
    expect(waiting.status).toBe('pending')
    expect(waiting.recipientOutcomes.map((o) => [o.address, o.status])).toEqual([
      [owner, 'pending'],
      [refused, 'failed'],
    ])

    expect(await deliverAt(deliveryContext(smtp()), job, 2)).toMatchObject({ acked: true })
    const delivered = (await mails()).filter((m) => m.headers['x-pagebell-alert-key'] === job.alertKey)
    expect(delivered.map((m) => m.envelopeTo)).toEqual([[owner]])
    const row = await outbox(job.alertKey)
    expect(row.status).toBe('sent')
    expect(row.recipientOutcomes.map((o) => [o.address, o.status])).toEqual([
      [owner, 'sent'],
      [refused, 'failed'],
    ])
    // The second attempt was addressed to the owner alone.
    expect(row.recipients).toEqual([owner])
  })

  it('fails the delivery when its only recipient is refused', async () => {
    const alert = await seedAlert({ notifyOwner: false, cc: `reject-${newId('r')}@acme.test` })
    const job = jobFor(alert.id)
    expect(await deliverAt(deliveryContext(smtp()), job)).toMatchObject({ acked: true })
    const row = await outbox(job.alertKey)
    expect(row.status).toBe('failed')
    expect(row.error).toMatch(/^smtp: .*550/)
  })
})
