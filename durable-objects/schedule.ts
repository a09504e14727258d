// A Durable Object's schedule: what it must do later, as rows of its own SQLite (due time,
// kind, JSON payload, attempts, last error), served by its one alarm. The alarm runs the
// entries that are due; one that fails stays with its error and is tried again after a backoff
// instead of failing the alarm, so one bad D1 read cannot stop the others. The alarm is re-armed
// for the earliest entry left, always, and last.
// Every entry has a key: asking again for a key that is pending keeps the earlier time, so a
// threshold check or a purge is one entry however often it is asked for. A campaign delay would
// be one more kind, keyed by its enrolment and step, its details in the payload.

export const SCHEDULE_SCHEMA = `CREATE TABLE schedule (
     key TEXT PRIMARY KEY, kind TEXT NOT NULL, due_at INTEGER NOT NULL, first_due_at INTEGER NOT NULL,
     payload TEXT NOT NULL DEFAULT 'null',
     attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT
   );
   CREATE INDEX schedule_by_due ON schedule (due_at);`

export type ScheduleEntry = {
  key: string
  kind: string
  dueAt: number
  /** When it was first due: a retried entry still knows the instant it was meant for. */
  firstDueAt: number
  payload: unknown
  /** Failed runs so far. */
  attempts: number
  lastError: string | null
}

type Row = {
  key: string
  kind: string
  due_at: number
  first_due_at: number
  payload: string
  attempts: number
  last_error: string | null
}

const toEntry = (r: Row): ScheduleEntry => ({
  key: r.key,
  kind: r.kind,
  dueAt: r.due_at,
  firstDueAt: r.first_due_at,
  payload: JSON.parse(r.payload),
  attempts: r.attempts,
  lastError: r.last_error,
})

const byDueThenKey = (a: Row, b: Row) => a.due_at - b.due_at || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)

/** Delay before retry n (1-based) of a failed entry: 5 s, 10 s, 20 s, ... at most 30 min. */
export const retryDelayMs = (attempts: number) => Math.min(5_000 * 2 ** (attempts - 1), 30 * 60_000)

export class Schedule {
  private readonly sql: SqlStorage
  /** The alarm as last set or read; undefined when unknown (a fresh instance). */
  private armedAt: number | null | undefined = undefined
  /**
   * Each pending key's due time, as the table has it (read once, then kept by every write here,
   * the table's only writer). A contact's events ask for the same entries again and again (the
   * purge, the page-days copy, the next threshold check): those asks change nothing and cost no
   * SQL, nor does finding the earliest entry.
   */
  private pending: Map<string, number> | null = null

  constructor(private readonly storage: DurableObjectStorage) {
    this.sql = storage.sql
  }

  /** Runs `kind` at `dueAt` under `key`; if the key is already pending, the earlier time stays. */
  at(key: string, kind: string, dueAt: number, payload: unknown = null): void {
    const pending = this.dueTimes()
    const known = pending.get(key)
    if (known !== undefined && known <= dueAt) return
    this.sql.exec(
      `INSERT INTO schedule (key, kind, due_at, first_due_at, payload) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET due_at = min(due_at, excluded.due_at), first_due_at = min(first_due_at, excluded.due_at)`,
      key,
      kind,
      dueAt,
      dueAt,
      JSON.stringify(payload),
    )
    pending.set(key, dueAt)
  }

  /** When the entry under `key` is due, or null when none is pending. */
  dueAt(key: string): number | null {
    return this.dueTimes().get(key) ?? null
  }

  /** True when an entry is pending under `key`. */
  isPending(key: string): boolean {
    return this.dueTimes().has(key)
  }

  /** The earliest pending due time, or null when nothing is scheduled. */
  earliest(): number | null {
    let earliest: number | null = null
    for (const dueAt of this.dueTimes().values()) if (earliest === null || dueAt < earliest) earliest = dueAt
    return earliest
  }

  /** Removes the entry under `key`, if pending. */
  cancel(key: string): void {
    const pending = this.dueTimes()
    if (!pending.has(key)) return
    this.sql.exec('DELETE FROM schedule WHERE key = ?', key)
    pending.delete(key)
  }

  /** Takes the entries due by `now` off the schedule, earliest first; the caller runs them. */
  takeDue(now: number): ScheduleEntry[] {
    // Read from the table, not the kept times: once per alarm round, and whatever the table holds is run.
    // One statement: the rows deleted are the rows run (RETURNING has no order of its own).
    const pending = this.dueTimes()
    const rows = this.sql.exec<Row>('DELETE FROM schedule WHERE due_at <= ? RETURNING *', now).toArray()
    for (const row of rows) pending.delete(row.key)
    return rows.sort(byDueThenKey).map(toEntry)
  }

  /** Puts an entry that failed back, one attempt more, due after the backoff, with its error. */
  failed(entry: Pick<ScheduleEntry, 'key' | 'kind' | 'firstDueAt' | 'payload' | 'attempts'>, error: unknown, now: number): void {
    const pending = this.sql.exec<{ attempts: number }>('SELECT attempts FROM schedule WHERE key = ?', entry.key).toArray()[0]
    const attempts = Math.max(entry.attempts, pending?.attempts ?? 0) + 1
    const message = error instanceof Error ? error.message : String(error)
    const retryAt = now + retryDelayMs(attempts)
    this.sql.exec(
      `INSERT INTO schedule (key, kind, due_at, first_due_at, payload, attempts, last_error) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET due_at = min(due_at, excluded.due_at), first_due_at = min(first_due_at, excluded.first_due_at),
         attempts = excluded.attempts, last_error = excluded.last_error`,
      entry.key,
      entry.kind,
      retryAt,
      entry.firstDueAt,
      JSON.stringify(entry.payload),
      attempts,
      message.slice(0, 1_000),
    )
    const times = this.dueTimes()
    times.set(entry.key, Math.min(times.get(entry.key) ?? retryAt, retryAt))
  }

  /** Called as the alarm starts: the alarm that fired is spent. */
  alarmFired(): void {
    this.armedAt = null
  }

  /** After the object's storage and alarm were deleted: nothing is pending, nothing armed. */
  forget(): void {
    this.armedAt = null
    this.pending = null
  }

  private dueTimes(): Map<string, number> {
    if (!this.pending) {
      const rows = this.sql.exec<{ key: string; due_at: number }>('SELECT key, due_at FROM schedule')
      this.pending = new Map([...rows].map((r) => [r.key, r.due_at]))
    }
    return this.pending
  }

  /** Sets the alarm for the earliest entry, or clears it when none is left. Call it last. */
  async arm(): Promise<void> {
    const next = this.earliest()
    if (this.armedAt === undefined) this.armedAt = await this.storage.getAlarm()
    if (next === this.armedAt) return
    if (next === null) await this.storage.deleteAlarm()
    else await this.storage.setAlarm(next)
    this.armedAt = next
  }
}
