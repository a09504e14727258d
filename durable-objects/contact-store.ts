// SQL access for a contact's object: visits, recent activity, rule counters and alert
// reservations. Only the object's own SQLite; no business rules here.
import type { ActivityItem, AlertJob, ContactSnapshot, IdentifiedBy } from './contracts/alert-job'
import type { SiteContext } from './contracts/site-context'
import { visibleMsAt, type Visit } from './rules/dwell'
import type { PageRule } from './rules/page-rules'
import type { MetaTable } from './meta-table'
import { CAMPAIGN_SCHEMA } from './campaign-store'
import { SCHEDULE_SCHEMA } from './schedule'
import { insertRows } from './sql-rows'

export const RECENT_ACTIVITY = 50

export const CONTACT_SCHEMA = [
  `CREATE TABLE ledger (event_id TEXT PRIMARY KEY, received_at INTEGER NOT NULL);
   CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
   CREATE TABLE visits (visit_id TEXT PRIMARY KEY, url TEXT NOT NULL, title TEXT NOT NULL,
     started_at INTEGER NOT NULL, visible_ms INTEGER NOT NULL, visible INTEGER NOT NULL,
     left_page INTEGER NOT NULL, last_signal_at INTEGER NOT NULL);
   CREATE TABLE activity (seq INTEGER PRIMARY KEY AUTOINCREMENT, visit_id TEXT, item TEXT NOT NULL);
   CREATE TABLE fired (visit_id TEXT NOT NULL, rule_id TEXT NOT NULL, PRIMARY KEY (visit_id, rule_id));
   CREATE TABLE counters (rule_id TEXT NOT NULL, period_key TEXT NOT NULL, sent INTEGER NOT NULL DEFAULT 0,
     held INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (rule_id, period_key));
   CREATE TABLE reservations (alert_key TEXT PRIMARY KEY, job TEXT NOT NULL, queued INTEGER NOT NULL DEFAULT 0);`,
  // The schedule replaces the single alarm that purged and evaluated at `meta.alarmAt`: an
  // object upgraded while that alarm is pending gets both as entries at that instant, and
  // the jobs it still has to queue get the `kind` the consumer now requires.
  `${SCHEDULE_SCHEMA}
   INSERT INTO schedule (key, kind, due_at, first_due_at)
     SELECT 'evaluate', 'evaluate', CAST(value AS INTEGER), CAST(value AS INTEGER) FROM meta WHERE key = 'alarmAt';
   INSERT INTO schedule (key, kind, due_at, first_due_at)
     SELECT 'purge', 'purge', CAST(value AS INTEGER), CAST(value AS INTEGER) FROM meta WHERE key = 'alarmAt';
   DELETE FROM meta WHERE key = 'alarmAt';
   UPDATE reservations SET job = json_set(job, '$.kind', 'alert');`,
  // Visits remember how the visitor who made them was identified; a visit stored before gets
  // the contact's own, as alerts used to say. Visible time stored before is cut to what the
  // server saw pass (the rule of rules/dwell.ts), so an old forged figure cannot fire. The
  // `visible` column now means "counting" (visible and agreeing with the server's clock).
  // Reservations count their failed queue sends and are given up after too many.
  `ALTER TABLE visits ADD COLUMN identified_by TEXT NOT NULL DEFAULT 'form';
   UPDATE visits SET
     identified_by = coalesce((SELECT json_extract(value, '$.identifiedBy') FROM meta WHERE key = 'contact'), 'form'),
     visible_ms = min(visible_ms, max(0, last_signal_at - started_at));
   ALTER TABLE reservations ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE reservations ADD COLUMN last_error TEXT;
   ALTER TABLE reservations ADD COLUMN gave_up_at INTEGER;`,
  // Pages visited per UTC day, counted here on every page view and copied to D1's
  // contact_page_days from the alarm (never on the collect path). IF NOT EXISTS: an object
  // rebuilt to an older version in a test keeps this table.
  `CREATE TABLE IF NOT EXISTS page_days (day INTEGER NOT NULL, url TEXT NOT NULL, views INTEGER NOT NULL,
     flushed INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (day, url)) WITHOUT ROWID;`,
  // Campaigns: signals waiting for the engine, runs and their versions, effects for the queue,
  // counts per step (campaign-store.ts). IF NOT EXISTS, as above.
  CAMPAIGN_SCHEMA,
]

