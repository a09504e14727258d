// What the outbox sweeper reads and leases: alert rows and digests whose next attempt is long
// overdue (the queue lost the message that was to carry it), and rows left `sending` by an
// attempt that died and was never redelivered. Leasing moves `next_attempt_at` forward only if
// it is still the value the sweeper read, so two sweeps at once queue a row once.
import { and, asc, eq, lte, or } from 'drizzle-orm'
import type { Db } from '../client'
import { alertDeliveries, recipientDigests } from '../schema'

export type SweepWindow = { overdueBefore: number; claimedBefore: number; limit: number }

/** Rows due before `overdueBefore`: pending, or `sending` since before `claimedBefore`; oldest due first. */
export async function overdueDeliveries(db: Db, w: SweepWindow) {
  return db
    .select({
      id: alertDeliveries.id,
      alertKey: alertDeliveries.alertKey,
      job: alertDeliveries.job,
      nextAttemptAt: alertDeliveries.nextAttemptAt,
    })
    .from(alertDeliveries)
    .where(
      and(
        lte(alertDeliveries.nextAttemptAt, w.overdueBefore),
        or(
          eq(alertDeliveries.status, 'pending'),
          and(eq(alertDeliveries.status, 'sending'), lte(alertDeliveries.updatedAt, w.claimedBefore)),
        ),
      ),
    )
    .orderBy(asc(alertDeliveries.nextAttemptAt))
    .limit(w.limit)
}

/** Moves the row's next attempt from `seen` to `until`; false when another sweep (or attempt) moved it first. */
export async function leaseDelivery(db: Db, id: string, seen: number, until: number): Promise<boolean> {
  const rows = await db
    .update(alertDeliveries)
    .set({ nextAttemptAt: until })
    .where(and(eq(alertDeliveries.id, id), eq(alertDeliveries.nextAttemptAt, seen)))
    .returning({ id: alertDeliveries.id })
  return rows.length === 1
}

/** Digests due before `overdueBefore`: scheduled, or `sending` since before `claimedBefore`. */
export async function overdueDigests(db: Db, w: SweepWindow) {
  return db
    .select()
    .from(recipientDigests)
    .where(
      and(
        lte(recipientDigests.nextAttemptAt, w.overdueBefore),
        or(
          eq(recipientDigests.status, 'scheduled'),
          and(eq(recipientDigests.status, 'sending'), lte(recipientDigests.updatedAt, w.claimedBefore)),
        ),
      ),
    )
    .orderBy(asc(recipientDigests.nextAttemptAt))
    .limit(w.limit)
}

export async function leaseDigest(db: Db, id: string, seen: number, until: number): Promise<boolean> {
  const rows = await db
    .update(recipientDigests)
    .set({ nextAttemptAt: until })
    .where(and(eq(recipientDigests.id, id), eq(recipientDigests.nextAttemptAt, seen)))
    .returning({ id: recipientDigests.id })
  return rows.length === 1
}
