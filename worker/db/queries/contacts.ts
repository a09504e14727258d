// Contacts: found or created when a visitor identifies (within the site's hourly cap on new
// contacts), updated by what the claim may change, linked to the visitor, and read back as the
// snapshot alerts carry.
import { and, eq, lt, sql, type SQL } from 'drizzle-orm'
import type { ContactSnapshot, IdentifiedBy } from '../../../durable-objects/contracts/alert-job'
import type { Db } from '../client'
import { contactCreations, contacts, users, visitors } from '../schema'

type Traits = { name?: string; company?: string; phone?: string }

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
  let contact = await findContactByEmail(db, input.workspaceId, input.email)
  let created = false
  if (!contact) {
    if (!(await takeCreationSlot(db, input))) return { status: 'capped' }
    const inserted = await db
      .insert(contacts)
      .values({
        id: crypto.randomUUID(),
        workspaceId: input.workspaceId,
        email: input.email,
        name: input.traits.name ?? '',
        company: input.traits.company ?? '',
        phone: input.traits.phone ?? '',
        ownerId: input.defaultOwnerId,
        identifiedBy: input.identifiedBy,
      })
      // Another visitor may create the same contact at the same moment: then this one claims it.
      .onConflictDoNothing()
      .returning({ id: contacts.id })
    created = inserted.length > 0
    contact = await findContactByEmail(db, input.workspaceId, input.email)
    if (!contact) throw new Error('contact vanished after upsert')
  }
  if (!created && (await applyClaim(db, contact.id, input))) {
    contact = (await findContactByEmail(db, input.workspaceId, input.email)) ?? contact
  }
  await db
    .insert(visitors)
    .values({ siteId: input.siteId, visitorId: input.visitorId, contactId: contact.id })
    .onConflictDoUpdate({ target: [visitors.siteId, visitors.visitorId], set: { contactId: contact.id } })
  return { status: 'linked', snapshot: contact, created }
}

/**
 * What a claim may change on an existing contact, in one statement so concurrent claims cannot
 * undo each other. Anyone can type an e-mail into a form or call `identify` unsigned, so such a
 * claim only fills a field that is empty; a signed `identify` comes from the site's own server
 * and may change a field, and makes the contact verified. False when there was nothing to change.
 */
async function applyClaim(db: Db, contactId: string, input: IdentifyInput): Promise<boolean> {
  const signed = input.identifiedBy === 'verified-identify'
  const columns = { name: contacts.name, company: contacts.company, phone: contacts.phone } as const
  const set: { name?: string | SQL; company?: string | SQL; phone?: string | SQL; identifiedBy?: string; updatedAt?: number } = {}
  for (const key of ['name', 'company', 'phone'] as const) {
    const value = input.traits[key]
    if (!value) continue
    set[key] = signed ? value : sql`CASE WHEN ${columns[key]} = '' THEN ${value} ELSE ${columns[key]} END`
  }
  if (signed) set.identifiedBy = input.identifiedBy
  if (Object.keys(set).length === 0) return false
  set.updatedAt = input.now
  await db.update(contacts).set(set).where(eq(contacts.id, contactId))
  return true
}

/**
 * Counts one new contact in the site's current hour unless the hour is full; false when it is.
 * One conditional upsert, so the cap holds across isolates and shards.
 */
async function takeCreationSlot(db: Db, input: IdentifyInput): Promise<boolean> {
  const hourStart = input.now - (input.now % HOUR_MS)
  const [row] = await db
    .insert(contactCreations)
    .values({ siteId: input.siteId, hourStart, count: 1 })
    .onConflictDoUpdate({
      target: [contactCreations.siteId, contactCreations.hourStart],
      set: { count: sql`${contactCreations.count} + 1` },
      setWhere: sql`${contactCreations.count} < ${input.newContactsPerHour}`,
    })
    .returning({ count: contactCreations.count })
  // The first contact of an hour clears the site's old hours.
  if (row?.count === 1) {
    await db
      .delete(contactCreations)
      .where(and(eq(contactCreations.siteId, input.siteId), lt(contactCreations.hourStart, hourStart - KEEP_CREATIONS_MS)))
  }
  return row !== undefined
}

export async function findContactByEmail(db: Db, workspaceId: string, email: string): Promise<ContactSnapshot | null> {
  const rows = await db
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
    .where(and(eq(contacts.workspaceId, workspaceId), eq(contacts.email, email)))
    .limit(1)
  return rows[0] ?? null
}
