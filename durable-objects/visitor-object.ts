// One object per anonymous visitor of a site. It rate-limits and dedupes the visitor's events
// and keeps them until the visitor is identified; from then on it hands everything to the
// contact's object. It is the single writer of the visitor → contact link, so an identity is
// resolved in D1 only for an event it has not seen before (a replayed batch touches nothing).
import { DurableObject } from 'cloudflare:workers'
import type { CollectEvent } from '../sdk/wire'
import type { ClaimedIdentity } from '../worker/collect/identity'
import { FixedWindow } from '../worker/collect/fixed-window'
import { VISITOR_LIMIT } from '../worker/collect/limits'
import { createDb } from '../worker/db/client'
import { identifyVisitor } from '../worker/db/queries/contacts'
import { contactStub } from './contact-stub'
import type { SiteContext } from './site-context'
import { DEDUPE_WINDOW_MS, migrate, recordEventId } from './sql-schema'

/** Anonymous history kept for the contact it may become. */
const MAX_PENDING = 200
const PURGE_EVERY_MS = 24 * 3600_000

export type ReceivedEvent = CollectEvent & { receivedAt: number }

export type RecordInput = {
  site: SiteContext
  visitorId: string
  /** Owner given to a contact this batch creates. */
  defaultOwnerId: string | null
  events: CollectEvent[]
  receivedAt: number
  /** The identity the batch claims (form e-mail or identify), already checked against the site's policy. */
  claim: ClaimedIdentity | null
}

export type RecordResult =
  | { status: 'stored'; accepted: number; duplicates: number }
  | { status: 'limited'; retryAfterSeconds: number }

type Link = { contactId: string; identifiedBy: ClaimedIdentity['identifiedBy'] }

const SCHEMA = [
  `CREATE TABLE ledger (event_id TEXT PRIMARY KEY, received_at INTEGER NOT NULL);
   CREATE TABLE pending (seq INTEGER PRIMARY KEY AUTOINCREMENT, event TEXT NOT NULL);
   CREATE TABLE link (id INTEGER PRIMARY KEY CHECK (id = 1), contact_id TEXT NOT NULL);`,
  // How this visitor was identified: a site requiring verification ignores other links.
  `ALTER TABLE link ADD COLUMN identified_by TEXT NOT NULL DEFAULT 'form';`,
]

export class VisitorObject extends DurableObject<Env> {
  private readonly sql: SqlStorage
  // In memory on purpose: losing the count when the object is evicted only forgives a burst.
  private readonly limiter = new FixedWindow(VISITOR_LIMIT.requests, VISITOR_LIMIT.windowMs, 1)

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env)
    this.sql = ctx.storage.sql
    migrate(this.sql, SCHEMA)
  }

  async recordEvents(input: RecordInput): Promise<RecordResult> {
    const admitted = this.limiter.hit('visitor', Date.now())
    if (!admitted.ok) return { status: 'limited', retryAfterSeconds: admitted.retryAfterSeconds }

    const { site, events, receivedAt, claim } = input
    const fresh = events.filter((e) => recordEventId(this.sql, e.id, receivedAt))
    const received: ReceivedEvent[] = fresh.map((e) => ({ ...e, receivedAt }))
    try {
      if (claim && fresh.some((e) => e.id === claim.eventId)) await this.identify(input, claim, received)
      else await this.forward(site, received)
    } catch (err) {
      // Nothing was handed on: un-see the ids so the script's retry is not taken for a duplicate.
      for (const e of fresh) this.sql.exec('DELETE FROM ledger WHERE event_id = ?', e.id)
      throw err
    }
    await this.schedulePurge()
    return { status: 'stored', accepted: fresh.length, duplicates: events.length - fresh.length }
  }

  override async alarm(): Promise<void> {
    const now = Date.now()
    this.sql.exec('DELETE FROM ledger WHERE received_at < ?', now - DEDUPE_WINDOW_MS)
    this.sql.exec("DELETE FROM pending WHERE json_extract(event, '$.receivedAt') < ?", now - DEDUPE_WINDOW_MS)
    const ledger = this.sql.exec<{ n: number }>('SELECT count(*) AS n FROM ledger').one().n
    const pending = this.sql.exec<{ n: number }>('SELECT count(*) AS n FROM pending').one().n
    if (ledger + pending > 0) await this.ctx.storage.setAlarm(now + PURGE_EVERY_MS)
    // A link outlives the ledger: a returning visitor is still the same contact.
    else if (!this.link()) await this.ctx.storage.deleteAll()
  }

  private async identify(input: RecordInput, claim: ClaimedIdentity, received: ReceivedEvent[]): Promise<void> {
    const { site } = input
    const { snapshot, created } = await identifyVisitor(createDb(this.env.DB), {
      workspaceId: site.workspaceId,
      siteId: site.siteId,
      visitorId: input.visitorId,
      defaultOwnerId: input.defaultOwnerId,
      email: claim.email,
      identifiedBy: claim.identifiedBy,
      traits: claim.traits,
    })
    const history = this.pending()
    await contactStub(this.env, snapshot.id).recordEvents({
      site,
      events: [...history.events, ...received],
      identity: snapshot,
      createdAt: created ? input.receivedAt : undefined,
    })
    // Only once the contact holds the history: a failed hand-over keeps it here for the retry.
    this.sql.exec('DELETE FROM pending WHERE seq <= ?', history.lastSeq)
    this.sql.exec('INSERT OR REPLACE INTO link (id, contact_id, identified_by) VALUES (1, ?, ?)', snapshot.id, claim.identifiedBy)
  }

  private async forward(site: SiteContext, received: ReceivedEvent[]): Promise<void> {
    const link = this.link()
    const accepted = link && (!site.requireVerifiedIdentity || link.identifiedBy === 'verified-identify')
    if (!accepted) return this.keepPending(received)
    if (received.length) await contactStub(this.env, link.contactId).recordEvents({ site, events: received })
  }

  private link(): Link | null {
    const row = this.sql.exec<{ contact_id: string; identified_by: string }>('SELECT contact_id, identified_by FROM link').toArray()[0]
    if (!row) return null
    const identifiedBy = row.identified_by === 'identify' || row.identified_by === 'verified-identify' ? row.identified_by : 'form'
    return { contactId: row.contact_id, identifiedBy }
  }

  private keepPending(events: ReceivedEvent[]): void {
    for (const e of events) this.sql.exec('INSERT INTO pending (event) VALUES (?)', JSON.stringify(e))
    this.sql.exec('DELETE FROM pending WHERE seq <= (SELECT max(seq) FROM pending) - ?', MAX_PENDING)
  }

  private pending(): { events: ReceivedEvent[]; lastSeq: number } {
    const rows = this.sql.exec<{ seq: number; event: string }>('SELECT seq, event FROM pending ORDER BY seq').toArray()
    return { events: rows.map((r) => JSON.parse(r.event) as ReceivedEvent), lastSeq: rows.at(-1)?.seq ?? 0 }
  }

  private async schedulePurge(): Promise<void> {
    if ((await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(Date.now() + PURGE_EVERY_MS)
  }
}
