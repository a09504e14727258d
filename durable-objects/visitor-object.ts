// One of a fixed number of shards holding a site's anonymous visitors (`visitorStub` picks it
// from the visitor id), so objects stay warm rather than one being created per visitor. For each
// visitor it keeps what an object of its own used to: a rate limit, a ledger of event ids, the
// anonymous history until the visitor is identified (bounded per visitor and per shard, the
// oldest dropped first and counted), and the visitor → contact link; from the link on it hands
// everything to the contact's object. It is the single writer of the link, so an identity is
// resolved in D1 only for an event it has not seen before (a replayed batch touches nothing).
// Every table is keyed by visitor id first: a visitor id reaches only its own rows.
import { DurableObject } from 'cloudflare:workers'
import { createDb } from '../worker/db/client'
import { identifyVisitor } from '../worker/db/queries/contacts'
import { addSiteDrops } from '../worker/db/queries/site-drops'
import { contactStub } from './contact-stub'
import { NEW_CONTACTS_PER_SITE_HOUR, PENDING_LIMITS, VISITOR_LIMIT } from './contracts/collect-limits'
import type { ClaimedIdentity, ReceivedEvent, RecordDrop, RecordInput, RecordResult } from './contracts/object-rpc'
import type { SiteContext } from './contracts/site-context'
import { localDay } from './rules/calendar'
import { FixedWindow } from './rules/fixed-window'
import { LruMap } from './rules/lru-map'
import { DEDUPE_WINDOW_MS, migrate } from './sql-schema'

const PURGE_EVERY_MS = 24 * 3600_000
/** Once over its bound, a shard drops history down to this share of it, so the scan for the oldest rows is rare. */
const SHARD_TRIM_TO = 0.9
/** Visitors whose link a shard keeps in memory at most (about 1 MB). */
const LINKS_KEPT = 10_000

/** Why anonymous history was dropped before its time: the visitor's own bound, or the shard's. */
export type HistoryDrop = 'visitor-history-full' | 'shard-history-full'

const encoder = new TextEncoder()

type Link = { contactId: string; identifiedBy: ClaimedIdentity['identifiedBy'] }

// WITHOUT ROWID: each table is one b-tree clustered by visitor. No index on the age columns:
// the daily purge scans the tables once, which costs less than an index write per event.
// `pending.seq` counts per visitor, so the newest MAX_PENDING rows are a simple range.
const SCHEMA = [
  `CREATE TABLE ledger (
     visitor_id TEXT NOT NULL, event_id TEXT NOT NULL, received_at INTEGER NOT NULL,
     PRIMARY KEY (visitor_id, event_id)
   ) WITHOUT ROWID;
   CREATE TABLE pending (
     visitor_id TEXT NOT NULL, seq INTEGER NOT NULL, received_at INTEGER NOT NULL, event TEXT NOT NULL,
     PRIMARY KEY (visitor_id, seq)
   ) WITHOUT ROWID;
   CREATE TABLE link (
     visitor_id TEXT PRIMARY KEY, contact_id TEXT NOT NULL,
     identified_by TEXT NOT NULL CHECK (identified_by IN ('form', 'identify', 'verified-identify'))
   ) WITHOUT ROWID;`,
  // History is bounded in bytes: each row knows its size, and triggers keep the shard's totals
  // exact however rows go (trimmed, handed over, purged). Dropped events are counted by reason.
  `ALTER TABLE pending ADD COLUMN bytes INTEGER NOT NULL DEFAULT 0;
   UPDATE pending SET bytes = length(CAST(event AS BLOB));
   CREATE TABLE pending_totals (id INTEGER PRIMARY KEY CHECK (id = 0), events INTEGER NOT NULL, bytes INTEGER NOT NULL);
   INSERT INTO pending_totals SELECT 0, count(*), coalesce(sum(bytes), 0) FROM pending;
   CREATE TRIGGER pending_added AFTER INSERT ON pending
     BEGIN UPDATE pending_totals SET events = events + 1, bytes = bytes + NEW.bytes; END;
   CREATE TRIGGER pending_removed AFTER DELETE ON pending
     BEGIN UPDATE pending_totals SET events = events - 1, bytes = bytes - OLD.bytes; END;
   CREATE TABLE history_drops (reason TEXT PRIMARY KEY, events INTEGER NOT NULL) WITHOUT ROWID;`,
]

