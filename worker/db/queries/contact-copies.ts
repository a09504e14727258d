// What a contact's object copies to D1 from its alarm, in one batch: the page days it counted
// (contact-pages.ts) and the campaigns' step counts (campaign-runs.ts). One round trip for both.
import type { Db } from '../client'
import { stepCountsWrite, type StepCount } from './campaign-runs'
import { pageDaysWrites, type PageDay } from './contact-pages'

export async function saveContactCopies(
  db: Db,
  contact: { workspaceId: string; contactId: string },
  copies: { pages: PageDay[]; keepFromDay: number; counts: StepCount[] },
): Promise<void> {
  const [first, ...rest] = [
    ...(copies.pages.length ? pageDaysWrites(db, contact, copies.pages, copies.keepFromDay) : []),
    ...(copies.counts.length ? [stepCountsWrite(db, contact.workspaceId, contact.contactId, copies.counts)] : []),
  ]
  if (first !== undefined) await db.batch([first, ...rest])
}
