// The outbox as the admin reads it: recent deliveries of a workspace with their alert's name
// and every attempt, in two queries; and one delivery of the workspace, for "Re-send". With
// `ownerId` only the rows of the contacts that user owns (a sales rep's outbox).
import { and, desc, eq, inArray } from 'drizzle-orm'
import type { Db } from '../client'
import { alertDeliveries, campaigns, contacts, deliveryAttempts } from '../schema'

async function withAttempts(db: Db, rows: Array<{ delivery: typeof alertDeliveries.$inferSelect; alertName: string }>) {
  const ids = rows.map((r) => r.delivery.id)
  const attempts = ids.length
    ? await db.select().from(deliveryAttempts).where(inArray(deliveryAttempts.deliveryId, ids)).orderBy(deliveryAttempts.id)
    : []
  return rows.map((r) => ({ ...r.delivery, alertName: r.alertName, attemptLog: attempts.filter((a) => a.deliveryId === r.delivery.id) }))
}

/** Rows of the contacts `ownerId` owns, found through alert_deliveries_contact from the owner's contacts. */
const ofOwner = (db: Db, workspaceId: string, ownerId: string | undefined) =>
  ownerId === undefined
    ? undefined
    : inArray(
        alertDeliveries.contactId,
        db
          .select({ id: contacts.id })
          .from(contacts)
          .where(and(eq(contacts.workspaceId, workspaceId), eq(contacts.ownerId, ownerId))),
      )

export async function recentDeliveries(db: Db, workspaceId: string, options: { alertId?: string; ownerId?: string; limit: number }) {
  const rows = await db
    .select({ delivery: alertDeliveries, alertName: campaigns.name })
    .from(alertDeliveries)
    .innerJoin(campaigns, eq(campaigns.id, alertDeliveries.alertId))
    .where(
      and(
        eq(alertDeliveries.workspaceId, workspaceId),
        options.alertId ? eq(alertDeliveries.alertId, options.alertId) : undefined,
        ofOwner(db, workspaceId, options.ownerId),
      ),
    )
    .orderBy(desc(alertDeliveries.createdAt))
    .limit(options.limit)
  return withAttempts(db, rows)
}

/** One delivery of the workspace (of `ownerId`'s contacts, when given) with its attempts, or null. */
export async function outboxEntry(db: Db, workspaceId: string, id: string, ownerId?: string) {
  const rows = await db
    .select({ delivery: alertDeliveries, alertName: campaigns.name })
    .from(alertDeliveries)
    .innerJoin(campaigns, eq(campaigns.id, alertDeliveries.alertId))
    .where(and(eq(alertDeliveries.workspaceId, workspaceId), eq(alertDeliveries.id, id), ofOwner(db, workspaceId, ownerId)))
    .limit(1)
  const [entry] = await withAttempts(db, rows)
  return entry ?? null
}

export type OutboxEntry = Awaited<ReturnType<typeof recentDeliveries>>[number]
