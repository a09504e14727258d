// Round-robin turns for campaign owner assignment. One statement advances a cursor per
// (campaign, step) and returns the turn: D1 runs writes one at a time, so contacts arriving at
// once each get their own turn, and the cursor lives in D1, so object restarts change nothing.
// A turn is recorded under its pick key (run key + step id) in the same batch: the same run asking
// again (its alarm retried after D1 answered) gets its first turn back instead of a second one.
// A rep who is no longer an active user of the workspace (deactivated, removed) is passed over in
// the same statement without spending a turn: the cursor moves on to the next active rep in the
// list, so the others keep sharing evenly and the contact still gets an owner.
import { and, eq, sql } from 'drizzle-orm'
import type { Db } from '../client'
import { roundRobinCursors, roundRobinPicks, users } from '../schema'

/** The user whose turn it is for `pickKey`, among the active ones of `userIds` (in their order). */
export async function pickRoundRobin(
  db: Db,
  pick: { workspaceId: string; campaignId: string; stepId: string; pickKey: string; userIds: string[] },
): Promise<string> {
  const { workspaceId, campaignId, stepId, pickKey, userIds } = pick
  if (userIds.length === 0) throw new Error('round-robin over no users')
  const picked = sql`EXISTS (SELECT 1 FROM ${roundRobinPicks} WHERE ${roundRobinPicks.pickKey} = ${pickKey})`
  const cursor = and(eq(roundRobinCursors.campaignId, campaignId), eq(roundRobinCursors.stepId, stepId))
  const n = userIds.length
  // How many places past the cursor the next active rep stands (0: the rep whose turn it is).
  // With nobody active the turn goes as before; the contact's row then keeps its owner.
  const skip = sql`coalesce((SELECT min(((CAST(j.key AS INTEGER) - ${roundRobinCursors.turns} % ${n}) % ${n} + ${n}) % ${n})
    FROM json_each(${JSON.stringify(userIds)}) AS j JOIN ${users} AS u ON u.id = j.value
    WHERE u.workspace_id = ${workspaceId} AND u.status = 'active'), 0)`
  const [, , , rows] = await db.batch([
    db.insert(roundRobinCursors).values({ campaignId, stepId, workspaceId, turns: 0 }).onConflictDoNothing(),
    // The one UPDATE that hands out a turn, to the next active rep; skipped when this key already has one.
    db
      .update(roundRobinCursors)
      .set({ turns: sql`${roundRobinCursors.turns} + 1 + ${skip}` })
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
  return userIds[turn % n]!
}
