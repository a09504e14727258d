// Outbox rows per alert, quarter hour and status (`alert_delivery_counts`): kept by the triggers
// of migration 0014 as rows are written, read by alert analytics per local day.
import { and, eq, sql } from 'drizzle-orm'
import type { Db } from '../client'
import { alertDeliveryCounts } from '../schema'
import { alertRowsInWindow, localDayNumber, type LocalWindow } from './local-day-sql'

/** An alert's outbox rows per local day and status in the window (days with rows only). */
export function deliveriesPerLocalDay(db: Db, workspaceId: string, alertId: string, window: LocalWindow) {
  const day = localDayNumber(alertDeliveryCounts.quarterHour, window.spans)
  return db
    .select({ day, status: alertDeliveryCounts.status, count: sql<number>`sum(${alertDeliveryCounts.deliveries})` })
    .from(alertDeliveryCounts)
    .where(alertRowsInWindow(alertDeliveryCounts, { workspaceId, alertId }, window))
    .groupBy(day, alertDeliveryCounts.status)
}

/** The statement that deletes an alert's counts (run in the batch that deletes the alert, before its rows). */
export const deleteDeliveryCountsOfAlert = (db: Db, workspaceId: string, alertId: string) =>
  db.delete(alertDeliveryCounts).where(and(eq(alertDeliveryCounts.workspaceId, workspaceId), eq(alertDeliveryCounts.alertId, alertId)))
