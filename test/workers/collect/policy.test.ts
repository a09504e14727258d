// Policy on the collect path: drops answered 202 and counted per site and day, CORS only for
// a site's own origins, rate limits answered 429 with Retry-After, and no IP address kept.
import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test'
import { beforeAll, describe, expect, it } from 'vitest'
import { contactStub } from '../../../durable-objects/contact-stub'
import { localDay } from '../../../durable-objects/rules/calendar'
import { FixedWindow } from '../../../durable-objects/rules/fixed-window'
import { VISITOR_LIMIT } from '../../../durable-objects/contracts/collect-limits'
import { createDb } from '../../../worker/db/client'
import { siteDropsOn } from '../../../worker/db/queries/site-drops'
import worker from '../../../worker/index'
import { BROWSER_UA, newId } from '../support/collect'
import { identifiedVisitor, pageview } from '../contact-object/shop-visitor'
import { SHOP_ORIGIN, createWorkspace, type Fixture } from '../contact-object/workspace-fixture'

let shop: Fixture

beforeAll(async () => {
  shop = await createWorkspace()
})

/** Calls the worker directly so the test can wait for its `waitUntil` work. */
async function collect(body: unknown, headers: Record<string, string> = {}, method = 'POST', query = '') {
  const ctx = createExecutionContext()
  const req = new Request(`https://pagebell.test/api/collect${query}`, {
    method,
    headers: { 'content-type': 'text/plain', origin: SHOP_ORIGIN, 'user-agent': BROWSER_UA, ...headers },
    body: method === 'POST' ? JSON.stringify(body) : undefined,
  })
  const res = await worker.fetch(req, env, ctx)
  await waitOnExecutionContext(ctx)
  return res
}

const onePage = (visitor = newId('v')) => ({ site: shop.siteKey, visitor, events: [pageview(newId('visit'), '/a')] })

describe('collect: policy drops', () => {
  it('answers 202 with the reason and counts each drop per site, day and reason', async () => {
    const bot = { 'user-agent': 'curl/8.5.0' }
    const foreign = { origin: 'https://evil.test' }
    for (const headers of [bot, bot, foreign]) expect((await collect(onePage(), headers)).status).toBe(202)
    expect(await (await collect(onePage(), bot)).json()).toEqual({ dropped: 'bot' })
    const day = localDay(Date.now(), 'Europe/Warsaw')
    expect(await siteDropsOn(createDb(env.DB), shop.siteId, day)).toEqual({ bot: 3, origin: 1 })
  })

  it('drops Global Privacy Control and Do-Not-Track requests only for a site that asks to honour them', async () => {
    const signals: Record<string, string>[] = [{ 'sec-gpc': '1' }, { dnt: '1' }]
    for (const signal of signals) expect((await collect(onePage(), signal)).status).toBe(200)
    const honouring = await createWorkspace({ honorPrivacySignals: true })
    const page = () => ({ site: honouring.siteKey, visitor: newId('v'), events: [pageview(newId('visit'), '/a')] })
    const gpc = await collect(page(), { 'sec-gpc': '1' })
    expect(gpc.status).toBe(202)
    expect(await gpc.json()).toEqual({ dropped: 'privacy-signal' })
    expect((await collect(page(), { dnt: '1' })).status).toBe(202)
    expect((await collect(page(), { 'sec-gpc': '0' })).status).toBe(200)
    const day = localDay(Date.now(), 'Europe/Warsaw')
    expect(await siteDropsOn(createDb(env.DB), honouring.siteId, day)).toEqual({ 'privacy-signal': 2 })
  })
})

