// One object per anonymous visitor of a site. It dedupes the visitor's events and keeps them
// until the visitor is identified; from then on it hands everything to the contact's object.
import { DurableObject } from 'cloudflare:workers'
import type { CollectEvent } from '../sdk/wire'
import type { ContactSnapshot } from './alert-job'
import { contactStub } from './contact-stub'
import type { SiteContext } from './site-context'
import { DEDUPE_WINDOW_MS, migrate, recordEventId } from './sql-schema'

/** Anonymous history kept for the contact it may become. */
const MAX_PENDING = 200
const PURGE_EVERY_MS = 24 * 3600_000

export type ReceivedEvent = CollectEvent & { receivedAt: number }

export type RecordInput = {
  site: SiteContext
  events: CollectEvent[]
  receivedAt: number
  /** Set when this batch identified the visitor (form e-mail or identify). */
  identity?: ContactSnapshot
}

export type RecordResult = { accepted: number; duplicates: number }

const SCHEMA = [
  `CREATE TABLE ledger (event_id TEXT PRIMARY KEY, received_at INTEGER NOT NULL);
   CREATE TABLE pending (seq INTEGER PRIMARY KEY AUTOINCREMENT, event TEXT NOT NULL);
   CREATE TABLE link (id INTEGER PRIMARY KEY CHECK (id = 1), contact_id TEXT NOT NULL);`,
]

export class VisitorObject extends DurableObject<Env> {
  private readonly sql: SqlStorage

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env)
    this.sql = ctx.storage.sql
    migrate(this.sql, SCHEMA)
  }

  async recordEvents({ site, events, receivedAt, identity }: RecordInput): Promise<RecordResult> {
    const fresh = events.filter((e) => recordEventId(this.sql, e.id, receivedAt))
    const received: ReceivedEvent[] = fresh.map((e) => ({ ...e, receivedAt }))
    const duplicates = events.length - fresh.length

    if (identity) {
      const history = this.takePending()
      this.sql.exec('INSERT OR REPLACE INTO link (id, contact_id) VALUES (1, ?)', identity.id)
      await contactStub(this.env, identity.id).recordEvents({ site, events: [...history, ...received], identity })
    } else {
      const contactId = this.linkedContact()
      if (contactId) {
        if (received.length) await contactStub(this.env, contactId).recordEvents({ site, events: received })
      } else this.keepPending(received)
    }
    await this.schedulePurge()
    return { accepted: fresh.length, duplicates }
  }

  override async alarm(): Promise<void> {
    this.sql.exec('DELETE FROM ledger WHERE received_at < ?', Date.now() - DEDUPE_WINDOW_MS)
    const left = this.sql.exec<{ n: number }>('SELECT count(*) AS n FROM ledger').one().n
    if (left > 0) await this.ctx.storage.setAlarm(Date.now() + PURGE_EVERY_MS)
    else await this.ctx.storage.deleteAll()
  }

  private linkedContact(): string | null {
    return this.sql.exec<{ contact_id: string }>('SELECT contact_id FROM link').toArray()[0]?.contact_id ?? null
  }

  private keepPending(events: ReceivedEvent[]): void {
    for (const e of events) this.sql.exec('INSERT INTO pending (event) VALUES (?)', JSON.stringify(e))
    this.sql.exec('DELETE FROM pending WHERE seq <= (SELECT max(seq) FROM pending) - ?', MAX_PENDING)
  }

  private takePending(): ReceivedEvent[] {
    const rows = this.sql.exec<{ event: string }>('SELECT event FROM pending ORDER BY seq').toArray()
    this.sql.exec('DELETE FROM pending')
    return rows.map((r) => JSON.parse(r.event) as ReceivedEvent)
  }

  private async schedulePurge(): Promise<void> {
    if ((await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(Date.now() + PURGE_EVERY_MS)
  }
}