/** An alert this contact fired, as its reservation keeps it (35 days): for the activity timeline. */
export type FiredAlert = {
  alertKey: string
  alertId: string
  firedAt: number
  url: string
  title: string
  visibleMs: number
  queued: boolean
  gaveUpAt: number | null
}

/** What `ContactObject.activity` answers: recent events, newest first, and the alerts fired. */
export type ContactActivity = { items: ActivityItem[]; alerts: FiredAlert[] }

/** A day's page as the object counts it; `views` is the total for that day. */
export type PageDayCount = { day: number; url: string; views: number }

/** A visit with how its visitor was identified. */
export type StoredVisit = Visit & { identifiedBy: IdentifiedBy }

/** A reserved job's state on its way to the queue. */
export type ReservationState = {
  alertKey: string
  queued: boolean
  /** Failed queue sends so far. */
  attempts: number
  lastError: string | null
  /** When the object stopped trying, after too many failed sends; null while it still tries. */
  gaveUpAt: number | null
}

type VisitRow = {
  visit_id: string
  url: string
  title: string
  started_at: number
  visible_ms: number
  visible: number
  left_page: number
  last_signal_at: number
  identified_by: string
}

const identifiedBy = (value: string): IdentifiedBy => (value === 'identify' || value === 'verified-identify' ? value : 'form')

const toVisit = (r: VisitRow): StoredVisit => ({
  visitId: r.visit_id,
  url: r.url,
  title: r.title,
  startedAt: r.started_at,
  visibleMs: r.visible_ms,
  counting: r.visible === 1,
  left: r.left_page === 1,
  lastSignalAt: r.last_signal_at,
  identifiedBy: identifiedBy(r.identified_by),
})

/** What recent visits have fired, for one evaluation: `mark` writes the pair through to storage. */
/** `mark` stores pairs (visit id, rule id) in one statement. */
export type FiredPairs = { has: (visitId: string, ruleId: string) => boolean; mark: (pairs: Array<[string, string]>) => void }

export class ContactStore {
  /** Fired rule ids by visit, for the visits read since this instance started (see firedPairs). */
  private readonly fired = new Map<string, Set<string>>()
  /**
   * The visits kept, by id, read once and then kept by every write here (the object is the table's
   * only writer): each event reads its visit and the recent ones, and writes one.
   */
  private visits: Map<string, StoredVisit> | null = null
  /** The last `visitedSince` answer, until the page days change. */
  private visited: { key: string; rows: ReadonlyArray<{ day: number; url: string }> } | null = null
  /**
   * True once `unqueuedJobs` found none, until `reserve` writes one: every event and alarm asks,
   * and nearly always none waits (the object is the table's only writer).
   */
  private noneUnqueued = false

  constructor(
    private readonly sql: SqlStorage,
    private readonly meta: MetaTable,
  ) {}

  getMeta<T>(key: string): T | null {
    return this.meta.get<T>(key)
  }

  setMeta(key: string, value: unknown): void {
    this.meta.set(key, value)
  }

  snapshot = () => this.getMeta<ContactSnapshot>('contact')
  site = () => this.getMeta<SiteContext>('site')
  rules = () => this.getMeta<{ version: number; workspaceId: string; rules: PageRule[] }>('rules')

  visit(visitId: string): StoredVisit | null {
    return this.keptVisits().get(visitId) ?? null
  }

  /** Visits that can still reach a threshold or were just closed (not yet evaluated). */
  recentVisits(since: number): StoredVisit[] {
    return [...this.keptVisits().values()].filter((v) => v.lastSignalAt >= since)
  }

