// Fixed-window counters shared by every isolate, for the admin's abuse limits (login attempts,
// test sends). One upsert counts a hit and says where the window stands, so two attempts at the
// same instant can never both read a count below the limit.
import { eq, lt, sql } from 'drizzle-orm'
import type { Db } from '../client'
import { rateCounters } from '../schema'

export type CounterHit = { key: string; windowMs: number }
export type CounterState = { count: number; windowStart: number }

/**
 * Counts one hit on each key in one batch and returns their states, in order. A key whose
 * window has ended starts a new one at `now`. Rows whose window ended are deleted in the same
 * batch, so the table holds only live windows.
 */
export async function hitCounters(db: Db, hits: CounterHit[], now: number): Promise<CounterState[]> {
  const upserts = hits.map(({ key, windowMs }) => {
    const ended = sql`${rateCounters.windowStart} <= ${now - windowMs}`
    return db
      .insert(rateCounters)
      .values({ key, windowStart: now, count: 1, expiresAt: now + windowMs })
      .onConflictDoUpdate({
        target: rateCounters.key,
        set: {
          // SQLite evaluates every SET expression against the row as it was.
          count: sql`CASE WHEN ${ended} THEN 1 ELSE ${rateCounters.count} + 1 END`,
          windowStart: sql`CASE WHEN ${ended} THEN ${now} ELSE ${rateCounters.windowStart} END`,
          expiresAt: sql`CASE WHEN ${ended} THEN ${now + windowMs} ELSE ${rateCounters.expiresAt} END`,
        },
      })
      .returning({ count: rateCounters.count, windowStart: rateCounters.windowStart })
  })
  const [first, ...rest] = upserts
  if (!first) return []
  const purge = db.delete(rateCounters).where(lt(rateCounters.expiresAt, now))
  const [, ...results] = await db.batch([purge, first, ...rest])
  return results.map((rows) => {
    const row = rows[0]
    if (!row) throw new Error('counter upsert returned nothing')
    return row
  })
}

/** Takes one hit back from a key's window (a successful login does not count against its client). */
export async function uncount(db: Db, key: string): Promise<void> {
  await db
    .update(rateCounters)
    .set({ count: sql`max(${rateCounters.count} - 1, 0)` })
    .where(eq(rateCounters.key, key))
}

/** Forgets a key's window (after a successful login, its account starts afresh). */
export async function clearCounter(db: Db, key: string): Promise<void> {
  await db.delete(rateCounters).where(eq(rateCounters.key, key))
}
