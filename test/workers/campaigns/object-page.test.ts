// A page-visited campaign in the contact object: the visit reaching the trigger's minimum visible
// time starts the run (the same threshold check and wake-up as alerts), once per visit; the counts
// per step reach D1 from the schedule, a minute later, never from the collect request.
import { beforeAll, describe, expect, it } from 'vitest'
import { campaignStepTotals } from '../../../worker/db/queries/campaign-runs'
import { runDurableObjectAlarm } from 'cloudflare:test'
import { engage, readPage, sendAt } from '../contact-object/shop-visitor'
import { campaignShop, contactRow, db, newContact, runAlarmsUntil, type CampaignShop } from './object-fixture'

let shop: CampaignShop
let campaignId: string

beforeAll(async () => {
  shop = await campaignShop()
  campaignId = await shop.addCampaign({
    name: 'Pricing readers',
    triggers: [{ type: 'page-visited', pages: [{ pattern: '/pricing/**', minSeconds: 10 }] }],
    steps: [{ id: 'tag', type: 'add-tag', tag: 'read-pricing' }],
  })
})

describe('contact object: page-visited campaign', () => {
  it('starts a run once the visit reaches the minimum time, once per visit, and counts the steps in D1', async () => {
    const contact = await newContact(shop)
    const startedAt = Date.now()
    const visit = await readPage(shop, contact.visitor, '/pricing/plans')
    expect((await contact.stub.campaignState()).runs).toEqual([])

    // The object's clock jumps to the threshold, then on to the counts' write a minute later.
    await runAlarmsUntil(contact.stub, async () => (await campaignStepTotals(db(), shop.workspaceId, campaignId)).length > 0)
    expect((await contact.stub.campaignState()).runs).toMatchObject([{ campaignId, trigger: 'page-visited', status: 'done' }])
    expect((await contactRow(contact.contact.id)).tags).toEqual(['read-pricing'])
    expect(await campaignStepTotals(db(), shop.workspaceId, campaignId)).toEqual([
      { version: 1, stepId: '@done', reached: 1, contacts: 1 },
      { version: 1, stepId: '@start', reached: 1, contacts: 1 },
      { version: 1, stepId: 'tag', reached: 1, contacts: 1 },
    ])

    // The same visit goes on well past the minimum (the server's clock 40 s on): it started its run already.
    await sendAt(shop, contact.visitor, [engage(visit, 'heartbeat', 40_000)], startedAt + 40_000)
    for (let i = 0; i < 3; i++) await runDurableObjectAlarm(contact.stub)
    expect((await contact.stub.campaignState()).runs).toHaveLength(1)
  })
})
