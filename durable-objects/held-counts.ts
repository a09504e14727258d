// Visits held back by the frequency limit, on their way from a contact's object to D1
// (`alert_held_counts`, read by alert analytics). A held decision only raises a number in the
// object's own storage; one schedule entry writes the numbers a minute after the first of them,
// so a contact who keeps crossing a limited alert costs at most one D1 write a minute, in an
// alarm, never one per collect request. Numbers are absolute per (alert, quarter hour) and D1
// keeps the larger, so a write retried after an unclear failure counts nothing twice; a failed
// write stays scheduled and is retried with the schedule's backoff until it succeeds.
import { createDb } from '../worker/db/client'
import { quarterHourOf, writeHeldCounts } from '../worker/db/queries/alert-held-counts'
import type { ContactStore } from './contact-store'
import type { Schedule } from './schedule'

export const FLUSH_HELD = 'flush-held'
/** How long held decisions gather before they are written together. */
export const FLUSH_HELD_AFTER_MS = 60_000
/** A written number is kept this long, so a late decision in its quarter hour still adds to it. */
const KEEP_WRITTEN_QUARTERS = 96

type Entry = { workspaceId: string; alertId: string; quarterHour: number; held: number; written: number }

const META_KEY = 'heldCounts'

export class HeldCounts {
  constructor(
    private readonly store: ContactStore,
    private readonly schedule: Schedule,
  ) {}

  private entries = () => this.store.getMeta<Entry[]>(META_KEY) ?? []

  /** Counts one held visit of `alertId` at `at` and makes sure a write is scheduled. */
  note(workspaceId: string, alertId: string, at: number): void {
    const entries = this.entries()
    const quarterHour = quarterHourOf(at)
    const entry = entries.find((e) => e.alertId === alertId && e.quarterHour === quarterHour && e.workspaceId === workspaceId)
    if (entry) entry.held++
    else entries.push({ workspaceId, alertId, quarterHour, held: 1, written: 0 })
    this.store.setMeta(META_KEY, entries)
    this.schedule.at(FLUSH_HELD, FLUSH_HELD, at + FLUSH_HELD_AFTER_MS)
  }

  /** Writes the numbers D1 does not have yet. Throws when D1 fails (the schedule retries). */
  async flush(env: Env, contactId: string, now: number): Promise<void> {
    const due = this.entries().filter((e) => e.held > e.written)
    const db = createDb(env.DB)
    for (const workspaceId of new Set(due.map((e) => e.workspaceId))) {
      await writeHeldCounts(
        db,
        workspaceId,
        contactId,
        due.filter((e) => e.workspaceId === workspaceId),
      )
    }
    // Re-read: decisions taken while D1 was answering are still to be written.
    const entries = this.entries()
    for (const entry of entries) {
      const sent = due.find(
        (e) => e.alertId === entry.alertId && e.quarterHour === entry.quarterHour && e.workspaceId === entry.workspaceId,
      )
      if (sent) entry.written = Math.max(entry.written, sent.held)
    }
    const oldest = quarterHourOf(now) - KEEP_WRITTEN_QUARTERS
    const kept = entries.filter((e) => e.held > e.written || e.quarterHour >= oldest)
    this.store.setMeta(META_KEY, kept)
    if (kept.some((e) => e.held > e.written)) this.schedule.at(FLUSH_HELD, FLUSH_HELD, now + FLUSH_HELD_AFTER_MS)
  }
}
