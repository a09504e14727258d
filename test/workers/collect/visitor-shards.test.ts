// Anonymous visitors share a fixed number of objects per site. Two visitors of one shard must
// not notice each other: separate ledgers, histories, links and rate limits; one visitor's
// concurrent batches behave as if sent one after another; the shard's purge alarm keeps ids
// inside the dedupe window.
import { env, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test'
import { beforeAll, describe, expect, it } from 'vitest'
import { contactStub, visitorShard, visitorStub } from '../../../durable-objects/contact-stub'
import { VISITOR_LIMIT } from '../../../durable-objects/contracts/collect-limits'
import { createDb } from '../../../worker/db/client'
import { findContactByEmail } from '../../../worker/db/queries/contacts'
import { newId, postBatch } from '../support/collect'
import { identify, openPage, pageview, sendShop } from '../contact-object/shop-visitor'
import { SHOP_ORIGIN, createWorkspace, type Fixture } from '../contact-object/workspace-fixture'

let shop: Fixture

beforeAll(async () => {
  shop = await createWorkspace()
})

/** Two fresh visitor ids that land in the same shard. */
function neighbours(): [string, string] {
  const first = newId('v')
  for (;;) {
    const other = newId('v')
    if (visitorShard(other) === visitorShard(first)) return [first, other]
  }
}

const contactOf = async (email: string) => {
  const contact = await findContactByEmail(createDb(env.DB), shop.workspaceId, email)
  if (!contact) throw new Error(`no contact for ${email}`)
  return contactStub(env, contact.id)
}

const pagesOf = async (contact: ReturnType<typeof contactStub>) =>
  (await contact.recentActivity(50)).flatMap((a) => (a.url ? [a.url.replace(SHOP_ORIGIN, '')] : [])).sort()

describe('visitor shards', () => {
  it('keeps separate ledgers, histories and links for two visitors of one shard', async () => {
    const [ann, bob] = neighbours()
    expect(visitorStub(env, shop.siteId, ann).id.equals(visitorStub(env, shop.siteId, bob).id)).toBe(true)

    // Ledger: the same event id is new to each visitor once.
    const same = pageview(newId('visit'), '/features')
    expect(await sendShop(shop, ann, [same])).toEqual({ accepted: 1, duplicates: 0 })
    expect(await sendShop(shop, bob, [same])).toEqual({ accepted: 1, duplicates: 0 })
    expect(await sendShop(shop, ann, [same])).toEqual({ accepted: 0, duplicates: 1 })

    // History and link: Ann's contact gets Ann's anonymous pages only, and Bob's later pages
    // do not follow Ann's link.
    await openPage(shop, bob, '/blog', 'leave', 1_000)
    const annEmail = `${newId('ann')}@buyer.test`
    await sendShop(shop, ann, [identify(annEmail)])
    await openPage(shop, bob, '/careers', 'leave', 1_000)
    await openPage(shop, ann, '/pricing', 'leave', 1_000)
    const annContact = await contactOf(annEmail)
    expect(await pagesOf(annContact)).toEqual(['/features', '/pricing'])

    const bobEmail = `${newId('bob')}@buyer.test`
    await sendShop(shop, bob, [identify(bobEmail)])
    expect(await pagesOf(await contactOf(bobEmail))).toEqual(['/blog', '/careers', '/features'])
    expect(await pagesOf(annContact)).toEqual(['/features', '/pricing'])
  })

  it('limits each visitor of a shard on its own', async () => {
    const [ann, bob] = neighbours()
    const onePage = (visitor: string) =>
      postBatch({ site: shop.siteKey, visitor, events: [pageview(newId('visit'), '/a')] }, { origin: SHOP_ORIGIN })
    const statuses: number[] = []
    // A window boundary in between would only delay the 429, so allow one more window.
    for (let i = 0; i < VISITOR_LIMIT.requests * 2 + 1 && !statuses.includes(429); i++) statuses.push((await onePage(ann)).status)
    expect(statuses.at(-1)).toBe(429)
    expect((await onePage(bob)).status).toBe(200)
  })

  it("runs one visitor's concurrent batches in order: pages sent while identifying reach the contact", async () => {
    const visitor = newId('v')
    const email = `${newId('eve')}@buyer.test`
    const paths = ['/one', '/two', '/three', '/four']
    const answers = await Promise.all([
      sendShop(shop, visitor, [identify(email)]),
      ...paths.map((path) => sendShop(shop, visitor, [pageview(newId('visit'), path)])),
    ])
    expect(answers.every((a) => a.accepted === 1)).toBe(true)
    expect(await pagesOf(await contactOf(email))).toEqual([...paths].sort())
  })

  it('purge alarm: keeps ids inside the dedupe window and stays set while there are any', async () => {
    const visitor = newId('v')
    const batch = [pageview(newId('visit'), '/features')]
    await sendShop(shop, visitor, batch)
    const shard = visitorStub(env, shop.siteId, visitor)
    expect(await runDurableObjectAlarm(shard)).toBe(true)
    expect(await sendShop(shop, visitor, batch)).toEqual({ accepted: 0, duplicates: 1 })
    expect(await runInDurableObject(shard, (_, state) => state.storage.getAlarm())).toBeGreaterThan(Date.now())
  })
})
