// Run limits in the contact object: "at most 2 per entry" runs twice while the contact stays in
// the campaign's conditions, not a third time, and twice again after it left them and came back
// (each send-alert step goes out once: one outbox row per run).
import { env } from 'cloudflare:test'
import { beforeAll, describe, expect, it } from 'vitest'
import { contactStub } from '../../../durable-objects/contact-stub'
import { createDb } from '../../../worker/db/client'
import { contactSnapshots, updateContact } from '../../../worker/db/queries/contacts'
import { act, actionRows, campaignShop, eventually, newContact, settle, track, type CampaignShop } from './object-fixture'

let shop: CampaignShop

beforeAll(async () => {
  shop = await campaignShop()
  await shop.addCampaign({
    name: 'Pricing interest of VIPs',
    triggers: [{ type: 'custom-event', name: 'pricing-viewed' }],
    conditions: [{ type: 'tag', tag: 'vip', present: true }],
    runLimit: { kind: 'per-entry', count: 2 },
    steps: [{ id: 'tell', type: 'send-alert', to: { addresses: ['sales@shop.test'] } }],
  })
})

/** The admin sets the contact's tags (D1, then the object), as the contacts API does. */
async function setTags(contactId: string, tags: string[]) {
  const db = createDb(env.DB)
  await updateContact(db, { workspaceId: shop.workspaceId }, contactId, { tags }, Date.now())
  const [snapshot] = await contactSnapshots(db, shop.workspaceId, [contactId])
  const stub = contactStub(env, contactId)
  await stub.refreshContact(snapshot!)
  await settle(stub)
}

const sent = async (contactId: string, count: number) =>
  eventually(async () => {
    const rows = await actionRows(contactId)
    return rows.filter((r) => r.status === 'sent').length === count ? rows : undefined
  })

describe('contact object: run limit per entry', () => {
  it('sends twice in one entry, not a third time, and twice again after leaving and coming back', async () => {
    const contact = await newContact(shop)
    const id = contact.contact.id
    // Not in the campaign's conditions yet: nothing runs.
    await act(shop, contact, [track('pricing-viewed')])
    expect((await contact.stub.campaignState()).runs).toEqual([])

    await setTags(id, ['vip'])
    for (let i = 0; i < 3; i++) await act(shop, contact, [track('pricing-viewed')])
    expect((await sent(id, 2)).map((r) => r.stepId)).toEqual(['tell', 'tell'])
    expect((await contact.stub.campaignState()).runs).toHaveLength(2)

    // Out of the conditions, then in again: a new entry with a fresh count.
    await setTags(id, [])
    await act(shop, contact, [track('pricing-viewed')])
    await setTags(id, ['vip'])
    for (let i = 0; i < 3; i++) await act(shop, contact, [track('pricing-viewed')])
    const rows = await sent(id, 4)
    expect(rows).toHaveLength(4)
    const { runs, ledger } = await contact.stub.campaignState()
    expect(runs).toHaveLength(4)
    expect(Object.values(ledger)[0]).toMatchObject({ runs: 4, entry: 2, entryRuns: 2 })
  })
})