export class VisitorObject extends DurableObject<Env> {
  private readonly sql: SqlStorage
  // In memory on purpose: losing the counts when the object is evicted only forgives a burst.
  private readonly limiter = new FixedWindow(VISITOR_LIMIT.requests, VISITOR_LIMIT.windowMs)
  /** The last request of each visitor still being handled; the visitor's next one waits for it. */
  private readonly inFlight = new Map<string, Promise<unknown>>()
  /**
   * Links (or their absence) as last read or written: every batch of a visitor looks its link up,
   * and only this object writes them. A flood of new visitor ids evicts the least recent first.
   */
  private readonly links = new LruMap<string, Link | null>(LINKS_KEPT)
  /**
   * An upper bound on the bytes of history the shard holds: read when the bound is checked, raised by what
   * is added since. Deletions only lower the truth, so while this is within the bound the check
   * needs no read; past it, the exact total is read.
   */
  private shardBytesAtMost: number | null = null
  /** Known to have a purge alarm set: a long-lived shard asks storage once, not on every request. */
  private purgeScheduled = false

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env)
    this.sql = ctx.storage.sql
    migrate(this.sql, SCHEMA)
  }

  async recordEvents(input: RecordInput): Promise<RecordResult> {
    const admitted = this.limiter.hit(input.visitorId, Date.now())
    if (!admitted.ok) return { status: 'limited', retryAfterSeconds: admitted.retryAfterSeconds }
    const result = await this.oneAtATime(input.visitorId, () => this.record(input))
    await this.schedulePurge()
    return result
  }

  /**
   * Unlinks the visitor from an erased contact and drops any history it still held for it: the
   * visitor's next events are anonymous again, and a later identity claim (the same e-mail too)
   * starts a new contact. The ledger of event ids stays, so a replayed old batch does nothing.
   * Runs in the visitor's queue, after any request of theirs still being handled.
   */
  async forgetContact(visitorId: string, contactId: string): Promise<{ unlinked: boolean }> {
    return this.oneAtATime(visitorId, () => {
      const unlinked = this.sql.exec('DELETE FROM link WHERE visitor_id = ? AND contact_id = ?', visitorId, contactId).rowsWritten > 0
      this.links.delete(visitorId)
      // Events kept back from a linked visitor (a site that alerts only for verified contacts) are the contact's.
      if (unlinked) this.sql.exec('DELETE FROM pending WHERE visitor_id = ?', visitorId)
      return Promise.resolve({ unlinked })
    })
  }

  /** Anonymous history events dropped before their time, by reason (for operators and tests). */
  historyDrops(): Record<HistoryDrop, number> {
    const counts: Record<HistoryDrop, number> = { 'visitor-history-full': 0, 'shard-history-full': 0 }
    for (const row of this.sql.exec<{ reason: HistoryDrop; events: number }>('SELECT reason, events FROM history_drops')) {
      counts[row.reason] = row.events
    }
    return counts
  }

  /** What the shard holds of anonymous history. */
  /** The anonymous history held by this shard, or by one of its visitors. */
  historySize(visitorId?: string): { events: number; bytes: number } {
    if (visitorId === undefined) return this.sql.exec<{ events: number; bytes: number }>('SELECT events, bytes FROM pending_totals').one()
    return this.sql
      .exec<{ events: number; bytes: number }>(
        'SELECT count(*) AS events, coalesce(sum(bytes), 0) AS bytes FROM pending WHERE visitor_id = ?',
        visitorId,
      )
      .one()
  }

  override async alarm(): Promise<void> {
    const now = Date.now()
    this.sql.exec('DELETE FROM ledger WHERE received_at < ?', now - DEDUPE_WINDOW_MS)
    this.sql.exec('DELETE FROM pending WHERE received_at < ?', now - DEDUPE_WINDOW_MS)
    const left = this.sql.exec<{ n: number }>('SELECT EXISTS (SELECT 1 FROM ledger) OR EXISTS (SELECT 1 FROM pending) AS n').one().n
    // Links outlive the ledger (a returning visitor is still the same contact) and need no
    // purge. An idle shard is not woken; its next event sets the alarm again.
    this.purgeScheduled = left === 1
    if (left) await this.ctx.storage.setAlarm(now + PURGE_EVERY_MS)
  }

  /**
   * Requests of different visitors interleave while one awaits D1 or a contact's object; those
   * of one visitor run in order. Otherwise a batch arriving during a hand-over would stay
   * pending after the link is written, and a retry arriving while the first attempt fails
   * would be answered "duplicate" for ids the failure then un-sees.
   */
  private oneAtATime<T>(visitorId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.inFlight.get(visitorId)
    const run = previous ? previous.then(work) : work()
    const settled = run.catch(() => undefined)
    this.inFlight.set(visitorId, settled)
    // Forget the chain once it is idle, unless a newer request of the visitor joined it.
    void settled.then(() => {
      if (this.inFlight.get(visitorId) === settled) this.inFlight.delete(visitorId)
    })
    return run
  }

  private async record(input: RecordInput): Promise<RecordResult> {
    const { site, visitorId, events, receivedAt, claim } = input
    const fresh = events.filter((e) => this.see(visitorId, e.id, receivedAt))
    const received: ReceivedEvent[] = fresh.map((e) => ({ ...e, receivedAt }))
    let dropped: RecordDrop | null = null
    try {
      if (claim && fresh.some((e) => e.id === claim.eventId)) dropped = await this.identify(input, claim, received)
      else await this.forward(site, visitorId, received)
    } catch (err) {
      // Nothing was handed on: un-see the ids so the script's retry is not taken for a duplicate.
      for (const e of fresh) this.sql.exec('DELETE FROM ledger WHERE visitor_id = ? AND event_id = ?', visitorId, e.id)
      throw err
    }
    const stored = { status: 'stored' as const, accepted: fresh.length, duplicates: events.length - fresh.length }
    return dropped ? { ...stored, dropped } : stored
  }

  /** True when the visitor's event id is new (and now recorded). */
  private see(visitorId: string, eventId: string, receivedAt: number): boolean {
    const insert = 'INSERT OR IGNORE INTO ledger (visitor_id, event_id, received_at) VALUES (?, ?, ?)'
    return this.sql.exec(insert, visitorId, eventId, receivedAt).rowsWritten > 0
  }

  /**
   * Links the visitor to the contact it claims and hands it the anonymous history. Past the
   * site's hourly cap on new contacts a claim that would create one is dropped (counted as
   * `contact-cap`): the visitor stays as it was, and a later claim can link it.
   */
  private async identify(input: RecordInput, claim: ClaimedIdentity, received: ReceivedEvent[]): Promise<RecordDrop | null> {
    const { site, visitorId } = input
    const db = createDb(this.env.DB)
    const outcome = await identifyVisitor(db, {
      workspaceId: site.workspaceId,
      siteId: site.siteId,
      visitorId,
      defaultOwnerId: input.defaultOwnerId,
      email: claim.email,
      identifiedBy: claim.identifiedBy,
      traits: claim.traits,
      newContactsPerHour: NEW_CONTACTS_PER_SITE_HOUR,
      now: input.receivedAt,
    })
    if (outcome.status === 'capped') {
      const day = localDay(input.receivedAt, site.calendar.timeZone)
      try {
        await addSiteDrops(db, [{ siteId: site.siteId, day, reason: 'contact-cap', count: 1 }])
      } catch (err) {
        // A count is statistics: the batch itself is stored either way.
        console.error('contact-cap drop count lost', err)
      }
      await this.forward(site, visitorId, received)
      return 'contact-cap'
    }
    const { snapshot, created } = outcome
    await contactStub(this.env, snapshot.id).recordEvents({
      site,
      events: [...this.pending(visitorId), ...received],
      identity: snapshot,
      customTraits: claim.traits.custom,
      identifiedBy: claim.identifiedBy,
      createdAt: created ? input.receivedAt : undefined,
    })
    // Only once the contact holds the history: a failed hand-over keeps it here for the retry.
    this.sql.exec('DELETE FROM pending WHERE visitor_id = ?', visitorId)
    this.sql.exec(
      'INSERT OR REPLACE INTO link (visitor_id, contact_id, identified_by) VALUES (?, ?, ?)',
      visitorId,
      snapshot.id,
      claim.identifiedBy,
    )
    this.links.set(visitorId, { contactId: snapshot.id, identifiedBy: claim.identifiedBy })
    return null
  }

  private async forward(site: SiteContext, visitorId: string, received: ReceivedEvent[]): Promise<void> {
    const link = this.link(visitorId)
    const accepted = link && (!site.requireVerifiedIdentity || link.identifiedBy === 'verified-identify')
    if (!accepted) return this.keepPending(visitorId, received)
    if (received.length) {
      await contactStub(this.env, link.contactId).recordEvents({ site, events: received, identifiedBy: link.identifiedBy })
    }
  }

  private link(visitorId: string): Link | null {
    const known = this.links.get(visitorId)
    if (known !== undefined) return known
    const link = this.readLink(visitorId)
    this.links.set(visitorId, link)
    return link
  }

  private readLink(visitorId: string): Link | null {
    const row = this.sql
      .exec<{ contact_id: string; identified_by: string }>('SELECT contact_id, identified_by FROM link WHERE visitor_id = ?', visitorId)
      .toArray()[0]
    if (!row) return null
    const identifiedBy = row.identified_by === 'identify' || row.identified_by === 'verified-identify' ? row.identified_by : 'form'
    return { contactId: row.contact_id, identifiedBy }
  }

  /** Keeps anonymous events for the contact the visitor may become, within the visitor's and the shard's bounds. */
  private keepPending(visitorId: string, events: ReceivedEvent[]): void {
    if (!events.length) return
    const held = this.sql
      .exec<{ seq: number; events: number; bytes: number }>(
        'SELECT coalesce(max(seq), 0) AS seq, count(*) AS events, coalesce(sum(bytes), 0) AS bytes FROM pending WHERE visitor_id = ?',
        visitorId,
      )
      .one()
    let { seq, bytes } = held
    const before = bytes
    for (const e of events) {
      const json = JSON.stringify(e)
      const size = encoder.encode(json).byteLength
      this.sql.exec(
        'INSERT INTO pending (visitor_id, seq, received_at, event, bytes) VALUES (?, ?, ?, ?, ?)',
        visitorId,
        ++seq,
        e.receivedAt,
        json,
        size,
      )
      bytes += size
    }
    // The trim's window query walks the visitor's rows: run it only once a bound is passed.
    if (held.events + events.length > PENDING_LIMITS.eventsPerVisitor || bytes > PENDING_LIMITS.bytesPerVisitor) this.trimVisitor(visitorId)
    if (this.shardBytesAtMost !== null) this.shardBytesAtMost += bytes - before
    this.trimShard()
  }

  /** The visitor's newest events within its count and byte bounds stay; older ones are dropped. */
  private trimVisitor(visitorId: string): void {
    const dropped = this.sql
      .exec(
        `DELETE FROM pending WHERE visitor_id = ?1 AND seq IN (
           SELECT seq FROM (
             SELECT seq, row_number() OVER newest AS n, sum(bytes) OVER newest AS kept FROM pending WHERE visitor_id = ?1
             WINDOW newest AS (ORDER BY seq DESC))
           WHERE n > ?2 OR kept > ?3)
         RETURNING seq`,
        visitorId,
        PENDING_LIMITS.eventsPerVisitor,
        PENDING_LIMITS.bytesPerVisitor,
      )
      .toArray().length
    this.countDrops('visitor-history-full', dropped)
  }

  /**
   * Over the shard's bound, the oldest history of any visitor goes first, down to SHARD_TRIM_TO
   * of the bound. A flood of new visitor ids thus costs the oldest anonymous pages, never a link
   * or a ledger, and never more than the bound.
   */
  private trimShard(): void {
    if (this.shardBytesAtMost !== null && this.shardBytesAtMost <= PENDING_LIMITS.bytesPerShard) return
    const { bytes } = this.historySize()
    this.shardBytesAtMost = bytes
    if (bytes <= PENDING_LIMITS.bytesPerShard) return
    const excess = bytes - Math.floor(PENDING_LIMITS.bytesPerShard * SHARD_TRIM_TO)
    const cut = this.sql
      .exec<{ received_at: number; visitor_id: string; seq: number }>(
        `SELECT received_at, visitor_id, seq FROM (
           SELECT received_at, visitor_id, seq, sum(bytes) OVER (ORDER BY received_at, visitor_id, seq) AS oldest FROM pending)
         WHERE oldest >= ? LIMIT 1`,
        excess,
      )
      .toArray()[0]
    if (!cut) return
    const dropped = this.sql
      .exec('DELETE FROM pending WHERE (received_at, visitor_id, seq) <= (?, ?, ?) RETURNING seq', cut.received_at, cut.visitor_id, cut.seq)
      .toArray().length
    this.shardBytesAtMost = null
    this.countDrops('shard-history-full', dropped)
  }

  private countDrops(reason: HistoryDrop, events: number): void {
    if (events === 0) return
    this.sql.exec(
      'INSERT INTO history_drops (reason, events) VALUES (?, ?) ON CONFLICT (reason) DO UPDATE SET events = events + excluded.events',
      reason,
      events,
    )
    console.warn(`visitor shard dropped ${events} anonymous event(s): ${reason}`)
  }

  private pending(visitorId: string): ReceivedEvent[] {
    const rows = this.sql.exec<{ event: string }>('SELECT event FROM pending WHERE visitor_id = ? ORDER BY seq', visitorId).toArray()
    return rows.map((r) => JSON.parse(r.event) as ReceivedEvent)
  }

  private async schedulePurge(): Promise<void> {
    if (this.purgeScheduled) return
    if ((await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(Date.now() + PURGE_EVERY_MS)
    this.purgeScheduled = true
  }
}