  /** The visit with the newest signal, or null. */
  latestVisit(): StoredVisit | null {
    let latest: StoredVisit | null = null
    for (const v of this.keptVisits().values()) if (!latest || v.lastSignalAt > latest.lastSignalAt) latest = v
    return latest
  }

  private keptVisits(): Map<string, StoredVisit> {
    this.visits ??= new Map(
      this.sql
        .exec<VisitRow>('SELECT * FROM visits')
        .toArray()
        .map((r) => [r.visit_id, toVisit(r)]),
    )
    return this.visits
  }

  /** Pages visited on `day` (UTC days since 1970) or later, newest day first, at most `limit`. */
  visitedSince(day: number, limit = 1_000): ReadonlyArray<{ day: number; url: string }> {
    // The campaigns read it at every signal and step, the page views change it once each.
    const key = `${day}:${limit}`
    if (this.visited?.key !== key) {
      const rows = this.sql
        .exec<{ day: number; url: string }>('SELECT day, url FROM page_days WHERE day >= ? ORDER BY day DESC LIMIT ?', day, limit)
        .toArray()
      this.visited = { key, rows }
    }
    return this.visited.rows
  }

  /** The newest signal of any visit kept, or null. */
  latestSignalAt(): number | null {
    return this.latestVisit()?.lastSignalAt ?? null
  }

