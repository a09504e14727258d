// Contacts for the contacts tests: made the way the product makes them (a visitor of the shop
// identifies through the collect endpoint), or, for long lists, written straight into D1 with
// the fields the product would write. Plus reading a contact's object and shard directly.
import { env, runInDurableObject } from 'cloudflare:test'
import { contactStub, visitorStub } from '../../../durable-objects/contact-stub'
import type { OutgoingEvent } from '../../../sdk/wire'
import { createDb } from '../../../worker/db/client'
import { contactSearchText } from '../../../worker/db/queries/contact-search-text'
import { findContactByEmail } from '../../../worker/db/queries/contacts'
import { contacts } from '../../../worker/db/schema'
import type { AdminFixture } from '../admin/admin-fixture'
import { sendShop } from '../contact-object/shop-visitor'
import { newId } from '../support/collect'

export type Traits = { name?: string; company?: string; phone?: string }

/** A new visitor of the shop who identifies as `email`; returns the visitor and the contact's id. */
export async function identified(ws: AdminFixture, email: string, traits: Traits = {}, before: OutgoingEvent[] = []) {
  const visitor = newId('v')
  await sendShop(ws.shop, visitor, [...before, { id: newId('e'), type: 'identify', email, traits }])
  const contact = await findContactByEmail(createDb(env.DB), ws.shop.workspaceId, email)
  if (!contact) throw new Error(`no contact for ${email}`)
  return { visitor, contactId: contact.id }
}

export type Row = Traits & { email: string; ownerId?: string | null; createdAt?: number; tags?: string[] }

/** Contacts written straight into D1 (as identify would), for lists longer than a test wants to collect. */
export async function insertContacts(ws: AdminFixture, rows: Row[]): Promise<string[]> {
  const values = rows.map((r) => ({
    id: crypto.randomUUID(),
    workspaceId: ws.shop.workspaceId,
    email: r.email,
    name: r.name ?? '',
    company: r.company ?? '',
    phone: r.phone ?? '',
    ownerId: r.ownerId === undefined ? ws.shop.ownerId : r.ownerId,
    tags: r.tags ?? [],
    searchText: contactSearchText({ email: r.email, name: r.name ?? '', company: r.company ?? '' }),
    ...(r.createdAt === undefined ? {} : { createdAt: r.createdAt, updatedAt: r.createdAt }),
  }))
  const db = createDb(env.DB)
  for (const v of values) await db.insert(contacts).values(v)
  return values.map((v) => v.id)
}

export const uniqueEmail = (who: string) => `${newId(who)}@buyer.test`

/** The names of the tables in a contact's object, and its alarm, read from its storage directly. */
export const objectState = (contactId: string) =>
  runInDurableObject(contactStub(env, contactId), async (_, state) => ({
    tables: state.storage.sql
      .exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_cf\\_%' ESCAPE '\\'")
      .toArray()
      .map((t) => t.name),
    rows: state.storage.sql
      .exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_cf\\_%' ESCAPE '\\'")
      .toArray()
      .reduce((n, t) => n + state.storage.sql.exec<{ n: number }>(`SELECT count(*) AS n FROM "${t.name}"`).one().n, 0),
    kv: (await state.storage.list()).size,
    alarm: await state.storage.getAlarm(),
  }))

/** The visitor's link in its shard, read directly. */
export const shardLink = (siteId: string, visitorId: string) =>
  runInDurableObject(
    visitorStub(env, siteId, visitorId),
    (_, state) =>
      state.storage.sql.exec<{ contact_id: string }>('SELECT contact_id FROM link WHERE visitor_id = ?', visitorId).toArray()[0]
        ?.contact_id ?? null,
  )

/** Every row of `table` whose text anywhere mentions `needle` (SQLite: each column cast to text). */
export async function rowsMentioning(table: string, needle: string): Promise<number> {
  const columns = (await env.DB.prepare(`SELECT name FROM pragma_table_info(?)`).bind(table).all<{ name: string }>()).results
  const where = columns.map((c) => `instr(lower(coalesce(CAST("${c.name}" AS TEXT), '')), lower(?1)) > 0`).join(' OR ')
  const row = await env.DB.prepare(`SELECT count(*) AS n FROM "${table}" WHERE ${where}`).bind(needle).first<{ n: number }>()
  return row?.n ?? 0
}
