// Sites by key, cached in the isolate so the per-event path does not query D1. Admin changes in
// the same isolate clear it at once (`forgetSites`); other isolates see them within SITE_TTL_MS.
//
// What a flood of made-up keys costs is bounded three ways:
// - keys found unknown are remembered (UNKNOWN_TTL_MS), so a key repeated costs one D1 query per
//   isolate and TTL, not one per request. Site keys are random and made by the server, so a key
//   unknown now is very unlikely to become a site within the TTL;
// - known sites and unknown keys live in separate LRU maps, so unknown keys can only push out
//   other unknown keys, never a real site (the cache used to be cleared when full);
// - D1 lookups of keys in neither map take a token from a per-isolate budget; past it the
//   request is answered "busy" (503 + Retry-After, which the script retries) without a query.
//   A known site whose entry has expired is looked up again outside the budget, and served from
//   its stale entry if that lookup fails, so real sites keep working during such a flood.
import { takeTokens, type Bucket, type Rate } from '../../durable-objects/rules/token-bucket'
import { createDb } from '../db/client'
import { findSiteByKey, type CollectSite } from '../db/queries/sites'
import { LruMap } from '../../durable-objects/rules/lru-map'
import { SITE_FRESH_MS } from '../../durable-objects/contracts/site-context'

export const SITE_CACHE_OPTIONS = {
  siteTtlMs: SITE_FRESH_MS,
  unknownTtlMs: 300_000,
  maxSites: 10_000,
  maxUnknown: 20_000,
  /** D1 lookups per isolate for keys it has never seen (or has forgotten). */
  lookups: { perSecond: 50, burst: 200 } satisfies Rate,
}

export type SiteCacheOptions = typeof SITE_CACHE_OPTIONS

/** `readAt`: when the site was read from D1 (an older copy is served while D1 fails). */
export type SiteLookup =
  { status: 'found'; site: CollectSite; readAt: number } | { status: 'unknown' } | { status: 'busy'; retryAfterSeconds: number }

type FindSite = (key: string) => Promise<CollectSite | null>

export class SiteCache {
  private readonly sites: LruMap<string, { site: CollectSite; readAt: number }>
  private readonly unknown: LruMap<string, number>
  private lookupBudget: Bucket | null = null

  constructor(private readonly options: SiteCacheOptions = SITE_CACHE_OPTIONS) {
    this.sites = new LruMap(options.maxSites)
    this.unknown = new LruMap(options.maxUnknown)
  }

  async lookup(key: string, now: number, find: FindSite): Promise<SiteLookup> {
    const known = this.sites.get(key)
    if (known && known.readAt + this.options.siteTtlMs > now) return { status: 'found', ...known }
    const unknownUntil = this.unknown.get(key)
    if (unknownUntil !== undefined && unknownUntil > now) return { status: 'unknown' }

    if (!known) {
      const taken = takeTokens(this.lookupBudget, this.options.lookups, 1, now)
      this.lookupBudget = taken.bucket
      if (taken.granted === 0) return { status: 'busy', retryAfterSeconds: Math.max(1, Math.ceil(taken.retryAfterMs / 1000)) }
    }
    let site: CollectSite | null
    try {
      site = await find(key)
    } catch (err) {
      if (!known) throw err
      console.error('site lookup failed; serving the cached site', err)
      return { status: 'found', ...known }
    }
    if (!site) {
      this.sites.delete(key)
      this.unknown.set(key, now + this.options.unknownTtlMs)
      return { status: 'unknown' }
    }
    this.unknown.delete(key)
    this.sites.set(key, { site, readAt: now })
    return { status: 'found', site, readAt: now }
  }

  clear(): void {
    this.sites.clear()
    this.unknown.clear()
  }
}

const cache = new SiteCache()

/** The site with this key, from this isolate's cache or D1. */
export function lookupSite(d1: D1Database, key: string): Promise<SiteLookup> {
  return cache.lookup(key, Date.now(), (k) => findSiteByKey(createDb(d1), k))
}

/** Forgets every site and unknown key, so the next request reads D1 (after an admin change). */
export function forgetSites(): void {
  cache.clear()
}
