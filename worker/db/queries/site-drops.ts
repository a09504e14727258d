// Policy drops counted per site, day and reason (bots, foreign origins, rate limits).
import { and, eq, sql } from 'drizzle-orm'
import type { Db } from '../client'
import { siteDrops } from '../schema'

export type DropCount = { siteId: string; day: string; reason: string; count: number }

/** Adds counts in one statement; rows for the same (site, day, reason) are summed. */
export async function addSiteDrops(db: Db, rows: DropCount[]): Promise<void> {
  if (rows.length === 0) return
  await db
    .insert(siteDrops)
    .values(rows)
    .onConflictDoUpdate({
      target: [siteDrops.siteId, siteDrops.day, siteDrops.reason],
      set: { count: sql`${siteDrops.count} + excluded.count` },
    })
}

export async function siteDropsOn(db: Db, siteId: string, day: string): Promise<Record<string, number>> {
  const rows = await db
    .select({ reason: siteDrops.reason, count: siteDrops.count })
    .from(siteDrops)
    .where(and(eq(siteDrops.siteId, siteId), eq(siteDrops.day, day)))
  return Object.fromEntries(rows.map((r) => [r.reason, r.count]))
}
