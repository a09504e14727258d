// The current rules version of one site, read by a contact object before an alarm decides,
// so an alert switched off since the last event cannot fire from a stale cache.
import { eq } from 'drizzle-orm'
import type { Db } from '../client'
import { sites } from '../schema'

export async function siteRulesVersion(db: Db, siteId: string): Promise<number | null> {
  const rows = await db.select({ version: sites.rulesVersion }).from(sites).where(eq(sites.id, siteId)).limit(1)
  return rows[0]?.version ?? null
}
