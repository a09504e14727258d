// The per-site quota of the collect endpoint: one Durable Object per site hands tokens out in
// leases, so the limit holds across isolates while each isolate asks once per lease, not once
// per request. Two lease holders stand for two isolates; the quota object is the real one.
import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test'
import { beforeAll, describe, expect, it } from 'vitest'
import { siteQuotaStub, type LeaseGrant } from '../../../durable-objects/site-quota'
import type { Rate } from '../../../durable-objects/rules/token-bucket'
import { LEASE_OPTIONS, SiteQuotaLeases, siteQuotaRate, type QuotaIo } from '../../../worker/collect/site-quota-leases'
import worker from '../../../worker/index'
import { BROWSER_UA, newId } from '../support/collect'
import { pageview } from '../contact-object/shop-visitor'
import { SHOP_ORIGIN, createWorkspace, type Fixture } from '../contact-object/workspace-fixture'

/** One "isolate": its own leases, and a count of the calls it made to the quota object. */
function isolate(siteId: string, rate: Rate) {
  const leases = new SiteQuotaLeases()
  const background: Promise<void>[] = []
  const stats = { asks: 0, admitted: 0, refused: 0 }
  const io: QuotaIo = {
    ask: (want): Promise<LeaseGrant> => {
      stats.asks++
      return siteQuotaStub(env, siteId).lease({ want, rate })
    },
    waitUntil: (work) => void background.push(work),
  }
  return {
    stats,
    async hit() {
      const admission = await leases.admit(siteId, Date.now(), io)
      if (admission.ok) stats.admitted++
      else stats.refused++
      return admission
    },
    settle: () => Promise.all(background),
  }
}

describe('site quota: shared by isolates', () => {
  it('admits at most burst + perSecond × elapsed across two isolates together, asking the object once per lease', async () => {
    const siteId = newId('site')
    const rate = { perSecond: 100, burst: 400 }
    const a = isolate(siteId, rate)
    const b = isolate(siteId, rate)
    const started = Date.now()
    for (let i = 0; i < 1_500; i++) await (i % 3 === 0 ? b : a).hit()
    await Promise.all([a.settle(), b.settle()])
    const elapsed = Date.now() - started

    const admitted = a.stats.admitted + b.stats.admitted
    expect(admitted).toBeLessThanOrEqual(rate.burst + (rate.perSecond * elapsed) / 1000)
    // Nearly all of the quota was usable: only tokens still leased to an isolate are unspent.
    expect(admitted).toBeGreaterThanOrEqual(rate.burst - 2 * LEASE_OPTIONS.maxLease)
    expect(a.stats.refused + b.stats.refused).toBeGreaterThan(0)
    // The object is asked per lease or per refusal window, far less often than per request.
    expect(a.stats.asks + b.stats.asks).toBeLessThan(admitted / 5)
  })

  it('answers a refused isolate from memory until the object said to ask again', async () => {
    const siteId = newId('site')
    const rate = { perSecond: 0.01, burst: 20 }
    const one = isolate(siteId, rate)
    const statuses = []
    for (let i = 0; i < 100; i++) statuses.push(await one.hit())
    await one.settle()
    expect(one.stats.admitted).toBe(20)
    const refusal = statuses.find((s) => !s.ok)
    expect(refusal).toMatchObject({ ok: false })
    expect(refusal && !refusal.ok && refusal.retryAfterSeconds).toBeGreaterThanOrEqual(1)
    // 80 refusals, and only the first of them asked the object.
    expect(one.stats.asks).toBeLessThanOrEqual(4)
  })

  it('keeps admitting on one short local lease a second while the quota object cannot be reached', async () => {
    const leases = new SiteQuotaLeases({ ...LEASE_OPTIONS, minLease: 3 })
    let asked = 0
    const unreachable: QuotaIo = {
      ask: () => (asked++, Promise.reject(new Error('object overloaded'))),
      waitUntil: (work) => void work,
    }
    const now = Date.now()
    const admitted = []
    for (let i = 0; i < 5; i++) admitted.push((await leases.admit('site-x', now, unreachable)).ok)
    // One lease of 3 in that second, then refused until it is over.
    expect(admitted).toEqual([true, true, true, false, false])
    expect(await leases.admit('site-x', now + 500, unreachable)).toEqual({ ok: false, retryAfterSeconds: 1 })
    expect(asked).toBeLessThanOrEqual(3)
    // Once the object answers again, its word counts.
    const back: QuotaIo = { ask: () => Promise.resolve({ granted: 0, retryAfterMs: 5_000 }), waitUntil: () => undefined }
    expect(await leases.admit('site-x', now + LEASE_OPTIONS.fallbackTtlMs, back)).toEqual({ ok: false, retryAfterSeconds: 5 })
  })
})

describe('site quota: the quota settings', () => {
  it('reads SITE_REQUESTS_PER_SECOND and SITE_REQUEST_BURST, and falls back to the defaults on nonsense', () => {
    expect(siteQuotaRate({ SITE_REQUESTS_PER_SECOND: '5', SITE_REQUEST_BURST: '50' })).toEqual({ perSecond: 5, burst: 50 })
    expect(siteQuotaRate(env)).toEqual({ perSecond: 1_000, burst: 20_000 })
    expect(siteQuotaRate({ SITE_REQUESTS_PER_SECOND: 'lots', SITE_REQUEST_BURST: '-1' })).toEqual({ perSecond: 1_000, burst: 20_000 })
  })
})

describe('collect: the site quota', () => {
  let shop: Fixture

  beforeAll(async () => {
    shop = await createWorkspace()
  })

  /** Calls the worker with a small quota (the settings an operator would set) and waits for its background work. */
  async function collect(quota: { SITE_REQUESTS_PER_SECOND: string; SITE_REQUEST_BURST: string }) {
    const ctx = createExecutionContext()
    const body = JSON.stringify({ site: shop.siteKey, visitor: newId('v'), events: [pageview(newId('visit'), '/a')] })
    const req = new Request('https://pagebell.test/api/collect', {
      method: 'POST',
      headers: { 'content-type': 'text/plain', origin: SHOP_ORIGIN, 'user-agent': BROWSER_UA },
      body,
    })
    const res = await worker.fetch(req, { ...env, ...quota }, ctx)
    await waitOnExecutionContext(ctx)
    return res
  }

  it("answers 429 with Retry-After once the site's quota is spent", async () => {
    const quota = { SITE_REQUESTS_PER_SECOND: '0.1', SITE_REQUEST_BURST: '5' }
    const statuses: number[] = []
    for (let i = 0; i < 5; i++) statuses.push((await collect(quota)).status)
    expect(statuses).toEqual([200, 200, 200, 200, 200])
    const refused = await collect(quota)
    expect(refused.status).toBe(429)
    expect(await refused.json()).toEqual({ error: 'rate limited' })
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
  })
})