  saveVisit(v: StoredVisit): void {
    const kept = this.keptVisits()
    this.sql.exec(
      `INSERT OR REPLACE INTO visits (visit_id, url, title, started_at, visible_ms, visible, left_page, last_signal_at, identified_by)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      v.visitId,
      v.url,
      v.title,
      v.startedAt,
      v.visibleMs,
      v.counting ? 1 : 0,
      v.left ? 1 : 0,
      v.lastSignalAt,
      v.identifiedBy,
    )
    kept.set(v.visitId, v)
  }

  addActivity(item: ActivityItem, visitId: string | null): void {
    this.sql.exec('INSERT INTO activity (visit_id, item) VALUES (?, ?)', visitId, JSON.stringify(item))
    this.sql.exec('DELETE FROM activity WHERE seq <= (SELECT max(seq) FROM activity) - ?', RECENT_ACTIVITY)
  }

  /** Newest first. With `now`, a page still open counts its visible time up to then; without, as of its last signal. */
  recentActivity(limit: number, now?: number): ActivityItem[] {
    const rows = this.sql
      .exec<{ item: string } & Partial<VisitRow>>(
        `SELECT a.item, v.* FROM activity a LEFT JOIN visits v ON v.visit_id = a.visit_id
         ORDER BY a.seq DESC LIMIT ?`,
        limit,
      )
      .toArray()
    return rows.map(({ item: json, ...visit }) => {
      const item = JSON.parse(json) as ActivityItem
      if (item.type !== 'pageview' || visit.visit_id == null) return item
      const open = toVisit(visit as VisitRow)
      return { ...item, visibleMs: now === undefined ? open.visibleMs : visibleMsAt(open, now) }
    })
  }

  /**
   * The (visit, rule) pairs these visits have fired. Every event re-checks every rule matching
   * every recent visit (dozens of campaigns on a page, at each heartbeat), so each visit's pairs
   * are read from storage once and then kept in memory; `mark` writes through to both.
   */
  firedPairs(visitIds: string[]): FiredPairs {
    const unread = visitIds.filter((id) => !this.fired.has(id))
    if (unread.length) {
      const rows = this.sql
        .exec<{ visit_id: string; rule_id: string }>(
          'SELECT visit_id, rule_id FROM fired WHERE visit_id IN (SELECT value FROM json_each(?))',
          JSON.stringify(unread),
        )
        .toArray()
      // Only once the read succeeded: a visit kept as read must hold all of its pairs.
      for (const id of unread) this.fired.set(id, new Set())
      for (const r of rows) this.fired.get(r.visit_id)?.add(r.rule_id)
    }
    return {
      has: (visitId, ruleId) => this.fired.get(visitId)?.has(ruleId) ?? false,
      mark: (pairs) => {
        insertRows(this.sql, 'INSERT OR IGNORE INTO fired (visit_id, rule_id)', pairs)
        for (const [visitId, ruleId] of pairs) this.fired.get(visitId)?.add(ruleId)
      },
    }
  }

  /** After the storage was deleted: what is kept in memory of it is forgotten too. */
  forgetCached(): void {
    this.fired.clear()
    this.visits = null
    this.visited = null
    this.noneUnqueued = false
    this.meta.forget()
  }

  sentInPeriod(ruleId: string, periodKey: string): number {
    const row = this.sql
      .exec<{ sent: number }>('SELECT sent FROM counters WHERE rule_id = ? AND period_key = ?', ruleId, periodKey)
      .toArray()[0]
    return row?.sent ?? 0
  }

  countSent(ruleId: string, periodKey: string): void {
    this.sql.exec(
      `INSERT INTO counters (rule_id, period_key, sent) VALUES (?, ?, 1)
       ON CONFLICT (rule_id, period_key) DO UPDATE SET sent = sent + 1`,
      ruleId,
      periodKey,
    )
  }

  countHeld(ruleId: string, periodKey: string): void {
    this.sql.exec(
      `INSERT INTO counters (rule_id, period_key, held) VALUES (?, ?, 1)
       ON CONFLICT (rule_id, period_key) DO UPDATE SET held = held + 1`,
      ruleId,
      periodKey,
    )
  }

  counters(ruleId: string): Array<{ periodKey: string; sent: number; held: number }> {
    return this.sql
      .exec<{ period_key: string; sent: number; held: number }>(
        'SELECT period_key, sent, held FROM counters WHERE rule_id = ? ORDER BY period_key',
        ruleId,
      )
      .toArray()
      .map((r) => ({ periodKey: r.period_key, sent: r.sent, held: r.held }))
  }

  reserve(job: AlertJob): void {
    this.sql.exec('INSERT OR IGNORE INTO reservations (alert_key, job) VALUES (?, ?)', job.alertKey, JSON.stringify(job))
    this.noneUnqueued = false
  }

  /** Reserved jobs not on the queue yet and not given up, with their failed sends so far. */
  unqueuedJobs(): Array<{ job: AlertJob; attempts: number }> {
    if (this.noneUnqueued) return []
    const jobs = this.sql
      .exec<{ job: string; attempts: number }>('SELECT job, attempts FROM reservations WHERE queued = 0 AND gave_up_at IS NULL')
      .toArray()
      .map((r) => ({ job: JSON.parse(r.job) as AlertJob, attempts: r.attempts }))
    this.noneUnqueued = jobs.length === 0
    return jobs
  }

  markQueued(alertKey: string): void {
    this.sql.exec('UPDATE reservations SET queued = 1 WHERE alert_key = ?', alertKey)
  }

  /** Records a failed queue send; with `gaveUpAt`, the last one tried. */
  queueFailed(alertKey: string, attempts: number, error: string, gaveUpAt: number | null): void {
    this.sql.exec(
      'UPDATE reservations SET attempts = ?, last_error = ?, gave_up_at = ? WHERE alert_key = ?',
      attempts,
      error.slice(0, 1_000),
      gaveUpAt,
      alertKey,
    )
  }

  reservations(): ReservationState[] {
    return this.sql
      .exec<{ alert_key: string; queued: number; attempts: number; last_error: string | null; gave_up_at: number | null }>(
        'SELECT alert_key, queued, attempts, last_error, gave_up_at FROM reservations ORDER BY alert_key',
      )
      .toArray()
      .map((r) => ({
        alertKey: r.alert_key,
        queued: r.queued === 1,
        attempts: r.attempts,
        lastError: r.last_error,
        gaveUpAt: r.gave_up_at,
      }))
  }

  /** Alerts fired (reserved), newest first. */
  firedAlerts(limit: number): FiredAlert[] {
    return this.sql
      .exec<{ alert_key: string; job: string; queued: number; gave_up_at: number | null }>(
        `SELECT alert_key, job, queued, gave_up_at FROM reservations
         ORDER BY json_extract(job, '$.firedAt') DESC, alert_key LIMIT ?`,
        limit,
      )
      .toArray()
      .map((r) => {
        const job = JSON.parse(r.job) as Partial<AlertJob>
        return {
          alertKey: r.alert_key,
          alertId: job.alertId ?? '',
          firedAt: job.firedAt ?? 0,
          url: job.visit?.url ?? '',
          title: job.visit?.title ?? '',
          visibleMs: job.visit?.visibleMs ?? 0,
          queued: r.queued === 1,
          gaveUpAt: r.gave_up_at,
        }
      })
  }

  /** Counts a page view of `url` on `day` (UTC days since 1970); the row waits for the next copy to D1. */
  notePageDay(day: number, url: string): void {
    this.visited = null
    this.sql.exec(
      `INSERT INTO page_days (day, url, views) VALUES (?, ?, 1)
       ON CONFLICT (day, url) DO UPDATE SET views = views + 1, flushed = 0`,
      day,
      url,
    )
  }

  unflushedPageDays(): PageDayCount[] {
    return this.sql.exec<PageDayCount>('SELECT day, url, views FROM page_days WHERE flushed = 0 ORDER BY day, url').toArray()
  }

  hasUnflushedPageDays = (): boolean => this.sql.exec('SELECT 1 FROM page_days WHERE flushed = 0 LIMIT 1').toArray().length > 0

  /** Marks rows copied, unless a view arrived meanwhile (its count is copied next time). */
  markPageDaysFlushed(rows: PageDayCount[]): void {
    if (rows.length === 0) return
    this.sql.exec(
      `UPDATE page_days SET flushed = 1 FROM json_each(?) AS copied
       WHERE day = json_extract(copied.value, '$.d') AND url = json_extract(copied.value, '$.u') AND views = json_extract(copied.value, '$.v')`,
      JSON.stringify(rows.map((r) => ({ d: r.day, u: r.url, v: r.views }))),
    )
  }

  dropPageDaysBefore(day: number): void {
    this.visited = null
    this.sql.exec('DELETE FROM page_days WHERE day < ?', day)
  }

  /** Deletes what is older than each cut-off (epoch ms). */
  purge(before: { visits: number; ledger: number; reservations: number; counters: number }): void {
    this.sql.exec('DELETE FROM ledger WHERE received_at < ?', before.ledger)
    this.sql.exec('DELETE FROM fired WHERE visit_id IN (SELECT visit_id FROM visits WHERE last_signal_at < ?)', before.visits)
    this.sql.exec('DELETE FROM visits WHERE last_signal_at < ?', before.visits)
    // Read again when next needed: the purge runs every few hours.
    this.visits = null
    this.fired.clear()
    // Jobs still being tried stay until the queue takes them or they are given up.
    this.sql.exec(
      "DELETE FROM reservations WHERE (queued = 1 OR gave_up_at IS NOT NULL) AND json_extract(job, '$.firedAt') < ?",
      before.reservations,
    )
    // Period keys are d2026-11-23, w2026-11-23 or m2026-11: their dates compare as text.
    this.sql.exec('DELETE FROM counters WHERE substr(period_key, 2) < ?', new Date(before.counters).toISOString().slice(0, 10))
  }

  /**
   * Whether anything short-lived is left for a later purge (so an alarm is worth keeping).
   * Counters are not: they live for a year and are trimmed by whichever alarm runs next.
   */
  hasExpiringState(): boolean {
    return (
      this.sql.exec('SELECT 1 FROM ledger UNION ALL SELECT 1 FROM visits UNION ALL SELECT 1 FROM reservations LIMIT 1').toArray().length > 0
    )
  }
}
