// Contacts: found or created when a visitor identifies, linked to the visitor, and read
// back as the snapshot alerts carry.
import { and, eq } from 'drizzle-orm'
import type { ContactSnapshot } from '../../../durable-objects/contracts/alert-job'
import type { Db } from '../client'
import { contacts, users, visitors } from '../schema'

export type IdentifyInput = {
  workspaceId: string
  siteId: string
  visitorId: string
  email: string
  defaultOwnerId: string | null
  identifiedBy: 'form' | 'identify' | 'verified-identify'
  traits: { name?: string; company?: string; phone?: string }
}

export async function identifyVisitor(db: Db, input: IdentifyInput): Promise<{ snapshot: ContactSnapshot; created: boolean }> {
  const id = crypto.randomUUID()
  const inserted = await db
    .insert(contacts)
    .values({
      id,
      workspaceId: input.workspaceId,
      email: input.email,
      name: input.traits.name ?? '',
      company: input.traits.company ?? '',
      phone: input.traits.phone ?? '',
      ownerId: input.defaultOwnerId,
      identifiedBy: input.identifiedBy,
    })
    .onConflictDoNothing()
    .returning({ id: contacts.id })
  const created = inserted.length > 0
  const contact = await findContactByEmail(db, input.workspaceId, input.email)
  if (!contact) throw new Error('contact vanished after upsert')
  await db
    .insert(visitors)
    .values({ siteId: input.siteId, visitorId: input.visitorId, contactId: contact.id })
    .onConflictDoUpdate({ target: [visitors.siteId, visitors.visitorId], set: { contactId: contact.id } })
  const upgrade = !created && input.identifiedBy === 'verified-identify' && contact.identifiedBy !== 'verified-identify'
  if (upgrade) {
    await db.update(contacts).set({ identifiedBy: input.identifiedBy }).where(eq(contacts.id, contact.id))
    contact.identifiedBy = input.identifiedBy
  }
  return { snapshot: contact, created }
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
