// The current rules version of one site (its workspace's), read by a contact object before an
// alarm decides, so an alert switched off since the last event cannot fire from a stale cache.
import { eq } from 'drizzle-orm'
import type { Db } from '../client'
import { sites, workspaces } from '../schema'

export async function siteRulesVersion(db: Db, siteId: string): Promise<number | null> {
  const rows = await db
    .select({ version: workspaces.rulesVersion })
    .from(sites)
    .innerJoin(workspaces, eq(workspaces.id, sites.workspaceId))
    .where(eq(sites.id, siteId))
    .limit(1)
  return rows[0]?.version ?? null
}
