// Round-robin turns for campaign owner assignment. One statement advances a cursor per
// (campaign, step) and returns the turn: D1 runs writes one at a time, so contacts arriving at
// once each get their own turn, and the cursor lives in D1, so object restarts change nothing.
// A turn is recorded under its pick key (run key + step id) in the same batch: the same run asking
// again (its alarm retried after D1 answered) gets its first turn back instead of a second one.
import { and, eq, sql } from 'drizzle-orm'
import type { Db } from '../client'
import { roundRobinCursors, roundRobinPicks } from '../schema'

/** The user whose turn it is for `pickKey`, among `userIds` (in their order). */
export async function pickRoundRobin(
  db: Db,
  pick: { workspaceId: string; campaignId: string; stepId: string; pickKey: string; userIds: string[] },
): Promise<string> {
  const { workspaceId, campaignId, stepId, pickKey, userIds } = pick
  if (userIds.length === 0) throw new Error('round-robin over no users')
  const picked = sql`EXISTS (SELECT 1 FROM ${roundRobinPicks} WHERE ${roundRobinPicks.pickKey} = ${pickKey})`
  const cursor = and(eq(roundRobinCursors.campaignId, campaignId), eq(roundRobinCursors.stepId, stepId))
  const [, , , rows] = await db.batch([
    db.insert(roundRobinCursors).values({ campaignId, stepId, workspaceId, turns: 0 }).onConflictDoNothing(),
    // The one UPDATE that hands out a turn; skipped when this key already has one.
    db
      .update(roundRobinCursors)
      .set({ turns: sql`${roundRobinCursors.turns} + 1` })
      .where(and(cursor, sql`NOT ${picked}`))
      .returning({ turns: roundRobinCursors.turns }),
    db
      .insert(roundRobinPicks)
      .select(
        sql`SELECT ${pickKey}, ${workspaceId}, ${roundRobinCursors.turns} - 1, ${Date.now()} FROM ${roundRobinCursors}
            WHERE ${roundRobinCursors.campaignId} = ${campaignId} AND ${roundRobinCursors.stepId} = ${stepId}`,
      )
      .onConflictDoNothing(),
    db.select({ turn: roundRobinPicks.turn }).from(roundRobinPicks).where(eq(roundRobinPicks.pickKey, pickKey)),
  ])
  const turn = rows[0]?.turn
  if (turn === undefined) throw new Error(`round-robin pick ${pickKey} not recorded`)
  return userIds[turn % userIds.length]!
}
