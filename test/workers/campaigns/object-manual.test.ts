// Running a campaign by hand for one contact (`runCampaign`, what POST /api/v1/campaigns/{id}/run
// calls): a campaign with a manual trigger runs, within its run limit; one without runs nothing.
import { beforeAll, describe, expect, it } from 'vitest'
import { campaignShop, contactRow, newContact, settle, type CampaignShop } from './object-fixture'

let shop: CampaignShop
let byHand: string
let automatic: string

beforeAll(async () => {
  shop = await campaignShop()
  byHand = await shop.addCampaign({
    name: 'Call back',
    triggers: [{ type: 'manual' }],
    runLimit: { kind: 'once' },
    steps: [{ id: 'tag', type: 'add-tag', tag: 'call-back' }],
  })
  automatic = await shop.addCampaign({
    name: 'Only on events',
    triggers: [{ type: 'custom-event', name: 'never-sent' }],
    steps: [{ id: 'tag', type: 'add-tag', tag: 'never' }],
  })
})

describe('contact object: run by hand', () => {
  it('runs a campaign with a manual trigger once, as its run limit says, and not one without', async () => {
    const contact = await newContact(shop)
    const first = await contact.stub.runCampaign(byHand)
    expect(first.runKey).toBe(`${byHand}:${contact.contact.id}:1`)
    await settle(contact.stub)
    expect((await contactRow(contact.contact.id)).tags).toEqual(['call-back'])

    expect(await contact.stub.runCampaign(byHand)).toEqual({ runKey: null })
    expect(await contact.stub.runCampaign(automatic)).toEqual({ runKey: null })
    await settle(contact.stub)
    expect((await contact.stub.campaignState()).runs).toHaveLength(1)
  })
})
