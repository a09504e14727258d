// An edited campaign, as docs/campaigns.md says: a contact inside a run finishes it on the version
// it started on; contacts who start after the save run the new version (collect hands the version
// with the events; one it read from D1 more than SITE_FRESH_MS before is read again); a campaign
// switched OFF stops the runs inside it at their next step.
import { runInDurableObject } from 'cloudflare:test'
import { beforeAll, describe, expect, it } from 'vitest'
import { SITE_FRESH_MS, type SiteContext } from '../../../durable-objects/contracts/site-context'
import { newId } from '../support/collect'
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

/** The site as the object's last event handed it (what collect read from D1, and when). */
const handedSite = (stub: Stub) =>
  runInDurableObject(stub, (_, state) => {
    const [row] = state.storage.sql.exec<{ value: string }>(`SELECT value FROM meta WHERE key = 'site'`).toArray()
    return JSON.parse(row!.value) as SiteContext
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

  it('starts runs on the version collect handed if it read it at most SITE_FRESH_MS before, else on the one D1 has now', async () => {
    const trigger = [{ type: 'custom-event' as const, name: 'window' }]
    const id = await shop.addCampaign({ ...versionOne, name: 'Window', triggers: trigger })
    const [within, stale] = [await newContact(shop), await newContact(shop)]
    const before = await handedSite(within.stub)
    expect(before.checkedAt).toBeGreaterThan(Date.now() - 60_000)
    await shop.editCampaign(id, { ...versionTwo, name: 'Window', triggers: trigger })

    // Events another edge's collect hands with the version it read before the save.
    const startWith = async (contact: { stub: Stub }, checkedAt: number) => {
      await contact.stub.recordEvents({
        site: { ...before, checkedAt },
        events: [{ id: newId('e'), type: 'track', name: 'window', props: {}, receivedAt: Date.now() }],
        identifiedBy: 'identify',
      })
      await runAlarmsUntil(contact.stub, finished(contact.stub))
      return (await contact.stub.campaignState()).runs.filter((r) => r.campaignId === id).map((r) => r.version)
    }
    expect(await startWith(within, Date.now())).toEqual([1])
    expect(await startWith(stale, Date.now() - SITE_FRESH_MS - 1_000)).toEqual([2])
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
