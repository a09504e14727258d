// The outbox: one row per alert job, holding the job itself, claimed and updated by the delivery
// consumer, with every attempt recorded. A row's alert_key is unique, so a job is claimed once;
// the updates that follow a claim name the attempt that made it (`attempts`), so an attempt that
// lost its claim to another cannot overwrite that one's outcome.
import { and, eq, inArray, isNull, sql } from 'drizzle-orm'
import type { Db } from '../client'
import { alertDeliveries, campaigns, campaignVersions, deliveryAttempts, users, type RecipientOutcome } from '../schema'
import { alertOf } from './alert-shape'
import { currentVersion } from './campaigns'

export type DeliveryRow = typeof alertDeliveries.$inferSelect
export type DeliveryStatus = DeliveryRow['status']

/** The alert as it is now (null once deleted, or edited into a campaign that is no alert) and its creator's address. */
export async function alertForDelivery(db: Db, workspaceId: string, alertId: string) {
  const [row] = await db
    .select({ campaign: campaigns, definition: campaignVersions.definition, creatorEmail: users.email })
    .from(campaigns)
    .innerJoin(campaignVersions, currentVersion)
    .leftJoin(users, eq(users.id, campaigns.createdBy))
    .where(and(eq(campaigns.workspaceId, workspaceId), eq(campaigns.id, alertId), isNull(campaigns.deletedAt)))
    .limit(1)
  const alert = row && alertOf(row.campaign, row.definition, row.campaign.category)
  return alert ? { alert, creatorEmail: row.creatorEmail } : null
}

export async function findDelivery(db: Db, alertKey: string) {
  const rows = await db.select().from(alertDeliveries).where(eq(alertDeliveries.alertKey, alertKey)).limit(1)
  return rows[0] ?? null
}

/**
 * Creates the outbox row for a job if it is new, with the job itself, due now and retried until
 * `retryUntil`; returns the row as it is (new or found).
 */
export async function openDelivery(
  db: Db,
  row: { alertKey: string; workspaceId: string; alertId: string; contactId: string; transport: string; job: unknown },
  schedule: { now: number; retryUntil: number },
) {
  const [created] = await db
    .insert(alertDeliveries)
    .values({ id: crypto.randomUUID(), status: 'pending', ...row, nextAttemptAt: schedule.now, retryUntil: schedule.retryUntil })
    .onConflictDoNothing()
    .returning()
  return created ?? findDelivery(db, row.alertKey)
}

/** Moves a pending row to `sending` for attempt `attempts + 1`; false when another attempt got there first. */
export async function claimDelivery(
  db: Db,
  id: string,
  claim: { attempts: number; transport: string; recipients: string[]; subject: string; recipientOutcomes: RecipientOutcome[]; now: number },
): Promise<boolean> {
  const claimed = await db
    .update(alertDeliveries)
    .set({
      status: 'sending',
      attempts: claim.attempts + 1,
      updatedAt: claim.now,
      transport: claim.transport,
      recipients: claim.recipients,
      subject: claim.subject,
      recipientOutcomes: claim.recipientOutcomes,
    })
    .where(and(eq(alertDeliveries.id, id), eq(alertDeliveries.status, 'pending'), eq(alertDeliveries.attempts, claim.attempts)))
    .returning({ id: alertDeliveries.id })
  return claimed.length === 1
}

export type AttemptOutcome = (typeof deliveryAttempts.$inferInsert)['outcome']
export type Attempt = { attempt: number; outcome: AttemptOutcome; detail: string }

const attemptQuery = (db: Db, deliveryId: string, { attempt, outcome, detail }: Attempt, at: number) =>
  db.insert(deliveryAttempts).values({ deliveryId, attempt, outcome, detail: detail.slice(0, 500), at })

export async function recordAttempt(db: Db, deliveryId: string, attempt: Attempt, at: number) {
  await attemptQuery(db, deliveryId, attempt, at)
}

/** A row's new state; `recipientOutcomes` and `nextAttemptAt` are left as they are when not given. */
export type DeliveryChange = {
  status: DeliveryStatus
  error: string | null
  recipientOutcomes?: RecipientOutcome[]
  nextAttemptAt?: number | null
  retryUntil?: number
}

/**
 * Changes a row that is still as this attempt saw it: at `attempts` (no later claim) and, when
 * given, in one of `status`; records `attempt` in the same D1 batch (atomic), whether or not the
 * row changed. True when the row changed.
 */
export async function changeDelivery(
  db: Db,
  id: string,
  expect: { attempts: number; status?: DeliveryStatus[] },
  change: DeliveryChange,
  attempt: Attempt | null,
  now: number,
): Promise<boolean> {
  const update = db
    .update(alertDeliveries)
    .set({ ...change, updatedAt: now, ...(change.status === 'sent' ? { sentAt: now } : {}) })
    .where(
      and(
        eq(alertDeliveries.id, id),
        eq(alertDeliveries.attempts, expect.attempts),
        expect.status ? inArray(alertDeliveries.status, expect.status) : undefined,
      ),
    )
    .returning({ id: alertDeliveries.id })
  if (!attempt) return (await update).length === 1
  const [changed] = await db.batch([update, attemptQuery(db, id, attempt, now)])
  return changed.length === 1
}

/** After an error before any outcome was recorded: the next attempt is due at `at` (best effort, for the sweeper). */
export async function postponeDelivery(db: Db, alertKey: string, at: number) {
  await db
    .update(alertDeliveries)
    .set({ nextAttemptAt: at })
    .where(and(eq(alertDeliveries.alertKey, alertKey), eq(alertDeliveries.status, 'pending')))
}

/** Marks the open row of `alertKey` failed with `reason` (before it the last error, kept); the row if there was one. */
export async function failOpenDelivery(db: Db, alertKey: string, reason: string, now: number) {
  const rows = await db
    .update(alertDeliveries)
    .set({
      status: 'failed',
      error: sql`${reason} || coalesce('; last error: ' || ${alertDeliveries.error}, '')`,
      nextAttemptAt: null,
      updatedAt: now,
    })
    .where(and(eq(alertDeliveries.alertKey, alertKey), inArray(alertDeliveries.status, ['pending', 'sending'])))
    .returning({ id: alertDeliveries.id, attempts: alertDeliveries.attempts })
  return rows[0] ?? null
}

export async function attemptsOf(db: Db, deliveryId: string) {
  return db.select().from(deliveryAttempts).where(eq(deliveryAttempts.deliveryId, deliveryId)).orderBy(deliveryAttempts.id)
}
