// Contacts: found or created when a visitor identifies (within the site's hourly cap on new
// contacts), updated by what the claim may change, linked to the visitor, and read back as the
// snapshot alerts carry. For the admin: pages of a workspace's contacts (search, filters, keyset
// cursor), one contact with its owner, changes of fields, tags and owner, and the rows an erase
// removes or scrubs. Every query names the workspace; `ownerId` in a scope limits it to one
// owner's contacts (a sales rep's view).
import { and, desc, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm'
import type { ContactSnapshot, IdentifiedBy } from '../../../durable-objects/contracts/alert-job'
import type { Db } from '../client'
import {
  alertDeliveries,
  campaigns,
  contactPageDays,
  contacts,
  deliveryAttempts,
  recipientHourSlots,
  users,
  visitors,
  workspacePages,
  type UserStatus,
} from '../schema'
import { containsPattern, contactSearchText } from './contact-search-text'

type Traits = { name?: string; company?: string; phone?: string; custom?: Record<string, string> }

export type IdentifyInput = {
  workspaceId: string
  siteId: string
  visitorId: string
  email: string
  defaultOwnerId: string | null
  identifiedBy: IdentifiedBy
  traits: Traits
  /** New contacts this site may create in the clock hour of `now`. */
  newContactsPerHour: number
  now: number
}

export type IdentifyOutcome = { status: 'linked'; snapshot: ContactSnapshot; created: boolean } | { status: 'capped' }

const HOUR_MS = 3600_000
/** Hourly counts are only needed for the current hour; two days leaves room for clock skew. */
const KEEP_CREATIONS_MS = 48 * HOUR_MS

export async function identifyVisitor(db: Db, input: IdentifyInput): Promise<IdentifyOutcome> {
  const created = await createOrLink(db, input)
  const contact = await findContactByEmail(db, input.workspaceId, input.email)
  if (!contact) return { status: 'capped' }
  if (created) return { status: 'linked', snapshot: contact, created }
  // An existing contact (or one another visitor created at the same moment) takes what the claim may change.
  if (!(await applyClaim(db, contact.id, input))) return { status: 'linked', snapshot: contact, created }
  return { status: 'linked', snapshot: (await findContactByEmail(db, input.workspaceId, input.email)) ?? contact, created }
}

/**
 * The writes of an identification in one D1 batch (one transaction, one round trip; one after
 * the other they took up to five on the collect path). For an e-mail no contact has yet: the
 * site's old hourly counts are cleared and one new contact counted in the current hour unless
 * the hour is full (one conditional upsert, so the cap holds across isolates and shards); the
 * contact is inserted only when that count was taken (`changes()` of the upsert). Then the
 * visitor is linked to whichever contact has the e-mail, if any: none means the hour was full.
 * True when this call created the contact; false too when another visitor created it at the
 * same moment (then this one claims it). Plain SQL through the binding: drizzle's batch takes
 * no raw statement, and its INSERT ... SELECT wants every column of the table.
 */
async function createOrLink(db: Db, input: IdentifyInput): Promise<boolean> {
  const d1 = db.$client
  const hourStart = input.now - (input.now % HOUR_MS)
  const { workspaceId, email, siteId } = input
  const name = input.traits.name ?? ''
  const company = input.traits.company ?? ''
  const [, , inserted] = await d1.batch([
    d1.prepare('DELETE FROM contact_creations WHERE site_id = ? AND hour_start < ?').bind(siteId, hourStart - KEEP_CREATIONS_MS),
    d1
      .prepare(
        `INSERT INTO contact_creations (site_id, hour_start, count)
         SELECT ?1, ?2, 1 WHERE NOT EXISTS (SELECT 1 FROM contacts WHERE workspace_id = ?3 AND email = ?4)
         ON CONFLICT (site_id, hour_start) DO UPDATE SET count = count + 1 WHERE count < ?5`,
      )
      .bind(siteId, hourStart, workspaceId, email, input.newContactsPerHour),
    d1
      .prepare(
        `INSERT INTO contacts (id, workspace_id, email, name, company, phone, search_text, owner_id, identified_by, custom_fields)
         SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE changes() > 0
         ON CONFLICT DO NOTHING RETURNING id`,
      )
      .bind(
        crypto.randomUUID(),
        workspaceId,
        email,
        name,
        company,
        input.traits.phone ?? '',
        contactSearchText({ email, name, company }),
        input.defaultOwnerId,
        input.identifiedBy,
        JSON.stringify(input.traits.custom ?? {}),
      ),
    d1
      .prepare(
        `INSERT INTO visitors (site_id, visitor_id, contact_id)
         SELECT ?1, ?2, id FROM contacts WHERE workspace_id = ?3 AND email = ?4
         ON CONFLICT (site_id, visitor_id) DO UPDATE SET contact_id = excluded.contact_id`,
      )
      .bind(siteId, input.visitorId, workspaceId, email),
  ])
  return (inserted?.results.length ?? 0) > 0
}

/**
 * A contact's `updated_at` on every write: now, and always past the value it had, so a writer
 * that knows the row at some `updated_at` can tell it was not changed since (its object writes
 * its own changes under that condition, campaign-sync.ts), even within one millisecond.
 */
export const laterUpdatedAt = (now: number) => sql<number>`max(${now}, ${contacts.updatedAt} + 1)`

/**
 * What a claim may change on an existing contact, in one statement so concurrent claims cannot
 * undo each other. Anyone can type an e-mail into a form or call `identify` unsigned, so such a
 * claim only fills a field that is empty; a signed `identify` comes from the site's own server
 * and may change a field, and makes the contact verified. False when there was nothing to change.
 */
async function applyClaim(db: Db, contactId: string, input: IdentifyInput): Promise<boolean> {
  const signed = input.identifiedBy === 'verified-identify'
  const columns = { name: contacts.name, company: contacts.company, phone: contacts.phone } as const
  const set: { name?: string | SQL; company?: string | SQL; phone?: string | SQL; identifiedBy?: string; updatedAt?: SQL } = {}
  for (const key of ['name', 'company', 'phone'] as const) {
    const value = input.traits[key]
    if (!value) continue
    set[key] = signed ? value : sql`CASE WHEN ${columns[key]} = '' THEN ${value} ELSE ${columns[key]} END`
  }
  if (signed) set.identifiedBy = input.identifiedBy
  const custom = input.traits.custom
  // Merged key by key (JSON merge patch): a signed claim's value wins, an unsigned one only fills a key not there yet.
  const customFields = custom
    ? signed
      ? sql`json_patch(${contacts.customFields}, ${JSON.stringify(custom)})`
      : sql`json_patch(${JSON.stringify(custom)}, ${contacts.customFields})`
    : undefined
  if (Object.keys(set).length === 0 && !customFields) return false
  set.updatedAt = laterUpdatedAt(input.now)
  const [row] = await db
    .update(contacts)
    .set(customFields ? { ...set, customFields } : set)
    .where(eq(contacts.id, contactId))
    .returning({ id: contacts.id, email: contacts.email, name: contacts.name, company: contacts.company })
  if (row) await refreshSearchText(db, row)
  return true
}

/** Folds the fields as they now are into the search text (a second statement: SQL cannot fold). */
async function refreshSearchText(db: Db, row: { id: string; email: string; name: string; company: string }): Promise<void> {
  await db
    .update(contacts)
    .set({ searchText: contactSearchText(row) })
    .where(eq(contacts.id, row.id))
}

/** The contact as an alert job carries it (ContactSnapshot), with its owner's name and e-mail. */
const selectSnapshots = (db: Db) =>
  db
    .select({
      id: contacts.id,
      workspaceId: contacts.workspaceId,
      email: contacts.email,
      name: contacts.name,
      company: contacts.company,
      phone: contacts.phone,
      ownerEmail: users.email,
      ownerName: users.name,
      tags: contacts.tags,
      score: contacts.score,
      identifiedBy: contacts.identifiedBy,
    })
    .from(contacts)
    .leftJoin(users, eq(users.id, contacts.ownerId))

export async function findContactByEmail(db: Db, workspaceId: string, email: string): Promise<ContactSnapshot | null> {
  const rows = await selectSnapshots(db)
    .where(and(eq(contacts.workspaceId, workspaceId), eq(contacts.email, email)))
    .limit(1)
  return rows[0] ?? null
}

// ---- The admin's view ------------------------------------------------------------------------

export type ContactRow = typeof contacts.$inferSelect
/** A deactivated owner is still shown (as deactivated) until someone chooses another. */
export type ContactOwner = { id: string; email: string; name: string; status: UserStatus }
/** The contact with its owner; `customFields` are set by campaigns' set-field steps (the contact's object keeps them too). */
export type ContactWithOwner = Omit<ContactRow, 'searchText'> & { owner: ContactOwner | null }

/** Who is asking: a sales rep sees only the contacts they own. */
export type ContactScope = { workspaceId: string; ownerId?: string }

/** Where a page of contacts starts: after this (created_at, id), newest first. */
export type ContactCursor = { createdAt: number; id: string }

export type ContactFilter = {
  /** Found in the e-mail, name or company, case and accents ignored. */
  term?: string
  /** A user id, or null for contacts without an owner. */
  ownerId?: string | null
  /** Identified (created) at or after this instant, epoch ms. */
  since?: number
  /** Visited one of these pages (URLs as stored in contact_page_days) on `fromDay` or later. */
  visited?: { fromDay: number; urls: string[] }
}

const contactColumns = {
  id: contacts.id,
  workspaceId: contacts.workspaceId,
  email: contacts.email,
  name: contacts.name,
  company: contacts.company,
  phone: contacts.phone,
  ownerId: contacts.ownerId,
  tags: contacts.tags,
  score: contacts.score,
  customFields: contacts.customFields,
  identifiedBy: contacts.identifiedBy,
  createdAt: contacts.createdAt,
  updatedAt: contacts.updatedAt,
  ownerEmail: users.email,
  ownerName: users.name,
  ownerStatus: users.status,
}

type Selected = Omit<ContactRow, 'searchText'> & {
  ownerEmail: string | null
  ownerName: string | null
  ownerStatus: UserStatus | null
}

const withOwner = ({ ownerEmail, ownerName, ownerStatus, ...row }: Selected): ContactWithOwner => ({
  ...row,
  owner:
    row.ownerId && ownerEmail !== null
      ? { id: row.ownerId, email: ownerEmail, name: ownerName ?? '', status: ownerStatus ?? 'active' }
      : null,
})

const inScope = (scope: ContactScope) =>
  and(eq(contacts.workspaceId, scope.workspaceId), scope.ownerId === undefined ? undefined : eq(contacts.ownerId, scope.ownerId))

/** A JSON array bound as one parameter (D1 allows 100 per statement): `x IN (SELECT value FROM json_each(?))`. */
const inJson = (column: SQL | typeof contacts.id | typeof campaigns.id, values: string[]) =>
  sql`${column} IN (SELECT value FROM json_each(${JSON.stringify(values)}))`

function filterConditions(scope: ContactScope, filter: ContactFilter): SQL | undefined {
  const { term, ownerId, since, visited } = filter
  return and(
    inScope(scope),
    ownerId === undefined ? undefined : ownerId === null ? isNull(contacts.ownerId) : eq(contacts.ownerId, ownerId),
    since === undefined ? undefined : sql`${contacts.createdAt} >= ${since}`,
    term ? sql`${contacts.searchText} LIKE ${containsPattern(term)} ESCAPE '\\'` : undefined,
    visited
      ? sql`${contacts.id} IN (SELECT ${contactPageDays.contactId} FROM ${contactPageDays}
          WHERE ${contactPageDays.workspaceId} = ${scope.workspaceId} AND ${contactPageDays.day} >= ${visited.fromDay}
          AND ${inJson(sql`${contactPageDays.url}`, visited.urls)})`
      : undefined,
  )
}

/**
 * One page of contacts, newest first (ties by id), after `after`; `more` when another follows.
 * The order and the filters are served by contacts_workspace_created or, with an owner,
 * contacts_workspace_owner_created, which carry the search text (docs/contacts.md).
 */
export async function listContacts(
  db: Db,
  scope: ContactScope,
  filter: ContactFilter,
  page: { limit: number; after?: ContactCursor },
): Promise<{ rows: ContactWithOwner[]; more: boolean }> {
  const { after } = page
  const rows = await db
    .select(contactColumns)
    .from(contacts)
    .leftJoin(users, eq(users.id, contacts.ownerId))
    .where(
      and(
        filterConditions(scope, filter),
        after ? sql`(${contacts.createdAt}, ${contacts.id}) < (${after.createdAt}, ${after.id})` : undefined,
      ),
    )
    .orderBy(desc(contacts.createdAt), desc(contacts.id))
    .limit(page.limit + 1)
  return { rows: rows.slice(0, page.limit).map(withOwner), more: rows.length > page.limit }
}

export async function findContact(db: Db, scope: ContactScope, id: string): Promise<ContactWithOwner | null> {
  const rows = await db
    .select(contactColumns)
    .from(contacts)
    .leftJoin(users, eq(users.id, contacts.ownerId))
    .where(and(inScope(scope), eq(contacts.id, id)))
    .limit(1)
  return rows[0] ? withOwner(rows[0]) : null
}

/** Of `ids`, those in scope. */
export async function contactIdsInScope(db: Db, scope: ContactScope, ids: string[]): Promise<string[]> {
  const rows = await db
    .select({ id: contacts.id })
    .from(contacts)
    .where(and(inScope(scope), inJson(contacts.id, ids)))
  return rows.map((r) => r.id)
}

export type ContactChange = Partial<Pick<ContactRow, 'name' | 'company' | 'phone' | 'tags' | 'ownerId'>>

/** Changes one contact in scope; null when there is none. The search text follows the fields. */
export async function updateContact(db: Db, scope: ContactScope, id: string, change: ContactChange, now: number) {
  const [row] = await db
    .update(contacts)
    .set({ ...change, updatedAt: laterUpdatedAt(now) })
    .where(and(inScope(scope), eq(contacts.id, id)))
    .returning({ id: contacts.id, email: contacts.email, name: contacts.name, company: contacts.company })
  if (!row) return null
  if (change.name !== undefined || change.company !== undefined) await refreshSearchText(db, row)
  return findContact(db, scope, id)
}

/** Gives every contact of `ids` in scope to `ownerId` (null = nobody), in one statement; returns the ids changed. */
export async function assignOwner(db: Db, scope: ContactScope, ids: string[], ownerId: string | null, now: number): Promise<string[]> {
  const rows = await db
    .update(contacts)
    .set({ ownerId, updatedAt: laterUpdatedAt(now) })
    .where(and(inScope(scope), inJson(contacts.id, ids)))
    .returning({ id: contacts.id })
  return rows.map((r) => r.id)
}

/** The snapshots alerts carry, for the contacts' objects after a change. */
export async function contactSnapshots(db: Db, workspaceId: string, ids: string[]): Promise<ContactSnapshot[]> {
  if (ids.length === 0) return []
  return selectSnapshots(db).where(and(eq(contacts.workspaceId, workspaceId), inJson(contacts.id, ids)))
}

/** The visitors (site, visitor id) linked to a contact: whose links in the visitor shards an erase removes. */
export async function visitorLinks(db: Db, contactId: string): Promise<Array<{ siteId: string; visitorId: string }>> {
  return db.select({ siteId: visitors.siteId, visitorId: visitors.visitorId }).from(visitors).where(eq(visitors.contactId, contactId))
}

/** An alert job the contact's object had reserved: its outbox row must exist, scrubbed, so a late copy is not delivered. */
export type ReservedAlert = { alertKey: string; alertId: string }

export const ERASED = 'the contact was erased'

/**
 * Removes a contact from D1 in one batch (one transaction): its page days (and the pages only it
 * visited), its visitor links and its row; its outbox rows stay for the alerts' history but lose everything personal (subject,
 * recipients, the stored job, attempt details, digest lines), and a row not yet finished is
 * closed as skipped. Every reserved alert (of an alert that still exists) gets a closed row too,
 * so a job still on the queue finds it finished and sends nothing. `erased` is false when there
 * was no such contact in scope (the deletes and scrubs then touch nothing).
 */
export async function eraseContactRows(
  db: Db,
  scope: ContactScope,
  contactId: string,
  reserved: ReservedAlert[],
  now: number,
): Promise<{ erased: boolean; outboxRows: number }> {
  // Every statement but the closed rows runs only while the contact is there and in scope; the
  // batch is one transaction.
  const present = sql`EXISTS (SELECT 1 FROM ${contacts} WHERE ${and(inScope(scope), eq(contacts.id, contactId))})`
  const ofContact = and(eq(alertDeliveries.workspaceId, scope.workspaceId), eq(alertDeliveries.contactId, contactId))
  const rowIds = db.select({ id: alertDeliveries.id }).from(alertDeliveries).where(ofContact)
  const open = sql`${alertDeliveries.status} IN ('pending', 'sending')`
  // A deleted alert has no outbox (and its queued jobs are dropped): only existing alerts get a closed row.
  const alive = new Set(
    reserved.length === 0
      ? []
      : (
          await db
            .select({ id: campaigns.id })
            .from(campaigns)
            .where(
              and(
                eq(campaigns.workspaceId, scope.workspaceId),
                isNull(campaigns.deletedAt),
                inJson(campaigns.id, [...new Set(reserved.map((r) => r.alertId))]),
              ),
            )
        ).map((a) => a.id),
  )
  const tombstones = reserved.filter((r) => alive.has(r.alertId))
  const [scrubbed, ...rest] = await db.batch([
    db
      .update(alertDeliveries)
      .set({
        status: sql`CASE WHEN ${open} THEN 'skipped' ELSE ${alertDeliveries.status} END`,
        // A server's refusal may quote an address: only that there was an error is kept.
        error: sql`CASE WHEN ${open} OR ${alertDeliveries.error} IS NOT NULL THEN ${ERASED} END`,
        subject: '',
        recipients: [],
        recipientOutcomes: [],
        job: null,
        nextAttemptAt: null,
        updatedAt: now,
      })
      .where(and(ofContact, present))
      .returning({ id: alertDeliveries.id }),
    ...tombstones.map((r) =>
      db
        .insert(alertDeliveries)
        .values({
          id: crypto.randomUUID(),
          workspaceId: scope.workspaceId,
          alertId: r.alertId,
          contactId,
          alertKey: r.alertKey,
          status: 'skipped',
          error: ERASED,
          createdAt: now,
          updatedAt: now,
        })
        .onConflictDoNothing(),
    ),
    db
      .update(deliveryAttempts)
      .set({ detail: '' })
      .where(and(inArray(deliveryAttempts.deliveryId, rowIds), present)),
    db
      .update(recipientHourSlots)
      .set({ summary: null })
      .where(and(inArray(recipientHourSlots.deliveryId, rowIds), present)),
    // A page only this contact visited goes with it (its address may hold what they typed, e.g. ?email=).
    db.delete(workspacePages).where(
      and(
        eq(workspacePages.workspaceId, scope.workspaceId),
        sql`${workspacePages.url} IN (SELECT url FROM ${contactPageDays} WHERE ${contactPageDays.contactId} = ${contactId})`,
        sql`NOT EXISTS (SELECT 1 FROM ${contactPageDays} AS other WHERE other.workspace_id = ${scope.workspaceId}
          AND other.url = ${workspacePages.url} AND other.contact_id <> ${contactId})`,
        present,
      ),
    ),
    db.delete(contactPageDays).where(and(eq(contactPageDays.contactId, contactId), present)),
    db.delete(visitors).where(and(eq(visitors.contactId, contactId), present)),
    db
      .delete(contacts)
      .where(and(inScope(scope), eq(contacts.id, contactId)))
      .returning({ id: contacts.id }),
  ])
  const deleted = rest.at(-1)
  return { erased: Array.isArray(deleted) && deleted.length > 0, outboxRows: scrubbed.length }
}
