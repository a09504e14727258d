// Alerts as the admin API and UI read and change them, always within one workspace, and the
// per-day analytics read from the outbox.
import { and, asc, eq, inArray, sql } from 'drizzle-orm'
import { localDay, UTC_CALENDAR } from '../../../durable-objects/rules/calendar'
import type { Db } from '../client'
import { alertDeliveries, alerts, deliveryAttempts, recipientHourSlots, workspaces } from '../schema'

export type AlertRow = typeof alerts.$inferSelect

/** What an alert is made of: the columns a marketer sets (the rest is bookkeeping). */
export type AlertValues = Omit<AlertRow, 'id' | 'workspaceId' | 'createdBy' | 'createdAt' | 'updatedAt'>

// Written out: inside the subquery drizzle's unqualified column names would bind to the inner table.
const lastSentAt = sql<number | null>`(SELECT max(d.sent_at) FROM alert_deliveries AS d WHERE d.alert_id = "alerts"."id")`.as(
  'last_sent_at',
)

export async function listAlerts(db: Db, workspaceId: string) {
  return db
    .select({ alert: alerts, lastSentAt })
    .from(alerts)
    .where(eq(alerts.workspaceId, workspaceId))
    .orderBy(asc(alerts.createdAt), asc(alerts.name))
}

export async function findAlert(db: Db, workspaceId: string, id: string) {
  const rows = await db
    .select({ alert: alerts, lastSentAt })
    .from(alerts)
    .where(and(eq(alerts.workspaceId, workspaceId), eq(alerts.id, id)))
    .limit(1)
  return rows[0] ?? null
}

export async function insertAlert(
  db: Db,
  row: { id: string; workspaceId: string; createdBy: string; values: AlertValues },
): Promise<AlertRow> {
  const [inserted] = await db
    .insert(alerts)
    .values({ id: row.id, workspaceId: row.workspaceId, createdBy: row.createdBy, ...row.values })
    .returning()
  if (!inserted) throw new Error('alert insert returned nothing')
  return inserted
}

export async function updateAlert(db: Db, workspaceId: string, id: string, values: Partial<AlertValues>): Promise<AlertRow | null> {
  const [updated] = await db
    .update(alerts)
    .set({ ...values, updatedAt: Date.now() })
    .where(and(eq(alerts.workspaceId, workspaceId), eq(alerts.id, id)))
    .returning()
  return updated ?? null
}

/**
 * Deletes the alert with its outbox history (deliveries, attempts, flood-cap slots), in one
 * batch: the outbox rows reference the alert. False when the workspace has no such alert.
 */
export async function deleteAlert(db: Db, workspaceId: string, id: string): Promise<boolean> {
  const found = await db
    .select({ id: alerts.id })
    .from(alerts)
    .where(and(eq(alerts.workspaceId, workspaceId), eq(alerts.id, id)))
    .limit(1)
  if (found.length === 0) return false
  const deliveries = db
    .select({ id: alertDeliveries.id })
    .from(alertDeliveries)
    .where(and(eq(alertDeliveries.workspaceId, workspaceId), eq(alertDeliveries.alertId, id)))
  await db.batch([
    db.delete(deliveryAttempts).where(inArray(deliveryAttempts.deliveryId, deliveries)),
    db.delete(recipientHourSlots).where(inArray(recipientHourSlots.deliveryId, deliveries)),
    db.delete(alertDeliveries).where(and(eq(alertDeliveries.workspaceId, workspaceId), eq(alertDeliveries.alertId, id))),
    db.delete(alerts).where(and(eq(alerts.workspaceId, workspaceId), eq(alerts.id, id))),
  ])
  return true
}

export type AnalyticsDay = { day: string; fired: number; sent: number; failed: number; digested: number; unknown: number; pending: number }

/** Every zone's offset from UTC is a whole number of quarter hours, so these buckets fall in one local day. */
const QUARTER_HOUR_MS = 15 * 60_000

/** Outbox rows of one alert per local day (the workspace's time zone) of firing and status, newest day first. */
export async function alertAnalytics(db: Db, workspaceId: string, alertId: string, since: number): Promise<AnalyticsDay[]> {
  const bucket = sql<number>`${alertDeliveries.createdAt} / ${QUARTER_HOUR_MS}`
  const [rows, [workspace]] = await db.batch([
    db
      .select({ bucket, status: alertDeliveries.status, count: sql<number>`count(*)` })
      .from(alertDeliveries)
      .where(
        and(
          eq(alertDeliveries.workspaceId, workspaceId),
          eq(alertDeliveries.alertId, alertId),
          sql`${alertDeliveries.createdAt} >= ${since}`,
        ),
      )
      .groupBy(bucket, alertDeliveries.status),
    db.select({ timeZone: workspaces.timeZone }).from(workspaces).where(eq(workspaces.id, workspaceId)),
  ])
  const timeZone = workspace?.timeZone ?? UTC_CALENDAR.timeZone
  const days = new Map<string, AnalyticsDay>()
  for (const row of rows) {
    const day = localDay(row.bucket * QUARTER_HOUR_MS, timeZone)
    const entry = days.get(day) ?? { day, fired: 0, sent: 0, failed: 0, digested: 0, unknown: 0, pending: 0 }
    entry.fired += row.count
    if (row.status === 'sending') entry.pending += row.count
    // Skipped (the alert was OFF when its turn came) counts as fired only: nothing was sent.
    else if (row.status !== 'skipped') entry[row.status] += row.count
    days.set(day, entry)
  }
  return [...days.values()].sort((a, b) => b.day.localeCompare(a.day))
}
