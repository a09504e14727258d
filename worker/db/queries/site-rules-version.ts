// The current rules version of one site (its workspace's), read by a contact object before an
// alarm decides, so an alert switched off since the last event cannot fire from a stale cache.
// Read by every alarm that may decide, so the query is built once per client, not per call
// (drizzle's builder cost more than the query itself).
import { eq, sql } from 'drizzle-orm'
import type { Db } from '../client'
import { sites, workspaces } from '../schema'

const prepare = (db: Db) =>
  db
    .select({ version: workspaces.rulesVersion })
    .from(sites)
    .innerJoin(workspaces, eq(workspaces.id, sites.workspaceId))
    .where(eq(sites.id, sql.placeholder('siteId')))
    .limit(1)
    .prepare()

const prepared = new WeakMap<Db, ReturnType<typeof prepare>>()

export async function siteRulesVersion(db: Db, siteId: string): Promise<number | null> {
  let query = prepared.get(db)
  if (!query) prepared.set(db, (query = prepare(db)))
  const rows = await query.all({ siteId })
  return rows[0]?.version ?? null
}
