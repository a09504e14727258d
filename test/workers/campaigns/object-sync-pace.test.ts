// How often the campaigns' changes reach the contact's D1 row: the first change after a quiet
// spell at once, later ones together SYNC_EVERY_MS after the last sync (one D1 write for a burst).
import { runDurableObjectAlarm } from 'cloudflare:test'
import { beforeAll, describe, expect, it } from 'vitest'
import { SYNC_EVERY_MS } from '../../../durable-objects/campaign-runner'
import { sendShop } from '../contact-object/shop-visitor'
import { act, campaignShop, contactRow, eventually, newContact, scheduleOf, track, type CampaignShop } from './object-fixture'

let shop: CampaignShop

beforeAll(async () => {
  shop = await campaignShop()
  for (const tag of ['first', 'second', 'third'])
    await shop.addCampaign({
      name: `Tag ${tag}`,
      triggers: [{ type: 'custom-event', name: tag }],
      steps: [{ id: 'tag', type: 'add-tag', tag }],
    })
})

describe('contact object: the pace of its D1 sync', () => {
  it('writes the first change at once, and the changes of the next SYNC_EVERY_MS together once it has passed', async () => {
    const contact = await newContact(shop)
    await act(shop, contact, [track('first')])
    const afterFirst = await contactRow(contact.contact.id)
    expect(afterFirst.tags).toEqual(['first'])

    // Two more changes right after (the object's own alarm takes each one in): the object has them, D1 not yet.
    for (const name of ['second', 'third']) {
      await sendShop(shop, contact.visitor, [track(name)])
      await eventually(async () => ((await contact.stub.campaignState()).state?.tags.includes(name) ? true : undefined))
    }
    expect((await contact.stub.campaignState()).state?.tags).toEqual(['first', 'second', 'third'])
    expect((await contactRow(contact.contact.id)).tags).toEqual(['first'])
    const [sync] = (await scheduleOf(contact.stub)).filter((e) => e.kind === 'contact-sync')
    expect(sync!.due_at).toBeGreaterThan(Date.now() + SYNC_EVERY_MS / 2)
    expect(sync!.due_at).toBeLessThanOrEqual(Date.now() + SYNC_EVERY_MS)

    // The alarm set for the sync writes both in one go.
    expect(await runDurableObjectAlarm(contact.stub)).toBe(true)
    const row = await contactRow(contact.contact.id)
    expect(row.tags).toEqual(['first', 'second', 'third'])
    expect((await contact.stub.campaignState()).pending.unsynced).toBe(false)
  })
})
