// Visits held back by an alert's frequency limit, as the contact objects report them: absolute
// numbers per alert, contact and quarter hour (`alert_held_counts`), read by alert analytics.
import { and, eq, sql } from 'drizzle-orm'
import { QUARTER_HOUR_MS } from '../../../durable-objects/rules/offset-spans'
import type { Db } from '../client'
import { alertHeldCounts, campaigns } from '../schema'
import { alertRowsInWindow, localDayNumber, type LocalWindow } from './local-day-sql'

export const quarterHourOf = (at: number) => Math.floor(at / QUARTER_HOUR_MS)

/** How many visits of one contact the limit of `alertId` held back in one quarter hour, so far. */
export type HeldCount = { alertId: string; quarterHour: number; held: number }

/**
 * Writes one contact's numbers in one batch. A number only ever raises its row (`max`), so a
 * write repeated after an unclear failure, or overtaken by a later one, counts nothing twice.
 * Rows of an alert deleted meanwhile, or of another workspace, are left out (not an error:
 * the object would otherwise retry them forever).
 */
export async function writeHeldCounts(db: Db, workspaceId: string, contactId: string, counts: HeldCount[]): Promise<void> {
  const [first, ...rest] = counts.map((c) =>
    db
      .insert(alertHeldCounts)
      // Column order of the table: alert_id, quarter_hour, contact_id, workspace_id, held.
      .select(
        sql`SELECT ${campaigns.id}, ${c.quarterHour}, ${contactId}, ${campaigns.workspaceId}, ${c.held} FROM ${campaigns}
            WHERE ${campaigns.id} = ${c.alertId} AND ${campaigns.workspaceId} = ${workspaceId} AND ${campaigns.deletedAt} IS NULL`,
      )
      .onConflictDoUpdate({
        target: [alertHeldCounts.alertId, alertHeldCounts.quarterHour, alertHeldCounts.contactId],
        set: { held: sql`max(${alertHeldCounts.held}, excluded.held)` },
      }),
  )
  if (first) await db.batch([first, ...rest])
}

/** Held visits of one alert per local day in the window, all contacts together. */
export function heldPerLocalDay(db: Db, workspaceId: string, alertId: string, window: LocalWindow) {
  const day = localDayNumber(alertHeldCounts.quarterHour, window.spans)
  return db
    .select({ day, held: sql<number>`sum(${alertHeldCounts.held})` })
    .from(alertHeldCounts)
    .where(alertRowsInWindow(alertHeldCounts, { workspaceId, alertId }, window))
    .groupBy(day)
}

/** The statement that deletes an alert's rows (run in the batch that deletes the alert). */
export const deleteHeldCountsOfAlert = (db: Db, workspaceId: string, alertId: string) =>
  db.delete(alertHeldCounts).where(and(eq(alertHeldCounts.workspaceId, workspaceId), eq(alertHeldCounts.alertId, alertId)))