describe('collect: a workspace time zone the runtime does not know', () => {
  it('answers policy drops 202 and counts them on the UTC day instead of failing with 500', async () => {
    const lost = await createWorkspace({ timeZone: 'Mars/Olympus_Mons' })
    const page = () => ({ site: lost.siteKey, visitor: newId('v'), events: [pageview(newId('visit'), '/a')] })
    const bot = await collect(page(), { 'user-agent': 'curl/8.5.0' })
    expect(bot.status).toBe(202)
    expect(await bot.json()).toEqual({ dropped: 'bot' })
    expect((await collect(page(), { origin: 'https://evil.test' })).status).toBe(202)
    expect((await collect(page())).status).toBe(200)
    const utcDay = new Date().toISOString().slice(0, 10)
    expect(await siteDropsOn(createDb(env.DB), lost.siteId, utcDay)).toEqual({ bot: 1, origin: 1 })
  })
})

describe('collect: CORS', () => {
  it('sends CORS headers to the site’s own origins only', async () => {
    const own = await collect(onePage())
    expect(own.status).toBe(200)
    expect(own.headers.get('access-control-allow-origin')).toBe(SHOP_ORIGIN)
    const sub = await collect(onePage(), { origin: 'https://www.shop.test' })
    expect(sub.headers.get('access-control-allow-origin')).toBe('https://www.shop.test')
    const foreign = await collect(onePage(), { origin: 'https://evil.test' })
    expect(foreign.status).toBe(202)
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull()
  })

  it('answers a preflight with CORS headers only when it names the site and comes from its origin', async () => {
    const allowed = await collect(null, {}, 'OPTIONS', `?site=${shop.siteKey}`)
    expect(allowed.headers.get('access-control-allow-origin')).toBe(SHOP_ORIGIN)
    for (const [headers, query] of [
      [{}, ''],
      [{ origin: 'https://evil.test' }, `?site=${shop.siteKey}`],
      [{}, '?site=unknown-key'],
    ] as const) {
      const res = await collect(null, headers, 'OPTIONS', query)
      expect(res.status).toBe(204)
      expect(res.headers.get('access-control-allow-origin')).toBeNull()
    }
  })
})

describe('collect: rate limits', () => {
  it(`answers 429 with Retry-After to a visitor's request over ${VISITOR_LIMIT.requests} in ${VISITOR_LIMIT.windowMs / 1000} s`, async () => {
    const visitor = newId('v')
    const statuses: number[] = []
    // Sent one after another; a window boundary in between would only delay the 429, so allow one more window.
    for (let i = 0; i < VISITOR_LIMIT.requests * 2 + 1 && !statuses.includes(429); i++)
      statuses.push((await collect(onePage(visitor))).status)
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(VISITOR_LIMIT.requests)
    const limited = await collect(onePage(visitor))
    expect(limited.status).toBe(429)
    expect(await limited.json()).toEqual({ error: 'rate limited' })
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
    expect(Number(limited.headers.get('retry-after'))).toBeLessThanOrEqual(VISITOR_LIMIT.windowMs / 1000)
    // Another visitor of the same site is not affected.
    expect((await collect(onePage())).status).toBe(200)
  })

  it('fixed window: admits the limit, then tells how long to wait, then admits again', () => {
    const window = new FixedWindow(2, 10_000)
    expect(window.hit('site', 20_000)).toEqual({ ok: true })
    expect(window.hit('site', 21_000)).toEqual({ ok: true })
    expect(window.hit('site', 25_500)).toEqual({ ok: false, retryAfterSeconds: 5 })
    expect(window.hit('other', 25_500)).toEqual({ ok: true })
    expect(window.hit('site', 30_000)).toEqual({ ok: true })
  })
})

describe('collect: privacy', () => {
  it('keeps no IP address anywhere', async () => {
    const ip = '203.0.113.77'
    const { visitor, contact } = await identifiedVisitor(shop)
    const res = await collect(onePage(visitor), { 'cf-connecting-ip': ip, 'x-forwarded-for': ip, 'x-real-ip': ip })
    expect(res.status).toBe(200)
    expect(JSON.stringify(await contactStub(env, contact.id).recentActivity(50))).not.toContain(ip)
    for (const table of ['contacts', 'visitors', 'site_drops']) {
      const rows = await env.DB.prepare(`SELECT * FROM ${table}`).all()
      expect(JSON.stringify(rows.results)).not.toContain(ip)
    }
  })
})
