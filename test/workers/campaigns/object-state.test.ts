// The contact's state in its object and in D1, both ways: a campaign's tag, score and field
// actions reach the contacts row; the admin's changes (a tag, an owner in bulk) reach the object,
// keep what the campaigns did, and trigger campaigns of their own.
import { env } from 'cloudflare:test'
import { beforeAll, describe, expect, it } from 'vitest'
import { contactStub } from '../../../durable-objects/contact-stub'
import { createDb } from '../../../worker/db/client'
import { assignOwner, contactSnapshots, updateContact } from '../../../worker/db/queries/contacts'
import { act, campaignShop, contactRow, newContact, settle, track, type CampaignShop } from './object-fixture'

let shop: CampaignShop

beforeAll(async () => {
  shop = await campaignShop()
  await shop.addCampaign({
    name: 'Qualify',
    triggers: [{ type: 'custom-event', name: 'trial-started' }],
    steps: [
      { id: 'tag', type: 'add-tag', tag: 'trial' },
      { id: 'points', type: 'change-score', by: 15 },
      { id: 'plan', type: 'set-field', field: 'custom.plan', value: 'pro' },
      { id: 'company', type: 'set-field', field: 'company', value: 'Acme Trials' },
    ],
  })
  await shop.addCampaign({
    name: 'VIP by hand',
    triggers: [{ type: 'tag-added', tag: 'vip' }],
    steps: [{ id: 'bonus', type: 'change-score', by: 100 }],
  })
})

/** What the admin's contact changes do: write D1, then hand the object the contact as it now is. */
async function adminPush(contactId: string) {
  const [snapshot] = await contactSnapshots(createDb(env.DB), shop.workspaceId, [contactId])
  await contactStub(env, contactId).refreshContact(snapshot!)
}

describe('contact object: contact state', () => {
  it('writes the tags, score and fields a campaign sets to the contact row in D1', async () => {
    const contact = await newContact(shop)
    await act(shop, contact, [track('trial-started')])

    const row = await contactRow(contact.contact.id)
    expect(row.tags).toEqual(['trial'])
    expect(row.score).toBe(15)
    expect(row.customFields).toEqual({ plan: 'pro' })
    expect(row.company).toBe('Acme Trials')
    // The search text follows the company the campaign set.
    expect(row.searchText).toContain('acme trials')
    const { state } = await contact.stub.campaignState()
    expect(state).toMatchObject({ tags: ['trial'], score: 15, fields: { 'custom.plan': 'pro', company: 'Acme Trials' } })
  })

  it("keeps the campaign's tags when the admin adds one, and the admin's tag triggers its campaign", async () => {
    const contact = await newContact(shop)
    await act(shop, contact, [track('trial-started')])
    // The admin saw the contact before the campaign ran: its tag list has only its own tag.
    await updateContact(createDb(env.DB), { workspaceId: shop.workspaceId }, contact.contact.id, { tags: ['trial', 'vip'] }, Date.now())
    await adminPush(contact.contact.id)
    await settle(contact.stub)

    const { state } = await contact.stub.campaignState()
    expect(state?.tags).toEqual(['trial', 'vip'])
    expect(state?.score).toBe(115)
    const row = await contactRow(contact.contact.id)
    expect(row.tags).toEqual(['trial', 'vip'])
    expect(row.score).toBe(115)
  })

  it("takes the admin's bulk owner change into the object", async () => {
    const rep = await shop.addRep('Rita Rep')
    const contact = await newContact(shop)
    await assignOwner(createDb(env.DB), { workspaceId: shop.workspaceId }, [contact.contact.id], rep, Date.now())
    await adminPush(contact.contact.id)
    await settle(contact.stub)

    expect((await contact.stub.campaignState()).state?.ownerId).toBe(rep)
    // A campaign step afterwards leaves the owner alone and writes only what it changed.
    await act(shop, contact, [track('trial-started')])
    const row = await contactRow(contact.contact.id)
    expect(row.ownerId).toBe(rep)
    expect(row.score).toBe(15)
  })
})
