// The contact's object decides at the right second: an alarm at the exact instant a visit
// reaches an alert's minimum time, nothing for a visit left, hidden or silent before it.
import { env, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test'
import { beforeAll, describe, expect, it } from 'vitest'
import { contactStub } from '../../../durable-objects/contact-stub'
import type { ReceivedEvent } from '../../../durable-objects/contracts/object-rpc'
import { createDb } from '../../../worker/db/client'
import { siteRulesVersion } from '../../../worker/db/queries/site-rules-version'
import { engage, identifiedVisitor, openPage, pageview, sendShop } from './shop-visitor'
import { createWorkspace, type Fixture } from './workspace-fixture'

let shop: Fixture
let pricing: string
let plans: string
let video: string

beforeAll(async () => {
  shop = await createWorkspace()
  pricing = await shop.addAlert('Pricing', { pages: [{ pattern: '/pricing/**', minSeconds: 10 }] })
  plans = await shop.addAlert('Plans', { pages: [{ pattern: 'shop.test/pricing/plans', minSeconds: 10 }] })
  video = await shop.addAlert('Watched the demo video', { pages: [{ pattern: '/video', minSeconds: 60 }] })
})

const alarmOf = (stub: ReturnType<typeof contactStub>) => runInDurableObject(stub, (_, state) => state.storage.getAlarm())

describe('contact object: minimum time on page', () => {
  it('sets its alarm for the exact second the minimum is reached, and fires then', async () => {
    const { visitor, contact } = await identifiedVisitor(shop)
    const stub = contactStub(env, contact.id)
    const before = Date.now()
    await openPage(shop, visitor, '/pricing/team', 'heartbeat', 9_000)
    const after = Date.now()

    const alarm = await alarmOf(stub)
    expect(alarm).toBeGreaterThanOrEqual(before + 1_000)
    expect(alarm).toBeLessThanOrEqual(after + 1_000)
    expect(await stub.ruleCounters(pricing)).toEqual([])

    expect(await runDurableObjectAlarm(stub)).toBe(true)
    expect(await stub.ruleCounters(pricing)).toMatchObject([{ sent: 1, held: 0 }])
  })

  it('fires nothing when the visitor leaves at the minimum minus one second', async () => {
    const { visitor, contact } = await identifiedVisitor(shop)
    const stub = contactStub(env, contact.id)
    const visit = await openPage(shop, visitor, '/pricing/team', 'heartbeat', 8_000)
    await sendShop(shop, visitor, [engage(visit, 'leave', 9_000)])
    await runDurableObjectAlarm(stub)
    expect(await stub.ruleCounters(pricing)).toEqual([])
  })

  it('fires nothing while the page is hidden at the minimum minus one second, and fires once it is visible again', async () => {
    const { visitor, contact } = await identifiedVisitor(shop)
    const stub = contactStub(env, contact.id)
    const visit = await openPage(shop, visitor, '/pricing/team', 'heartbeat', 8_000)
    await sendShop(shop, visitor, [engage(visit, 'hidden', 9_000)])
    await runDurableObjectAlarm(stub)
    expect(await stub.ruleCounters(pricing)).toEqual([])

    await sendShop(shop, visitor, [engage(visit, 'visible', 9_000)])
    expect(await runDurableObjectAlarm(stub)).toBe(true)
    expect(await stub.ruleCounters(pricing)).toMatchObject([{ sent: 1 }])
  })

  it('counts two alerts matching one page separately', async () => {
    const { visitor, contact } = await identifiedVisitor(shop)
    const stub = contactStub(env, contact.id)
    await openPage(shop, visitor, '/pricing/plans/', 'heartbeat', 9_500)
    expect(await runDurableObjectAlarm(stub)).toBe(true)
    expect(await stub.ruleCounters(pricing)).toMatchObject([{ sent: 1, held: 0 }])
    expect(await stub.ruleCounters(plans)).toMatchObject([{ sent: 1, held: 0 }])
    // A second qualifying visit the same day: each alert holds its own back.
    await openPage(shop, visitor, '/pricing/plans', 'leave', 12_000)
    expect(await stub.ruleCounters(pricing)).toMatchObject([{ sent: 1, held: 1 }])
    expect(await stub.ruleCounters(plans)).toMatchObject([{ sent: 1, held: 1 }])
  })

  it('counts a visit silent for longer than the heartbeat window as left', async () => {
    const { contact } = await identifiedVisitor(shop)
    const stub = contactStub(env, contact.id)
    const rulesVersion = (await siteRulesVersion(createDb(env.DB), shop.siteId)) ?? 0
    const site = {
      siteId: shop.siteId,
      workspaceId: shop.workspaceId,
      rulesVersion,
      calendar: { timeZone: 'Europe/Warsaw', weekStartsOn: 1 },
      requireVerifiedIdentity: false,
    }
    // These signals arrived 50 s ago, and nothing since.
    const past = (visibleMs: number): ReceivedEvent[] => {
      const receivedAt = Date.now() - 50_000
      const visit = `visit${crypto.randomUUID().slice(0, 8)}`
      return [
        { ...pageview(visit, '/video'), receivedAt },
        { ...engage(visit, 'heartbeat', visibleMs), receivedAt },
      ] as ReceivedEvent[]
    }
    // 20 s seen, 40 s to go: more than the window lets a silent page be credited.
    await stub.recordEvents({ site, events: past(20_000) })
    await runDurableObjectAlarm(stub)
    expect(await stub.ruleCounters(video)).toEqual([])
    // 30 s seen, 30 s to go: within the window, so it was reached before the silence counted.
    await stub.recordEvents({ site, events: past(30_000) })
    expect(await stub.ruleCounters(video)).toMatchObject([{ sent: 1 }])
  })
})
