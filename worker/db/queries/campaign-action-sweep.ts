// What the outbox sweeper reads and leases among campaign action rows
// (`campaign_action_deliveries`), as `outbox-sweep.ts` does for alerts: pending rows whose next
// attempt is long overdue (the queue lost or gave up on the message that was to carry it), and
// rows left `sending` by an attempt that died and was never redelivered. Leasing moves
// `next_attempt_at` forward only if it is still the value the sweeper read, so two sweeps at once
// queue a row once.
import { and, asc, eq, lte, or } from 'drizzle-orm'
import type { Db } from '../client'
import { campaignActionDeliveries } from '../schema'
import type { SweepWindow } from './outbox-sweep'

/** Rows due before `overdueBefore`: pending, or `sending` since before `claimedBefore`; oldest due first. */
export async function overdueCampaignActions(db: Db, w: SweepWindow) {
  const t = campaignActionDeliveries
  return db
    .select({ id: t.id, actionKey: t.actionKey, job: t.job, nextAttemptAt: t.nextAttemptAt })
    .from(t)
    .where(
      and(
        lte(t.nextAttemptAt, w.overdueBefore),
        or(eq(t.status, 'pending'), and(eq(t.status, 'sending'), lte(t.updatedAt, w.claimedBefore))),
      ),
    )
    .orderBy(asc(t.nextAttemptAt))
    .limit(w.limit)
}

/** Moves the row's next attempt from `seen` to `until`; false when another sweep (or attempt) moved it first. */
export async function leaseCampaignAction(db: Db, id: string, seen: number, until: number): Promise<boolean> {
  const rows = await db
    .update(campaignActionDeliveries)
    .set({ nextAttemptAt: until })
    .where(and(eq(campaignActionDeliveries.id, id), eq(campaignActionDeliveries.nextAttemptAt, seen)))
    .returning({ id: campaignActionDeliveries.id })
  return rows.length === 1
}
