// An edited campaign, as docs/campaigns.md says: a contact inside a run finishes it on the version
// it started on; contacts who start after the save run the new version; a campaign switched OFF
// stops the runs inside it at their next step.
import { beforeAll, describe, expect, it } from 'vitest'
import { act, campaignShop, contactRow, newContact, runAlarmsUntil, track, type CampaignShop, type Stub } from './object-fixture'

let shop: CampaignShop

const versionOne = {
  name: 'Onboarding',
  triggers: [{ type: 'custom-event' as const, name: 'onboard' }],
  steps: [
    { id: 'wait', type: 'wait' as const, seconds: 86_400 },
    { id: 'done', type: 'add-tag' as const, tag: 'onboarded-v1' },
  ],
}
const versionTwo = {
  ...versionOne,
  steps: [
    { id: 'wait', type: 'wait' as const, seconds: 86_400 },
    { id: 'done', type: 'add-tag' as const, tag: 'onboarded-v2' },
  ],
}

beforeAll(async () => {
  shop = await campaignShop()
})

const finished = (stub: Stub) => async () => (await stub.campaignState()).runs.every((r) => r.status === 'done' || r.status === 'stopped')

describe('contact object: an edited campaign', () => {
  it('finishes a run on the version it started on; a run started after the save uses the new one', async () => {
    const id = await shop.addCampaign(versionOne)
    const early = await newContact(shop)
    await act(shop, early, [track('onboard')])
    await shop.editCampaign(id, versionTwo)
    const late = await newContact(shop)
    await act(shop, late, [track('onboard')])

    await runAlarmsUntil(early.stub, finished(early.stub))
    await runAlarmsUntil(late.stub, finished(late.stub))
    expect((await contactRow(early.contact.id)).tags).toEqual(['onboarded-v1'])
    expect((await contactRow(late.contact.id)).tags).toEqual(['onboarded-v2'])
    expect((await early.stub.campaignState()).runs).toMatchObject([{ version: 1, status: 'done' }])
    expect((await late.stub.campaignState()).runs).toMatchObject([{ version: 2, status: 'done' }])
  })

  it('stops the runs inside a campaign switched OFF at their next step', async () => {
    const id = await shop.addCampaign({ ...versionOne, name: 'Switched off', triggers: [{ type: 'custom-event', name: 'try-out' }] })
    const contact = await newContact(shop)
    await act(shop, contact, [track('try-out')])
    await shop.switchOff(id)

    await runAlarmsUntil(contact.stub, finished(contact.stub))
    expect((await contactRow(contact.contact.id)).tags).toEqual([])
    const [run] = (await contact.stub.campaignState()).runs.filter((r) => r.campaignId === id)
    expect(run).toMatchObject({ status: 'stopped', stopReason: 'the campaign is OFF or deleted' })
  })
})
