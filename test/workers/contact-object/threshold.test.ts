// The contact's object decides at the right second on the server's clock: an alarm at the exact
// instant a visit reaches an alert's minimum time counted from the page view's arrival, nothing
// for a visit left, hidden or silent before it. Seconds pass by `sendAt` (the receive time the
// route would add) and by running the alarm at the instant it was set for.
import { env, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test'
import { beforeAll, describe, expect, it } from 'vitest'
import { contactStub } from '../../../durable-objects/contact-stub'
import { newId } from '../support/collect'
import { engage, identifiedVisitor, pageview, readPage, sendAt } from './shop-visitor'
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
  it("sets its alarm for the exact second the minimum is reached after the page view's arrival, and fires then", async () => {
    const { visitor, contact } = await identifiedVisitor(shop)
    const stub = contactStub(env, contact.id)
    const before = Date.now()
    await readPage(shop, visitor, '/pricing/team')
    const after = Date.now()

    const alarm = await alarmOf(stub)
    expect(alarm).toBeGreaterThanOrEqual(before + 10_000)
    expect(alarm).toBeLessThanOrEqual(after + 10_000)
    expect(await stub.ruleCounters(pricing)).toEqual([])

    expect(await runDurableObjectAlarm(stub)).toBe(true)
    expect(await stub.ruleCounters(pricing)).toMatchObject([{ sent: 1, held: 0 }])
  })

  it('fires nothing when the visitor leaves at the minimum minus one second', async () => {
    const { visitor, contact } = await identifiedVisitor(shop)
    const stub = contactStub(env, contact.id)
    const t = Date.now()
    const visit = newId('visit')
    await sendAt(shop, visitor, [pageview(visit, '/pricing/team')], t)
    await sendAt(shop, visitor, [engage(visit, 'heartbeat', 8_000)], t + 8_000)
    await sendAt(shop, visitor, [engage(visit, 'leave', 9_000)], t + 9_000)
    await runDurableObjectAlarm(stub)
    expect(await stub.ruleCounters(pricing)).toEqual([])
  })

  it('fires nothing while the page is hidden at the minimum minus one second, and fires once it is visible again', async () => {
    const { visitor, contact } = await identifiedVisitor(shop)
    const stub = contactStub(env, contact.id)
    const t = Date.now()
    const visit = newId('visit')
    await sendAt(shop, visitor, [pageview(visit, '/pricing/team')], t)
    await sendAt(shop, visitor, [engage(visit, 'hidden', 9_000)], t + 9_000)
    await runDurableObjectAlarm(stub)
    expect(await stub.ruleCounters(pricing)).toEqual([])

    // Back after 11 s hidden: one more second of reading reaches the minimum.
    await sendAt(shop, visitor, [engage(visit, 'visible', 9_000)], t + 20_000)
    expect(await alarmOf(stub)).toBe(t + 21_000)
    expect(await runDurableObjectAlarm(stub)).toBe(true)
    expect(await stub.ruleCounters(pricing)).toMatchObject([{ sent: 1 }])
  })

  it('counts two alerts matching one page separately', async () => {
    const { visitor, contact } = await identifiedVisitor(shop)
    const stub = contactStub(env, contact.id)
    await readPage(shop, visitor, '/pricing/plans/')
    expect(await runDurableObjectAlarm(stub)).toBe(true)
    expect(await stub.ruleCounters(pricing)).toMatchObject([{ sent: 1, held: 0 }])
    expect(await stub.ruleCounters(plans)).toMatchObject([{ sent: 1, held: 0 }])
    // A second qualifying visit the same day: each alert holds its own back.
    await readPage(shop, visitor, '/pricing/plans')
    expect(await runDurableObjectAlarm(stub)).toBe(true)
    expect(await stub.ruleCounters(pricing)).toMatchObject([{ sent: 1, held: 1 }])
    expect(await stub.ruleCounters(plans)).toMatchObject([{ sent: 1, held: 1 }])
  })

  it('counts a visit silent for longer than the heartbeat window as left', async () => {
    const { visitor, contact } = await identifiedVisitor(shop)
    const stub = contactStub(env, contact.id)
    const watch = async (seenMs: number) => {
      const t = Date.now()
      const visit = newId('visit')
      await sendAt(shop, visitor, [pageview(visit, '/video')], t)
      await sendAt(shop, visitor, [engage(visit, 'heartbeat', seenMs)], t + seenMs)
      return t
    }
    // 20 s seen, 40 s to go, and nothing more: longer than the window credits a silent page.
    await watch(20_000)
    await runDurableObjectAlarm(stub)
    expect(await stub.ruleCounters(video)).toEqual([])
    // 30 s seen, 30 s to go: within the window, so the minimum is reached before the silence counts.
    const t = await watch(30_000)
    expect(await alarmOf(stub)).toBe(t + 60_000)
    expect(await runDurableObjectAlarm(stub)).toBe(true)
    expect(await stub.ruleCounters(video)).toMatchObject([{ sent: 1 }])
  })
})
