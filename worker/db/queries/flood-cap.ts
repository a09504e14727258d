// The per-recipient flood cap and its digests. A recipient's slot for a delivery is numbered
// in one INSERT ... SELECT COUNT(*) statement, which D1 runs atomically, so two consumers
// working at once can never both get the same position.
import { and, eq, inArray, sql } from 'drizzle-orm'
import type { Db } from '../client'
import { recipientDigests, recipientHourSlots, type DigestLine } from '../schema'

export type DigestStatus = (typeof recipientDigests.$inferSelect)['status']

export type SlotKey = { workspaceId: string; recipient: string; hourStart: number }

/** This delivery's position among the recipient's alerts of that hour (1-based), stable across retries. */
export async function takeSlot(
  db: Db,
  key: SlotKey,
  deliveryId: string,
  cap: number,
  summary: DigestLine,
): Promise<{ position: number; folded: boolean }> {
  const recipient = key.recipient.toLowerCase()
  const [taken] = await db.all<{ position: number; folded: number }>(sql`
    INSERT INTO recipient_hour_slots (workspace_id, recipient, hour_start, delivery_id, position, folded, summary)
    SELECT ${key.workspaceId}, ${recipient}, ${key.hourStart}, ${deliveryId}, COUNT(*) + 1, COUNT(*) + 1 > ${cap}, ${JSON.stringify(summary)}
    FROM recipient_hour_slots WHERE workspace_id = ${key.workspaceId} AND recipient = ${recipient} AND hour_start = ${key.hourStart}
    ON CONFLICT DO NOTHING
    RETURNING position, folded`)
  if (taken) return { position: taken.position, folded: taken.folded === 1 }
  // A retried job: its slot was taken by an earlier attempt.
  const rows = await db
    .select({ position: recipientHourSlots.position, folded: recipientHourSlots.folded })
    .from(recipientHourSlots)
    .where(
      and(
        eq(recipientHourSlots.workspaceId, key.workspaceId),
        eq(recipientHourSlots.recipient, recipient),
        eq(recipientHourSlots.hourStart, key.hourStart),
        eq(recipientHourSlots.deliveryId, deliveryId),
      ),
    )
  const row = rows[0]
  if (!row) throw new Error('flood-cap slot missing after insert')
  return row
}

/**
 * Creates the digest of that recipient and hour if it is not there yet, due at `dueAt` and
 * retried until `retryUntil`; returns its id.
 */
export async function openDigest(db: Db, key: SlotKey, schedule: { dueAt: number; retryUntil: number }): Promise<string> {
  const recipient = key.recipient.toLowerCase()
  await db
    .insert(recipientDigests)
    .values({
      id: `digest:${key.workspaceId}:${recipient}:${key.hourStart}`,
      status: 'scheduled',
      ...key,
      recipient,
      nextAttemptAt: schedule.dueAt,
      retryUntil: schedule.retryUntil,
    })
    .onConflictDoNothing()
  const rows = await db
    .select({ id: recipientDigests.id })
    .from(recipientDigests)
    .where(
      and(
        eq(recipientDigests.workspaceId, key.workspaceId),
        eq(recipientDigests.recipient, recipient),
        eq(recipientDigests.hourStart, key.hourStart),
      ),
    )
  const row = rows[0]
  if (!row) throw new Error('digest row missing after insert')
  return row.id
}

export type DigestRow = typeof recipientDigests.$inferSelect

export async function findDigest(db: Db, id: string) {
  const rows = await db.select().from(recipientDigests).where(eq(recipientDigests.id, id)).limit(1)
  return rows[0] ?? null
}

/** scheduled → sending for attempt `attempts + 1`; false when another attempt holds or finished it. */
export async function claimDigest(db: Db, id: string, attempts: number, now: number): Promise<boolean> {
  const rows = await db
    .update(recipientDigests)
    .set({ status: 'sending', attempts: attempts + 1, updatedAt: now })
    .where(and(eq(recipientDigests.id, id), eq(recipientDigests.status, 'scheduled'), eq(recipientDigests.attempts, attempts)))
    .returning({ id: recipientDigests.id })
  return rows.length === 1
}

/**
 * Changes a digest still as this attempt saw it (at `attempts`, and in one of `status` when
 * given); true when it changed.
 */
export async function changeDigest(
  db: Db,
  id: string,
  expect: { attempts: number; status?: DigestStatus[] },
  change: { status: DigestStatus; error: string | null; nextAttemptAt?: number | null },
  now: number,
): Promise<boolean> {
  const rows = await db
    .update(recipientDigests)
    .set({ ...change, updatedAt: now, ...(change.status === 'sent' ? { sentAt: now } : {}) })
    .where(
      and(
        eq(recipientDigests.id, id),
        eq(recipientDigests.attempts, expect.attempts),
        expect.status ? inArray(recipientDigests.status, expect.status) : undefined,
      ),
    )
    .returning({ id: recipientDigests.id })
  return rows.length === 1
}

/** Marks an open digest failed with `reason` (before it the last error, kept). */
export async function failOpenDigest(db: Db, id: string, reason: string, now: number) {
  await db
    .update(recipientDigests)
    .set({
      status: 'failed',
      error: sql`${reason} || coalesce('; last error: ' || ${recipientDigests.error}, '')`,
      nextAttemptAt: null,
      updatedAt: now,
    })
    .where(and(eq(recipientDigests.id, id), inArray(recipientDigests.status, ['scheduled', 'sending'])))
}

/** Due again at `at` (the dead-letter path hands it to the sweeper). */
export async function postponeDigest(db: Db, id: string, at: number) {
  await db
    .update(recipientDigests)
    .set({ nextAttemptAt: at })
    .where(and(eq(recipientDigests.id, id), eq(recipientDigests.status, 'scheduled')))
}

/** The alerts folded into a digest, oldest first. */
export async function foldedLines(db: Db, key: SlotKey): Promise<DigestLine[]> {
  const rows = await db
    .select({ summary: recipientHourSlots.summary })
    .from(recipientHourSlots)
    .where(
      and(
        eq(recipientHourSlots.workspaceId, key.workspaceId),
        eq(recipientHourSlots.recipient, key.recipient.toLowerCase()),
        eq(recipientHourSlots.hourStart, key.hourStart),
        eq(recipientHourSlots.folded, true),
      ),
    )
    .orderBy(recipientHourSlots.position)
  return rows.flatMap((r) => (r.summary ? [r.summary] : []))
}
