// Alerts as the admin API and UI read and change them, always within one workspace, and the
// per-day analytics read from the outbox's and the held visits' counts.
import { and, asc, eq, inArray, sql } from 'drizzle-orm'
import { isKnownTimeZone, isoDate, localDate, UTC_CALENDAR } from '../../../durable-objects/rules/calendar'
import { DAY_MS, dayNumberName, offsetSpans, QUARTER_HOUR_MS } from '../../../durable-objects/rules/offset-spans'
import type { Db } from '../client'
import { alertDeliveries, alerts, deliveryAttempts, recipientHourSlots, sites, workspaces } from '../schema'
import { deleteDeliveryCountsOfAlert, deliveriesPerLocalDay } from './alert-delivery-counts'
import { deleteHeldCountsOfAlert, heldPerLocalDay, quarterHourOf } from './alert-held-counts'

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

/** Every allowed domain of the workspace's sites, oldest site first: where patterns without a host apply. */
export async function workspaceDomains(db: Db, workspaceId: string): Promise<string[]> {
  const rows = await db
    .select({ domains: sites.allowedDomains })
    .from(sites)
    .where(eq(sites.workspaceId, workspaceId))
    .orderBy(asc(sites.createdAt), asc(sites.id))
  return [...new Set(rows.flatMap((r) => r.domains))]
}

/**
 * Deletes the alert with its outbox history (deliveries, attempts, flood-cap slots, counts) and held counts, in one
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
    deleteHeldCountsOfAlert(db, workspaceId, id),
    // Before the rows: their delete trigger then finds no count to lower (a lookup per row, not a write).
    deleteDeliveryCountsOfAlert(db, workspaceId, id),
    db.delete(alertDeliveries).where(and(eq(alertDeliveries.workspaceId, workspaceId), eq(alertDeliveries.alertId, id))),
    db.delete(alerts).where(and(eq(alerts.workspaceId, workspaceId), eq(alerts.id, id))),
  ])
  return true
}

/**
 * One local day of an alert. `fired` counts every time the alert's condition was met: the visits
 * the frequency limit `held` back plus the outbox rows, which end `sent`, `digested` (folded into
 * a recipient's hourly digest), `failed`, `unknown` (interrupted mid-send), `pending` (queued,
 * sending or waiting for a retry) or `skipped` (the alert was OFF when its turn came).
 */
export type AnalyticsDay = {
  day: string
  fired: number
  sent: number
  held: number
  digested: number
  failed: number
  unknown: number
  pending: number
  skipped: number
}

export type AlertReport = { timeZone: string; days: AnalyticsDay[] }

const emptyDay = (day: string): AnalyticsDay => ({
  day,
  fired: 0,
  sent: 0,
  held: 0,
  digested: 0,
  failed: 0,
  unknown: 0,
  pending: 0,
  skipped: 0,
})

/**
 * The alert's outbox rows and held visits from `since` to `until`, per local day of the
 * workspace's time zone (days with something only, newest first). Both are counted per quarter
 * hour (the outbox's by `alert_delivery_counts`) and grouped into local days by the database, so a
 * change of time zone re-draws past days too.
 */
export async function alertReport(
  db: Db,
  workspaceId: string,
  alertId: string,
  range: { since: number; until: number },
): Promise<AlertReport> {
  const [workspace] = await db.select({ timeZone: workspaces.timeZone }).from(workspaces).where(eq(workspaces.id, workspaceId))
  const timeZone = workspace && isKnownTimeZone(workspace.timeZone) ? workspace.timeZone : UTC_CALENDAR.timeZone
  const first = Math.ceil(range.since / QUARTER_HOUR_MS)
  const last = quarterHourOf(range.until)
  const window = { first, last, spans: offsetSpans(first, last, timeZone) }
  const [rows, held] = await db.batch([
    deliveriesPerLocalDay(db, workspaceId, alertId, window),
    heldPerLocalDay(db, workspaceId, alertId, window),
  ])
  const days = new Map<number, AnalyticsDay>()
  const dayOf = (dayNumber: number) => {
    let entry = days.get(dayNumber)
    if (!entry) days.set(dayNumber, (entry = emptyDay(dayNumberName(dayNumber))))
    return entry
  }
  for (const row of rows) {
    const entry = dayOf(row.day)
    entry.fired += row.count
    entry[row.status === 'sending' ? 'pending' : row.status] += row.count
  }
  for (const row of held) {
    const entry = dayOf(row.day)
    entry.fired += row.held
    entry.held += row.held
  }
  return { timeZone, days: [...days.values()].sort((a, b) => b.day.localeCompare(a.day)) }
}

/** `alertReport`'s days alone, up to `until` (now when not given). */
export async function alertAnalytics(
  db: Db,
  workspaceId: string,
  alertId: string,
  since: number,
  until = Date.now(),
): Promise<AnalyticsDay[]> {
  return (await alertReport(db, workspaceId, alertId, { since, until })).days
}

/** The `count` local days up to the one of `now`, newest first (`YYYY-MM-DD`), by date arithmetic: DST cannot repeat or skip one. */
export function lastLocalDays(now: number, timeZone: string, count: number): string[] {
  const today = localDate(now, timeZone)
  return Array.from({ length: count }, (_, i) => {
    const d = new Date(Date.UTC(today.year, today.month - 1, today.day - i))
    return isoDate({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() })
  })
}

/** A window of whole local days: every one of the last `days` (today included), zeros too, newest first, with totals. */
export type AlertWindow = AlertReport & { totals: Omit<AnalyticsDay, 'day'>; /** Rows from this instant on were read. */ since: number }

export async function alertWindow(
  db: Db,
  workspaceId: string,
  alertId: string,
  options: { days: number; now: number },
): Promise<AlertWindow> {
  // A local day lasts at most 25 hours: one day more than asked covers the oldest one whole. From
  // the start of a quarter hour, so `since` says exactly which rows were counted.
  const since = quarterHourOf(options.now - (options.days + 1) * DAY_MS) * QUARTER_HOUR_MS
  const report = await alertReport(db, workspaceId, alertId, { since, until: options.now })
  const byDay = new Map(report.days.map((d) => [d.day, d]))
  const days = lastLocalDays(options.now, report.timeZone, options.days).map((day) => byDay.get(day) ?? emptyDay(day))
  const { day: _, ...totals } = emptyDay('')
  for (const d of days) for (const key of Object.keys(totals) as Array<keyof typeof totals>) totals[key] += d[key]
  return { timeZone: report.timeZone, days, totals, since }
}
