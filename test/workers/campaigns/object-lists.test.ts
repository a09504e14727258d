// Smart lists in the contact object: a list made after its contacts is recomputed for every
// contact of the workspace by the background recheck (queued by the list service), and entering
// it starts the list-entered campaign; a contact whose tag changes enters and leaves on its own.
import { env } from 'cloudflare:test'
import { beforeAll, describe, expect, it } from 'vitest'
import { insertList } from '../../../worker/db/queries/lists'
import { rulesChanged } from '../../../worker/campaigns/rules-changed'
import { queueListsRecheck } from '../../../worker/delivery/recheck-lists'
import { newId } from '../support/collect'
import { act, campaignShop, contactRow, db, eventually, newContact, track, type CampaignShop } from './object-fixture'

let shop: CampaignShop

beforeAll(async () => {
  shop = await campaignShop()
  await shop.addCampaign({
    name: 'Tag hot leads',
    triggers: [{ type: 'custom-event', name: 'hot' }],
    steps: [{ id: 'tag', type: 'add-tag', tag: 'hot' }],
  })
})

describe('contact object: smart lists', () => {
  it('puts contacts made before the list into it by the background recheck, starting its list-entered campaign', async () => {
    const first = await newContact(shop)
    const second = await newContact(shop)
    await act(shop, first, [track('hot')])
    await act(shop, second, [track('hot')])

    const listId = newId('lst')
    await insertList(db(), {
      id: listId,
      workspaceId: shop.workspaceId,
      createdBy: shop.ownerId,
      definition: { name: 'Hot', conditions: [{ type: 'tag', tag: 'hot', present: true }] },
    })
    await shop.addCampaign({
      name: 'Welcome to hot',
      triggers: [{ type: 'list-entered', listId }],
      steps: [{ id: 'mark', type: 'add-tag', tag: 'in-hot-list' }],
    })
    await rulesChanged(db(), shop.workspaceId)
    await queueListsRecheck(env.ALERTS, shop.workspaceId)

    for (const contact of [first, second]) {
      const row = await eventually(async () => {
        const found = await contactRow(contact.contact.id)
        return found.tags.includes('in-hot-list') ? found : undefined
      })
      expect(row.tags).toEqual(['hot', 'in-hot-list'])
      expect((await contact.stub.campaignState()).state?.lists).toEqual([listId])
    }
  })
})
