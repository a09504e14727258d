// The isolate's site cache: unknown keys answered from memory (bounded, with a TTL), real sites
// kept when unknown keys flood it (least recently used evicted, nothing cleared wholesale), and
// a budget on D1 lookups of never-seen keys. The lookups go to the real D1; the test counts them
// and drives the clock.
import { env } from 'cloudflare:test'
import { beforeAll, describe, expect, it } from 'vitest'
import { SITE_CACHE_OPTIONS, SiteCache, type SiteCacheOptions } from '../../../worker/collect/site-cache'
import { createDb } from '../../../worker/db/client'
import { findSiteByKey } from '../../../worker/db/queries/sites'
import { newId } from '../support/collect'
import { createWorkspace, type Fixture } from '../contact-object/workspace-fixture'

let shop: Fixture
let other: Fixture

beforeAll(async () => {
  shop = await createWorkspace()
  other = await createWorkspace()
})

/** A cache over the real D1 that counts the queries it makes; `failing` makes the next queries throw. */
function countingCache(options: Partial<SiteCacheOptions> = {}) {
  const cache = new SiteCache({ ...SITE_CACHE_OPTIONS, ...options })
  const counter = { queries: 0, failing: false }
  const find = (key: string) => {
    counter.queries++
    if (counter.failing) return Promise.reject(new Error('D1 unavailable'))
    return findSiteByKey(createDb(env.DB), key)
  }
  return { counter, lookup: (key: string, now: number) => cache.lookup(key, now, find), clear: () => cache.clear() }
}

const T0 = 1_800_000_000_000

describe('site cache: unknown keys', () => {
  it('answers a repeated unknown key from memory: one D1 query per key and TTL', async () => {
    const { counter, lookup } = countingCache()
    const key = newId('nokey')
    for (let i = 0; i < 100; i++) expect(await lookup(key, T0 + i)).toEqual({ status: 'unknown' })
    expect(counter.queries).toBe(1)
    expect(await lookup(key, T0 + SITE_CACHE_OPTIONS.unknownTtlMs + 1)).toEqual({ status: 'unknown' })
    expect(counter.queries).toBe(2)
  })

  it('keeps at most maxUnknown unknown keys, forgetting the least recently used first', async () => {
    const { counter, lookup } = countingCache({ maxUnknown: 3 })
    const keys = [newId('nokey'), newId('nokey'), newId('nokey'), newId('nokey')]
    for (const key of keys.slice(0, 3)) await lookup(key, T0)
    await lookup(keys[0]!, T0) // the first key is now the most recent
    await lookup(keys[3]!, T0) // evicts keys[1]
    expect(counter.queries).toBe(4)
    await lookup(keys[0]!, T0)
    await lookup(keys[2]!, T0)
    expect(counter.queries).toBe(4)
    await lookup(keys[1]!, T0)
    expect(counter.queries).toBe(5)
  })
})

describe('site cache: real sites', () => {
  it('keeps a real site cached while a flood of unknown keys fills the cache', async () => {
    const { counter, lookup } = countingCache({ maxSites: 2, maxUnknown: 10 })
    expect(await lookup(shop.siteKey, T0)).toMatchObject({ status: 'found', site: { id: shop.siteId } })
    for (let i = 0; i < 50; i++) await lookup(newId('flood'), T0)
    const before = counter.queries
    expect(await lookup(shop.siteKey, T0 + 1)).toMatchObject({ status: 'found', site: { id: shop.siteId } })
    expect(counter.queries).toBe(before)
  })

  it('forgets only the least recently used site when full, not all of them', async () => {
    const { counter, lookup } = countingCache({ maxSites: 2 })
    const third = await createWorkspace()
    await lookup(shop.siteKey, T0)
    await lookup(other.siteKey, T0)
    await lookup(shop.siteKey, T0) // shop is the most recent now
    await lookup(third.siteKey, T0) // evicts other
    expect(counter.queries).toBe(3)
    await lookup(shop.siteKey, T0)
    await lookup(third.siteKey, T0)
    expect(counter.queries).toBe(3)
    await lookup(other.siteKey, T0)
    expect(counter.queries).toBe(4)
  })

  it('reads a site again after its TTL, and serves the cached one (with its read time) while D1 fails', async () => {
    const { counter, lookup } = countingCache()
    expect(await lookup(shop.siteKey, T0)).toMatchObject({ readAt: T0 })
    expect(await lookup(shop.siteKey, T0 + SITE_CACHE_OPTIONS.siteTtlMs - 1)).toMatchObject({ readAt: T0 })
    expect(counter.queries).toBe(1)
    counter.failing = true
    // Served with the time it was read: the objects it is handed to read the rules version themselves.
    expect(await lookup(shop.siteKey, T0 + SITE_CACHE_OPTIONS.siteTtlMs)).toMatchObject({
      status: 'found',
      site: { id: shop.siteId },
      readAt: T0,
    })
    expect(counter.queries).toBe(2)
    await expect(lookup(other.siteKey, T0 + SITE_CACHE_OPTIONS.siteTtlMs)).rejects.toThrow('D1 unavailable')
  })
})

describe('site cache: lookup budget', () => {
  it('answers busy without a D1 query once never-seen keys have used the budget, while known sites still refresh', async () => {
    // One token every 1,000 s: the budget stays spent for the whole test unless time says otherwise.
    const { counter, lookup } = countingCache({ lookups: { perSecond: 0.001, burst: 3 } })
    await lookup(shop.siteKey, T0)
    for (let i = 0; i < 2; i++) expect(await lookup(newId('flood'), T0)).toEqual({ status: 'unknown' })
    expect(counter.queries).toBe(3)
    expect(await lookup(newId('flood'), T0)).toEqual({ status: 'busy', retryAfterSeconds: 1_000 })
    expect(await lookup(other.siteKey, T0)).toEqual({ status: 'busy', retryAfterSeconds: 1_000 })
    expect(counter.queries).toBe(3)
    // The known site's entry has expired: it is read again, outside the budget.
    expect(await lookup(shop.siteKey, T0 + SITE_CACHE_OPTIONS.siteTtlMs)).toMatchObject({ status: 'found', site: { id: shop.siteId } })
    expect(counter.queries).toBe(4)
    expect(await lookup(other.siteKey, T0 + SITE_CACHE_OPTIONS.siteTtlMs)).toMatchObject({ status: 'busy' })
    // Once the budget has a token again, the new key is looked up.
    expect(await lookup(other.siteKey, T0 + 1_000_000)).toMatchObject({ status: 'found', site: { id: other.siteId } })
    expect(counter.queries).toBe(5)
  })
})
