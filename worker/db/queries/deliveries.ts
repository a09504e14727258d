// The outbox: one row per alert job, claimed and updated by the delivery consumer, and every
// attempt recorded. A row's alert_key is unique, so a job is claimed once.
import { and, desc, eq, inArray, sql } from 'drizzle-orm'
import type { Db } from '../client'
import { alertDeliveries, alerts, deliveryAttempts, users } from '../schema'

export type DeliveryStatus = (typeof alertDeliveries.$inferSelect)['status']

export async function alertForDelivery(db: Db, workspaceId: string, alertId: string) {
  const rows = await db
    .select({ alert: alerts, creatorEmail: users.email })
    .from(alerts)
    .leftJoin(users, eq(users.id, alerts.createdBy))
    .where(and(eq(alerts.workspaceId, workspaceId), eq(alerts.id, alertId)))
    .limit(1)
  return rows[0] ?? null
}

export async function findDelivery(db: Db, alertKey: string) {
  const rows = await db.select().from(alertDeliveries).where(eq(alertDeliveries.alertKey, alertKey)).limit(1)
  return rows[0] ?? null
}

/** Creates the outbox row for a job if it is new. */
export async function openDelivery(
  db: Db,
  row: { alertKey: string; workspaceId: string; alertId: string; contactId: string; transport: string },
) {
  const [created] = await db
    .insert(alertDeliveries)
    .values({ id: crypto.randomUUID(), status: 'pending', ...row })
    .onConflictDoNothing()
    .returning()
  return created ?? findDelivery(db, row.alertKey)
}

/** Moves a pending row to `sending`; false when another attempt holds or finished it. */
export async function claimDelivery(db: Db, id: string, attempt: { recipients: string[]; subject: string }): Promise<boolean> {
  const claimed = await db
    .update(alertDeliveries)
    .set({ status: 'sending', attempts: sql`${alertDeliveries.attempts} + 1`, updatedAt: Date.now(), ...attempt })
    .where(and(eq(alertDeliveries.id, id), inArray(alertDeliveries.status, ['pending'])))
    .returning({ id: alertDeliveries.id })
  return claimed.length === 1
}

const finishQuery = (db: Db, id: string, status: DeliveryStatus, error: string | null) => {
  const now = Date.now()
  return db
    .update(alertDeliveries)
    .set({ status, error, updatedAt: now, sentAt: status === 'sent' ? now : null })
    .where(eq(alertDeliveries.id, id))
}

export async function finishDelivery(db: Db, id: string, status: DeliveryStatus, error: string | null) {
  await finishQuery(db, id, status, error)
}

export type AttemptOutcome = (typeof deliveryAttempts.$inferInsert)['outcome']
export type Attempt = { attempt: number; outcome: AttemptOutcome; detail: string }

const attemptQuery = (db: Db, deliveryId: string, { attempt, outcome, detail }: Attempt) =>
  db.insert(deliveryAttempts).values({ deliveryId, attempt, outcome, detail: detail.slice(0, 500) })

export async function recordAttempt(db: Db, deliveryId: string, attempt: Attempt) {
  await attemptQuery(db, deliveryId, attempt)
}

/** Sets the row's outcome and records the attempt in one round trip (one D1 batch, atomic). */
export async function settleDelivery(db: Db, id: string, status: DeliveryStatus, error: string | null, attempt: Attempt) {
  await db.batch([finishQuery(db, id, status, error), attemptQuery(db, id, attempt)])
}

/** Used by the dead-letter consumer: a row still open after the last retry is failed, with why. */
export async function failOpenDelivery(db: Db, alertKey: string, reason: string) {
  const rows = await db
    .update(alertDeliveries)
    .set({ status: 'failed', error: sql`${reason} || coalesce('; last error: ' || ${alertDeliveries.error}, '')`, updatedAt: Date.now() })
    .where(and(eq(alertDeliveries.alertKey, alertKey), inArray(alertDeliveries.status, ['pending', 'sending'])))
    .returning({ id: alertDeliveries.id, attempts: alertDeliveries.attempts })
  return rows[0] ?? null
}

export async function listOutbox(db: Db, workspaceId: string, limit = 50) {
  return db
    .select()
    .from(alertDeliveries)
    .where(eq(alertDeliveries.workspaceId, workspaceId))
    .orderBy(desc(alertDeliveries.createdAt))
    .limit(limit)
}

export async function attemptsOf(db: Db, deliveryId: string) {
  return db.select().from(deliveryAttempts).where(eq(deliveryAttempts.deliveryId, deliveryId)).orderBy(deliveryAttempts.id)
}
