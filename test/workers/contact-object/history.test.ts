// What a contact's object remembers: nothing twice (replays), the anonymous history it joins
// on identification, the "contact created" signal, and rules that change under it.
import { env, runDurableObjectAlarm } from 'cloudflare:test'
import { beforeAll, describe, expect, it } from 'vitest'
import { contactStub } from '../../../durable-objects/contact-stub'
import { forgetSites } from '../../../worker/collect/site-cache'
import { createDb } from '../../../worker/db/client'
import { findContactByEmail } from '../../../worker/db/queries/contacts'
import { newId } from '../support/collect'
import { engage, identifiedVisitor, identify, openPage, pageview, sendAt, sendShop } from './shop-visitor'
import { createWorkspace, type Fixture } from './workspace-fixture'

let shop: Fixture
let pricing: string

beforeAll(async () => {
  shop = await createWorkspace()
  pricing = await shop.addAlert('Pricing', { pages: [{ pattern: '/pricing/**', minSeconds: 10 }] })
})

const countContacts = async () =>
  (await env.DB.prepare('SELECT count(*) AS n FROM contacts WHERE workspace_id = ?').bind(shop.workspaceId).first<{ n: number }>())?.n

describe('contact object: history', () => {
  it('ignores a replayed batch entirely', async () => {
    const { visitor, contact } = await identifiedVisitor(shop)
    const stub = contactStub(env, contact.id)
    const visit = newId('visit')
    const batch = [pageview(visit, '/pricing'), engage(visit, 'heartbeat', 9_000)]
    expect(await sendShop(shop, visitor, batch)).toEqual({ accepted: 2, duplicates: 0 })
    await runDurableObjectAlarm(stub)
    const counters = await stub.ruleCounters(pricing)
    const activity = await stub.recentActivity(50)
    const contacts = await countContacts()

    expect(await sendShop(shop, visitor, batch)).toEqual({ accepted: 0, duplicates: 2 })
    await runDurableObjectAlarm(stub)
    expect(await stub.ruleCounters(pricing)).toEqual(counters)
    expect(await stub.recentActivity(50)).toEqual(activity)
    expect(await countContacts()).toBe(contacts)
  })

  it('replaying an identify neither creates nor touches a contact', async () => {
    const visitor = newId('v')
    const batch = [identify(`${newId('re')}@buyer.test`)]
    await sendShop(shop, visitor, batch)
    const contacts = await countContacts()
    expect(await sendShop(shop, visitor, batch)).toEqual({ accepted: 0, duplicates: 1 })
    expect(await countContacts()).toBe(contacts)
  })

  it('joins the anonymous history to the contact on identify, and records "contact created" once', async () => {
    const visitor = newId('v')
    const email = `${newId('anon')}@buyer.test`
    const t = Date.now()
    const [features, team] = [newId('visit'), newId('visit')]
    await sendAt(shop, visitor, [pageview(features, '/features')], t)
    await sendAt(shop, visitor, [engage(features, 'leave', 4_000), pageview(team, '/pricing/team')], t + 4_000)
    await sendAt(shop, visitor, [engage(team, 'hidden', 3_000)], t + 7_000)
    expect(await findContactByEmail(createDb(env.DB), shop.workspaceId, email)).toBeNull()

    await sendAt(shop, visitor, [identify(email)], t + 8_000)
    const contact = await findContactByEmail(createDb(env.DB), shop.workspaceId, email)
    expect(contact).not.toBeNull()
    const activity = await contactStub(env, contact!.id).recentActivity(50)
    expect(activity.map((a) => [a.type, a.url ?? null])).toEqual([
      ['contact-created', null],
      ['identify', null],
      ['pageview', 'https://shop.test/pricing/team'],
      ['pageview', 'https://shop.test/features'],
    ])
    expect(activity.find((a) => a.url === 'https://shop.test/features')?.visibleMs).toBe(4_000)
    expect(activity.find((a) => a.url === 'https://shop.test/pricing/team')?.visibleMs).toBe(3_000)

    // The same person identifying again on another device: history joins, no second "created".
    const other = newId('v')
    await openPage(shop, other, '/blog', 'leave', 1_000)
    await sendShop(shop, other, [identify(email)])
    const after = await contactStub(env, contact!.id).recentActivity(50)
    expect(after.filter((a) => a.type === 'contact-created')).toHaveLength(1)
    expect(after.some((a) => a.url === 'https://shop.test/blog')).toBe(true)
  })

  it('an anonymous visit that reaches the minimum right after identifying fires', async () => {
    const visitor = newId('v')
    const t = Date.now()
    const visit = newId('visit')
    await sendAt(shop, visitor, [pageview(visit, '/pricing')], t)
    const email = `${newId('late')}@buyer.test`
    await sendAt(shop, visitor, [identify(email), engage(visit, 'heartbeat', 9_000)], t + 9_000)
    const contact = await findContactByEmail(createDb(env.DB), shop.workspaceId, email)
    const stub = contactStub(env, contact!.id)
    expect(await stub.ruleCounters(pricing)).toEqual([])
    expect(await runDurableObjectAlarm(stub)).toBe(true)
    expect(await stub.ruleCounters(pricing)).toMatchObject([{ sent: 1 }])
  })

  it('picks up an alert added after the site and its rules were cached', async () => {
    const { visitor, contact } = await identifiedVisitor(shop)
    const stub = contactStub(env, contact.id)
    const checkout = await shop.addAlert('Checkout', { pages: [{ pattern: '/checkout', minSeconds: 0 }] })
    // The admin API clears this isolate's site cache; other isolates follow within 5 s.
    forgetSites()
    await openPage(shop, visitor, '/checkout', 'heartbeat', 0)
    expect(await stub.ruleCounters(checkout)).toMatchObject([{ sent: 1 }])
  })
})
