// "Send test": the alert as saved, rendered for a sample or chosen contact, to one address.
import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { DEMO } from '../../../worker/demo/demo-data'
import { SAMPLE_CONTACT, sendTestAlert } from '../../../worker/delivery/send-test'
import { jobFor, mailsFor, newId, seedAlert } from './support'

describe('send test', () => {
  it('renders the alert for the sample contact and sends it to the given address only', async () => {
    const alert = await seedAlert({ cc: 'team@acme.test', attachmentFormat: 'txt', attachmentTemplate: 'Hi {{ contact.name }}' })
    const to = `tester-${newId('t')}@acme.test`
    const result = await sendTestAlert(env, { workspaceId: DEMO.workspace.id, alertId: alert.id, to })
    expect(result).toMatchObject({ ok: true })
    const [mail, ...more] = await mailsFor(to)
    expect(more).toEqual([])
    expect(mail!.envelopeTo).toEqual([to])
    expect(mail!.subject).toBe('[Pagebell test] Pricing interest')
    expect(mail!.text).toContain(SAMPLE_CONTACT.name)
    expect(mail!.text).toContain('https://www.example.com/demo/pricing/example')
    expect(mail!.attachments[0]!.content).toBe('Hi Jane Sample')
  })

  it('renders it for a chosen contact', async () => {
    const alert = await seedAlert()
    const to = `tester-${newId('t')}@acme.test`
    const contact = jobFor(alert.id).contact
    expect(await sendTestAlert(env, { workspaceId: DEMO.workspace.id, alertId: alert.id, to, contact })).toMatchObject({ ok: true })
    expect((await mailsFor(to))[0]!.text).toContain(contact.email)
  })

  it('refuses an invalid address or an unknown alert without sending', async () => {
    const alert = await seedAlert()
    expect(await sendTestAlert(env, { workspaceId: DEMO.workspace.id, alertId: alert.id, to: 'a@b.test\r\nBcc: x@y.test' })).toEqual({
      ok: false,
      reason: 'not an e-mail address',
      temporary: false,
    })
    expect(await sendTestAlert(env, { workspaceId: 'ws_other', alertId: alert.id, to: 'a@b.test' })).toEqual({
      ok: false,
      reason: 'no such alert',
      temporary: false,
    })
  })
})
