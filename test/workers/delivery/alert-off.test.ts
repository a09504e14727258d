// Delivery checks, just before sending, that the alert still exists and is ON: a job of an
// alert switched OFF meanwhile is recorded `skipped` with the reason (not failed), and nothing
// is sent.
import { describe, expect, it } from 'vitest'
import { updateAlert } from '../../../worker/db/queries/alerts'
import { DEMO } from '../../../worker/demo/demo-data'
import { ALERT_OFF } from '../../../worker/delivery/deliver-alert'
import { db, deliverAt, deliveryContext, jobFor, mailsFor, outbox, seedAlert, smtp, smtpFault } from './support'

describe('an alert switched OFF', () => {
  it('records its pending job as skipped and sends nothing', async () => {
    const alert = await seedAlert({ active: false })
    const job = jobFor(alert.id)
    expect(await deliverAt(deliveryContext(smtp()), job)).toMatchObject({ acked: true, retried: false })
    const row = await outbox(job.alertKey)
    expect(row).toMatchObject({ status: 'skipped', error: ALERT_OFF, attempts: 0 })
    expect(row.attemptLog).toEqual([expect.objectContaining({ outcome: 'skipped', detail: ALERT_OFF })])
    expect(await mailsFor(job.contact.ownerEmail!)).toEqual([])
  })

  it('skips the retry of a job whose alert was switched OFF after its first attempt failed', async () => {
    const alert = await seedAlert()
    const job = jobFor(alert.id)
    await smtpFault(451, job.contact.ownerEmail!)
    expect(await deliverAt(deliveryContext(smtp()), job)).toMatchObject({ retried: true })

    await updateAlert(db(), DEMO.workspace.id, alert.id, { active: false })
    expect(await deliverAt(deliveryContext(smtp()), job, 2)).toMatchObject({ acked: true })
    expect(await mailsFor(job.contact.ownerEmail!)).toEqual([])
    const row = await outbox(job.alertKey)
    expect(row.status).toBe('skipped')
    expect(row.attemptLog.map((a) => a.outcome)).toEqual(['retry', 'skipped'])
  })
})
