// Counts policy drops per site, day and reason without a D1 write per dropped request on the
// response path: counts gather in isolate memory and one flush (a single upsert statement)
// runs in `waitUntil`. Drops arriving while a flush is running are written by the next one,
// so a bot flood costs one D1 statement at a time, not one per request.
import { createDb } from '../db/client'
import { addSiteDrops, type DropCount } from '../db/queries/site-drops'

const pending = new Map<string, DropCount>()
let flushing: Promise<void> | null = null

/**
 * Counts one drop. Returns the flush this call started (for `waitUntil`), or a settled promise
 * when a flush of an earlier request is running: that one writes this drop too, and a request
 * must not wait on a promise that belongs to another request's context.
 */
export function countDrop(d1: D1Database, drop: Omit<DropCount, 'count'>): Promise<void> {
  const key = `${drop.siteId}\n${drop.day}\n${drop.reason}`
  const row = pending.get(key)
  if (row) row.count++
  else pending.set(key, { ...drop, count: 1 })
  if (flushing) return Promise.resolve()
  flushing = flush(d1).finally(() => (flushing = null))
  return flushing
}

async function flush(d1: D1Database): Promise<void> {
  while (pending.size > 0) {
    const rows = [...pending.values()]
    pending.clear()
    try {
      await addSiteDrops(createDb(d1), rows)
    } catch (err) {
      // Counts are statistics: losing one flush beats retrying into a failing database.
      console.error('site drop counts lost', err)
    }
  }
}
