// The outbox as the admin reads it: recent deliveries of a workspace with their alert's name
// and every attempt, in two queries; and one delivery of the workspace, for "Re-send".
import { and, desc, eq, inArray } from 'drizzle-orm'
import type { Db } from '../client'
import { alertDeliveries, alerts, deliveryAttempts } from '../schema'

async function withAttempts(db: Db, rows: Array<{ delivery: typeof alertDeliveries.$inferSelect; alertName: string }>) {
  const ids = rows.map((r) => r.delivery.id)
  const attempts = ids.length
    ? await db.select().from(deliveryAttempts).where(inArray(deliveryAttempts.deliveryId, ids)).orderBy(deliveryAttempts.id)
    : []
  return rows.map((r) => ({ ...r.delivery, alertName: r.alertName, attemptLog: attempts.filter((a) => a.deliveryId === r.delivery.id) }))
}

export async function recentDeliveries(db: Db, workspaceId: string, options: { alertId?: string; limit: number }) {
  const rows = await db
    .select({ delivery: alertDeliveries, alertName: alerts.name })
    .from(alertDeliveries)
    .innerJoin(alerts, eq(alerts.id, alertDeliveries.alertId))
    .where(and(eq(alertDeliveries.workspaceId, workspaceId), options.alertId ? eq(alertDeliveries.alertId, options.alertId) : undefined))
    .orderBy(desc(alertDeliveries.createdAt))
    .limit(options.limit)
  return withAttempts(db, rows)
}

/** One delivery of the workspace with its attempts, or null. */
export async function outboxEntry(db: Db, workspaceId: string, id: string) {
  const rows = await db
    .select({ delivery: alertDeliveries, alertName: alerts.name })
    .from(alertDeliveries)
    .innerJoin(alerts, eq(alerts.id, alertDeliveries.alertId))
    .where(and(eq(alertDeliveries.workspaceId, workspaceId), eq(alertDeliveries.id, id)))
    .limit(1)
  const [entry] = await withAttempts(db, rows)
  return entry ?? null
}

export type OutboxEntry = Awaited<ReturnType<typeof recentDeliveries>>[number]
