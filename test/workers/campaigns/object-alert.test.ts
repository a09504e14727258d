// A campaign's send-alert step, end to end through the real queue, consumer and SMTP sink: the
// owner gets the alert e-mail, which shows the tags and score the contact has at that step (set
// by the campaign itself just before), and the step's outbox row says it was sent, once.
import { beforeAll, describe, expect, it } from 'vitest'
import { waitForMail } from '../support/collect'
import { readPage } from '../contact-object/shop-visitor'
import { act, actionRows, campaignShop, eventually, form, newContact, type CampaignShop } from './object-fixture'

let shop: CampaignShop

beforeAll(async () => {
  shop = await campaignShop()
  await shop.addCampaign({
    name: 'Demo request',
    triggers: [{ type: 'form-submitted', form: { id: 'demo-form' } }],
    steps: [
      { id: 'tag', type: 'add-tag', tag: 'demo-requested' },
      { id: 'points', type: 'change-score', by: 42 },
      { id: 'tell', type: 'send-alert', to: { owner: true } },
    ],
  })
})

describe('contact object: send-alert step', () => {
  it("mails the contact's owner with the tags and score the contact has at that step", async () => {
    const contact = await newContact(shop)
    const visit = await readPage(shop, contact.visitor, '/demo')
    await act(shop, contact, [form(visit, 'demo-form')])

    const mail = await waitForMail((m) => m.text.includes(contact.email))
    expect(mail.to).toEqual([`${shop.ownerId}@shop.test`])
    expect(mail.subject).toBe('[Pagebell] Demo request')
    expect(mail.text).toContain('Tags: demo-requested')
    expect(mail.text).toContain('Score: 42')
    const rows = await eventually(async () => {
      const found = await actionRows(contact.contact.id)
      return found.some((r) => r.status === 'sent') ? found : undefined
    })
    expect(rows).toMatchObject([{ kind: 'send-alert', stepId: 'tell', status: 'sent', attempts: 1 }])
  })

  it('sends nothing for a form the trigger does not name', async () => {
    const contact = await newContact(shop)
    const visit = await readPage(shop, contact.visitor, '/newsletter')
    await act(shop, contact, [form(visit, 'newsletter-form')])
    expect((await contact.stub.campaignState()).runs).toEqual([])
    expect(await actionRows(contact.contact.id)).toEqual([])
  })
})
