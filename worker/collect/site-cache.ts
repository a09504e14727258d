// Sites by key, cached in the isolate for a few seconds so the per-event path does not
// query D1. Admin changes in the same isolate clear it at once; other isolates within TTL_MS.
import { createDb } from '../db/client'
import { findSiteByKey, type CollectSite } from '../db/queries/sites'

const TTL_MS = 5_000
const cache = new Map<string, { site: CollectSite | null; expires: number }>()

export async function siteByKey(d1: D1Database, key: string): Promise<CollectSite | null> {
  const now = Date.now()
  const hit = cache.get(key)
  if (hit && hit.expires > now) return hit.site
  const site = await findSiteByKey(createDb(d1), key)
  if (cache.size > 10_000) cache.clear()
  cache.set(key, { site, expires: now + TTL_MS })
  return site
}

export function forgetSites(): void {
  cache.clear()
}
