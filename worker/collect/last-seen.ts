// The install check's "last event, from which origin", kept without a D1 write per event: each
// accepted batch notes its time in isolate memory, and a site is written at most once a minute
// per isolate, in `waitUntil` after the response (as drop-counter.ts does for drops). The first
// event of a site in an isolate is written at once, so a freshly installed snippet shows up on
// the next look; later ones wait for the site's next event after the minute. The admin reads
// the D1 row merged with this isolate's note (`lastSeenOf`).
import { createDb } from '../db/client'
import { recordLastSeen, type LastSeen } from '../db/queries/sites'

export const WRITE_EVERY_MS = 60_000

const noted = new Map<string, LastSeen>()
/** When this isolate last wrote each site. */
const written = new Map<string, number>()
const due = new Set<string>()
let flushing: Promise<void> | null = null

/**
 * Notes an accepted batch. Returns the write this call started (for `waitUntil`), or a settled
 * promise when nothing is due or a running write will take this note too.
 */
export function noteLastSeen(d1: D1Database, siteId: string, origin: string | null, at: number): Promise<void> {
  const current = noted.get(siteId)
  if (!current || current.at <= at) noted.set(siteId, { siteId, at, origin })
  const last = written.get(siteId)
  if (last !== undefined && at - last < WRITE_EVERY_MS) return Promise.resolve()
  due.add(siteId)
  if (flushing) return Promise.resolve()
  flushing = flush(d1, at).finally(() => (flushing = null))
  return flushing
}

async function flush(d1: D1Database, at: number): Promise<void> {
  while (due.size > 0) {
    const rows = [...due].flatMap((siteId) => noted.get(siteId) ?? [])
    due.clear()
    for (const row of rows) written.set(row.siteId, at)
    try {
      await recordLastSeen(createDb(d1), rows)
    } catch (err) {
      // The install check is a hint: a lost write is corrected by the next one.
      console.error('last-seen write lost', err)
    }
  }
  if (noted.size > 10_000) {
    noted.clear()
    written.clear()
  }
}

/** The later of the stored last event and this isolate's unwritten note. */
export function lastSeenOf(site: { id: string; lastEventAt: number | null; lastEventOrigin: string | null }): {
  at: number | null
  origin: string | null
} {
  const note = noted.get(site.id)
  if (note && note.at > (site.lastEventAt ?? 0)) return { at: note.at, origin: note.origin }
  return { at: site.lastEventAt, origin: site.lastEventOrigin }
}
