// Lead scoring in the contact object: a scoring rule's points reach the contact (and D1) with the
// event, and its decay takes them away again from the schedule, days later, driven by the alarm;
// a campaign on "score crossed" follows the score both ways.
import { beforeAll, describe, expect, it } from 'vitest'
import { insertScoringRule } from '../../../worker/db/queries/scoring-rules'
import { rulesChanged } from '../../../worker/campaigns/rules-changed'
import { newId } from '../support/collect'
import { act, campaignShop, contactRow, db, newContact, runAlarmsUntil, track, type CampaignShop } from './object-fixture'

let shop: CampaignShop

beforeAll(async () => {
  shop = await campaignShop()
  await insertScoringRule(db(), {
    id: newId('scr'),
    workspaceId: shop.workspaceId,
    createdBy: shop.ownerId,
    definition: { name: 'Webinar', on: { type: 'custom-event', name: 'webinar' }, points: 30, decayDays: 2 },
  })
  await rulesChanged(db(), shop.workspaceId)
  await shop.addCampaign({
    name: 'Warm',
    triggers: [{ type: 'score-crossed', threshold: 50, direction: 'up' }],
    steps: [{ id: 'warm', type: 'add-tag', tag: 'warm' }],
  })
  await shop.addCampaign({
    name: 'Cooled',
    triggers: [{ type: 'score-crossed', threshold: 50, direction: 'down' }],
    steps: [{ id: 'cool', type: 'remove-tag', tag: 'warm' }],
  })
})

describe('contact object: lead scoring', () => {
  it('adds points with the event, crosses the threshold up, and the decay takes them away again days later', async () => {
    const contact = await newContact(shop)
    await act(shop, contact, [track('webinar')])
    expect((await contactRow(contact.contact.id)).score).toBe(30)
    await act(shop, contact, [track('webinar')])
    let row = await contactRow(contact.contact.id)
    expect(row).toMatchObject({ score: 60, tags: ['warm'] })

    // Two days on, both decays are due: the score is back to 0 and the contact cooled down.
    await runAlarmsUntil(contact.stub, async () => (await contact.stub.campaignState()).state?.score === 0)
    await runAlarmsUntil(contact.stub, async () => (await contactRow(contact.contact.id)).score === 0)
    row = await contactRow(contact.contact.id)
    expect(row).toMatchObject({ score: 0, tags: [] })
  })
})
