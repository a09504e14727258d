// Alerts as the admin API and UI read and change them, always within one workspace, and the
// per-day analytics read from the outbox's and the held visits' counts. An alert is stored as the
// campaign it is (alert-shape.ts): every change of what it does is the campaign's next version.
import { and, asc, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm'
import { isKnownTimeZone, isoDate, localDate, UTC_CALENDAR } from '../../../durable-objects/rules/calendar'
import { DAY_MS, dayNumberName, offsetSpans, QUARTER_HOUR_MS } from '../../../durable-objects/rules/offset-spans'
import type { Db } from '../client'
import { alertDeliveries, campaigns, campaignVersions, deliveryAttempts, recipientHourSlots, sites, workspaces } from '../schema'
import { deleteDeliveryCountsOfAlert, deliveriesPerLocalDay } from './alert-delivery-counts'
import { deleteHeldCountsOfAlert, heldPerLocalDay, quarterHourOf } from './alert-held-counts'
import { ALERT_CATEGORY, alertDefinition, alertOf, type AlertRow, type AlertValues } from './alert-shape'
import { currentVersion, insertCampaign, insertCampaignVersion, setCampaignActive } from './campaigns'

export type { AlertRow, AlertValues } from './alert-shape'

// Written out: inside the subquery drizzle's unqualified column names would bind to the inner table.
const lastSentAt = sql<number | null>`(SELECT max(d.sent_at) FROM alert_deliveries AS d WHERE d.alert_id = "campaigns"."id")`.as(
  'last_sent_at',
)

const liveAlerts = (workspaceId: string) =>
  and(eq(campaigns.workspaceId, workspaceId), eq(campaigns.category, ALERT_CATEGORY), isNull(campaigns.deletedAt))

async function selectAlerts(db: Db, where: SQL | undefined) {
  const rows = await db
    .select({ campaign: campaigns, definition: campaignVersions.definition, lastSentAt })
    .from(campaigns)
    .innerJoin(campaignVersions, currentVersion)
    .where(where)
    .orderBy(asc(campaigns.createdAt), asc(campaigns.name))
  return rows.flatMap(({ campaign, definition, lastSentAt: sent }) => {
    const alert = alertOf(campaign, definition, campaign.category)
    return alert ? [{ alert, lastSentAt: sent }] : []
  })
}

/** The workspace's alerts: its page-alert campaigns, oldest first. */
export async function listAlerts(db: Db, workspaceId: string) {
  return selectAlerts(db, liveAlerts(workspaceId))
}

export async function findAlert(db: Db, workspaceId: string, id: string) {
  return (await selectAlerts(db, and(liveAlerts(workspaceId), eq(campaigns.id, id))))[0] ?? null
}

/** A new alert: a campaign at version 1, ON or OFF as its values say. */
export async function insertAlert(
  db: Db,
  row: { id: string; workspaceId: string; createdBy: string; values: AlertValues },
): Promise<AlertRow> {
  const { campaign, definition } = await insertCampaign(db, { ...row, definition: alertDefinition(row.values), active: row.values.active })
  const alert = alertOf(campaign, definition, campaign.category)
  if (!alert) throw new Error('an alert saved as a campaign that is not an alert')
  return alert
}

/**
 * Changes the given values: a change of what the alert does is the campaign's next version, a
 * switch ON or OFF only the switch. Null when the workspace has no such alert.
 */
export async function updateAlert(db: Db, workspaceId: string, id: string, values: Partial<AlertValues>): Promise<AlertRow | null> {
  const found = await findAlert(db, workspaceId, id)
  if (!found) return null
  const { active, ...changed } = values
  let alert: AlertRow | null = found.alert
  if (Object.keys(changed).length > 0) {
    const definition = alertDefinition({ ...alertValues(found.alert), ...changed })
    const saved = await insertCampaignVersion(db, { id, workspaceId, createdBy: found.alert.createdBy || null, definition })
    alert = saved && alertOf(saved.campaign, saved.definition, saved.campaign.category)
  }
  if (alert && active !== undefined && active !== alert.active) {
    const switched = await setCampaignActive(db, workspaceId, id, active)
    alert = switched && { ...alert, active: switched.active, updatedAt: switched.updatedAt }
  }
  return alert
}

/** The editable part of a stored alert. */
export const alertValues = (row: AlertRow): AlertValues => ({
  name: row.name,
  pages: row.pages,
  frequencyCount: row.frequencyCount,
  frequencyPeriod: row.frequencyPeriod,
  notifyCreator: row.notifyCreator,
  notifyOwner: row.notifyOwner,
  cc: row.cc,
  description: row.description,
  attachmentTemplate: row.attachmentTemplate,
  attachmentFormat: row.attachmentFormat,
  templateHtml: row.templateHtml,
  active: row.active,
})

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
  if (!(await findAlert(db, workspaceId, id))) return false
  const deliveries = db
    .select({ id: alertDeliveries.id })
    .from(alertDeliveries)
    .where(and(eq(alertDeliveries.workspaceId, workspaceId), eq(alertDeliveries.alertId, id)))
  const now = Date.now()
  await db.batch([
    db.delete(deliveryAttempts).where(inArray(deliveryAttempts.deliveryId, deliveries)),
    db.delete(recipientHourSlots).where(inArray(recipientHourSlots.deliveryId, deliveries)),
    deleteHeldCountsOfAlert(db, workspaceId, id),
    // Before the rows: their delete trigger then finds no count to lower (a lookup per row, not a write).
    deleteDeliveryCountsOfAlert(db, workspaceId, id),
    db.delete(alertDeliveries).where(and(eq(alertDeliveries.workspaceId, workspaceId), eq(alertDeliveries.alertId, id))),
    // The campaign is kept deleted, as any campaign is: its versions stay, it is never read again.
    db
      .update(campaigns)
      .set({ active: false, deletedAt: now, updatedAt: now })
      .where(and(liveAlerts(workspaceId), eq(campaigns.id, id))),
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
