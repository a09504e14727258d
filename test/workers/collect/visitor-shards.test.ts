// Anonymous visitors share a fixed number of objects per site. Two visitors of one shard must
// not notice each other: separate ledgers, histories, links and rate limits; one visitor's
// concurrent batches behave as if sent one after another; the shard's purge alarm keeps ids
// inside the dedupe window. What a shard keeps is bounded per visitor and per shard; a visitor id
// means nothing on another site; new contacts per site and hour are capped.
import { env, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test'
import { beforeAll, describe, expect, it } from 'vitest'
import { contactStub, visitorShard, visitorStub } from '../../../durable-objects/contact-stub'
import { NEW_CONTACTS_PER_SITE_HOUR, PENDING_LIMITS, VISITOR_LIMIT } from '../../../durable-objects/contracts/collect-limits'
import { localDay } from '../../../durable-objects/rules/calendar'
import type { OutgoingEvent } from '../../../sdk/wire'
import { createDb } from '../../../worker/db/client'
import { findContactByEmail } from '../../../worker/db/queries/contacts'
import { siteDropsOn } from '../../../worker/db/queries/site-drops'
import { newId, postBatch } from '../support/collect'
import { identify, openPage, pageview, sendAt, sendShop } from '../contact-object/shop-visitor'
import { SHOP_ORIGIN, createWorkspace, type Fixture } from '../contact-object/workspace-fixture'

let shop: Fixture

beforeAll(async () => {
  shop = await createWorkspace()
})

/** Fresh visitor ids that land in the same shard. */
function sameShard(count: number): string[] {
  const first = newId('v')
  const ids = [first]
  while (ids.length < count) {
    const other = newId('v')
    if (visitorShard(other) === visitorShard(first)) ids.push(other)
  }
  return ids
}

function neighbours(): [string, string] {
  const [first, other] = sameShard(2)
  return [first!, other!]
}

const contactOf = async (email: string, site: Fixture = shop) => {
  const contact = await findContactByEmail(createDb(env.DB), site.workspaceId, email)
  if (!contact) throw new Error(`no contact for ${email}`)
  return contactStub(env, contact.id)
}

/** A custom event of about `bytes` bytes. */
const bulky = (bytes: number): OutgoingEvent => ({
  id: newId('e'),
  type: 'track',
  name: 'bulky',
  props: Object.fromEntries(Array.from({ length: Math.ceil(bytes / 1_000) }, (_, i) => [`p${i}`, 'x'.repeat(990)])),
})

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

describe('visitor shards: bounded anonymous history', () => {
  it("keeps a visitor's newest 200 events, and counts the older ones dropped", async () => {
    const site = await createWorkspace()
    const visitor = newId('v')
    const shard = visitorStub(env, site.siteId, visitor)
    for (let batch = 0; batch < 11; batch++) {
      await sendShop(
        site,
        visitor,
        Array.from({ length: 20 }, () => pageview(newId('visit'), `/page-${batch}`)),
      )
    }
    expect(await shard.historySize()).toMatchObject({ events: PENDING_LIMITS.eventsPerVisitor })
    expect(await shard.historyDrops()).toEqual({ 'visitor-history-full': 20, 'shard-history-full': 0 })

    // Identified, the visitor's contact gets the newest of it, and the shard keeps none.
    const email = `${newId('many')}@buyer.test`
    await sendShop(site, visitor, [identify(email)])
    const newest = (await (await contactOf(email, site)).recentActivity(50)).find((a) => a.url)
    expect(newest?.url).toBe('https://shop.test/page-10')
    expect(await shard.historySize()).toEqual({ events: 0, bytes: 0 })
  })

  it("keeps a visitor's history within its byte bound, the oldest events dropped first", async () => {
    const site = await createWorkspace()
    const visitor = newId('v')
    const shard = visitorStub(env, site.siteId, visitor)
    // Nine events of 30 KB: over the visitor's 256 KB by one.
    for (let i = 0; i < 9; i++) await sendShop(site, visitor, [bulky(30_000)])
    const { events, bytes } = await shard.historySize()
    expect(events).toBe(8)
    expect(bytes).toBeLessThanOrEqual(PENDING_LIMITS.bytesPerVisitor)
    expect((await shard.historyDrops())['visitor-history-full']).toBe(1)
  })

  it("keeps a shard's history within its bound: the oldest events of any visitor go first, counted", async () => {
    const site = await createWorkspace()
    const visitors = sameShard(72)
    const shard = visitorStub(env, site.siteId, visitors[0]!)
    const t = Date.now()
    // 72 visitors of 240 KB each, a second apart: 17 MB, over the shard's 16 MiB.
    for (const [i, visitor] of visitors.entries()) {
      await sendAt(
        site,
        visitor,
        Array.from({ length: 8 }, () => bulky(30_000)),
        t + i * 1_000,
      )
    }
    const { bytes } = await shard.historySize()
    expect(bytes).toBeLessThanOrEqual(PENDING_LIMITS.bytesPerShard)
    const dropped = (await shard.historyDrops())['shard-history-full']
    expect(dropped).toBeGreaterThan(0)

    // The first visitor's history went, the last one's is whole.
    const [first, last] = [`${newId('first')}@buyer.test`, `${newId('last')}@buyer.test`]
    await sendShop(site, visitors[0]!, [identify(first)])
    await sendShop(site, visitors.at(-1)!, [identify(last)])
    const tracked = async (email: string) => (await (await contactOf(email, site)).recentActivity(50)).filter((a) => a.type === 'track')
    expect(await tracked(first)).toEqual([])
    expect(await tracked(last)).toHaveLength(8)
  })
})

describe('visitor shards: what binds a visitor id', () => {
  it('the same visitor id on two sites is two visitors: neither history nor link crosses', async () => {
    const [one, two] = [await createWorkspace(), await createWorkspace()]
    const visitor = newId('v')
    const [ann, bob] = [`${newId('ann')}@buyer.test`, `${newId('bob')}@buyer.test`]
    await openPage(one, visitor, '/one-before', 'leave', 0)
    await sendShop(one, visitor, [identify(ann)])
    // Site two sees the id for the first time: anonymous, and its identify links only there.
    await openPage(two, visitor, '/two-before', 'leave', 0)
    await sendShop(two, visitor, [identify(bob)])
    await openPage(one, visitor, '/one-after', 'leave', 0)
    await openPage(two, visitor, '/two-after', 'leave', 0)
    expect(await pagesOf(await contactOf(ann, one))).toEqual(['/one-after', '/one-before'])
    expect(await pagesOf(await contactOf(bob, two))).toEqual(['/two-after', '/two-before'])
  })
})

describe('visitor shards: new contacts per site and hour', () => {
  it('past the cap an identify that would create a contact stays anonymous and is counted as contact-cap', async () => {
    const site = await createWorkspace()
    const now = Date.now()
    const hour = now - (now % 3600_000)
    // This hour (and the next, should the test cross it) already made all but one of its contacts.
    for (const start of [hour, hour + 3600_000]) {
      await env.DB.prepare('INSERT INTO contact_creations (site_id, hour_start, count) VALUES (?, ?, ?)')
        .bind(site.siteId, start, NEW_CONTACTS_PER_SITE_HOUR - 1)
        .run()
    }
    const [last, over, later] = [`${newId('last')}@buyer.test`, `${newId('over')}@buyer.test`, `${newId('later')}@buyer.test`]
    expect((await sendAt(site, newId('v'), [identify(last)], now)).dropped).toBeUndefined()
    await contactOf(last, site)

    const visitor = newId('v')
    expect(await sendAt(site, visitor, [identify(over)], now)).toMatchObject({ accepted: 1, dropped: 'contact-cap' })
    // Through the route, the 200 answer says so too.
    expect(await sendShop(site, newId('v'), [identify(later)])).toEqual({ accepted: 1, duplicates: 0, dropped: 'contact-cap' })
    const contacts = createDb(env.DB)
    expect(await findContactByEmail(contacts, site.workspaceId, over)).toBeNull()
    expect(await findContactByEmail(contacts, site.workspaceId, later)).toBeNull()
    const drops = await siteDropsOn(contacts, site.siteId, localDay(now, 'Europe/Warsaw'))
    expect(drops['contact-cap']).toBe(2)

    // The capped visitor stays anonymous (its claim, page view and signal kept as its history); a
    // contact that exists can still be claimed.
    await openPage(site, visitor, '/pricing', 'leave', 0)
    // Per visitor: the capped `later` visitor's claim may sit in the same shard.
    expect(await visitorStub(env, site.siteId, visitor).historySize(visitor)).toMatchObject({ events: 3 })
    await sendShop(site, visitor, [identify(last)])
    expect(await pagesOf(await contactOf(last, site))).toEqual(['/pricing'])
  })
})
