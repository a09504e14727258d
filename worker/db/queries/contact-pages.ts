// The pages each contact visited per UTC day (contact_page_days) and every page of a workspace
// with its last day (workspace_pages): written by the contact's object from its alarm, off the
// collect path, and read by the contacts list's "visited a page in the last N days" filter.
import { and, asc, eq, lt, sql } from 'drizzle-orm'
import type { Db } from '../client'
import { contactPageDays, workspacePages } from '../schema'

/** Days of page visits kept in D1 (and the longest "visited in the last N days"). */
export const PAGE_DAYS_KEPT = 90

/** The longest URL stored; longer ones are cut (a pattern rarely needs the tail of a tracking query). */
export const PAGE_URL_CHARS = 1_000

export const DAY_MS = 86_400_000

/** Days since 1970-01-01 UTC of an instant. */
export const utcDay = (at: number) => Math.floor(at / DAY_MS)

export type PageDay = { day: number; url: string; views: number }

/**
 * The writes of a contact's page days as the object counts them (the object is their one writer,
 * so its totals replace D1's): they raise their pages' last day in workspace_pages and drop the
 * contact's days older than `keepFromDay`, for the caller's batch. One JSON parameter carries
 * every row: D1 binds at most 100 parameters per statement.
 */
export function pageDaysWrites(db: Db, contact: { workspaceId: string; contactId: string }, rows: PageDay[], keepFromDay: number) {
  const json = JSON.stringify(rows.map((r) => ({ d: r.day, u: r.url.slice(0, PAGE_URL_CHARS), v: r.views })))
  return [
    db
      .insert(contactPageDays)
      // Every column, in the table's order; WHERE true keeps SQLite from reading ON CONFLICT as a join's ON.
      .select(
        sql`SELECT ${contact.workspaceId}, ${contact.contactId}, json_extract(value, '$.d'), json_extract(value, '$.u'), json_extract(value, '$.v')
          FROM json_each(${json}) WHERE true`,
      )
      .onConflictDoUpdate({
        target: [contactPageDays.contactId, contactPageDays.day, contactPageDays.url],
        set: { views: sql`excluded.views` },
      }),
    db
      .insert(workspacePages)
      .select(
        sql`SELECT ${contact.workspaceId}, json_extract(value, '$.u'), max(json_extract(value, '$.d'))
          FROM json_each(${json}) WHERE true GROUP BY json_extract(value, '$.u')`,
      )
      .onConflictDoUpdate({
        target: [workspacePages.workspaceId, workspacePages.url],
        set: { lastDay: sql`max(${workspacePages.lastDay}, excluded.last_day)` },
      }),
    db.delete(contactPageDays).where(and(eq(contactPageDays.contactId, contact.contactId), lt(contactPageDays.day, keepFromDay))),
  ] as const
}

/** The pages the workspace's contacts visited on `fromDay` or later, at most `limit`, for matching a URL pattern against them. */
export async function visitedUrls(db: Db, workspaceId: string, fromDay: number, limit: number): Promise<string[]> {
  const rows = await db
    .select({ url: workspacePages.url })
    .from(workspacePages)
    .where(and(eq(workspacePages.workspaceId, workspaceId), sql`${workspacePages.lastDay} >= ${fromDay}`))
    .limit(limit)
  return rows.map((r) => r.url)
}

/** A contact's stored page days, newest first (for tests and operators). */
export async function contactPageDaysOf(db: Db, contactId: string): Promise<PageDay[]> {
  return db
    .select({ day: contactPageDays.day, url: contactPageDays.url, views: contactPageDays.views })
    .from(contactPageDays)
    .where(eq(contactPageDays.contactId, contactId))
    .orderBy(sql`${contactPageDays.day} DESC`, asc(contactPageDays.url))
}
