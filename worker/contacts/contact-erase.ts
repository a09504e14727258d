// Erasing a contact (docs/contacts.md): nothing personal of it is left, and the same person
// identifying again later becomes a new contact. In this order, so that an erase interrupted
// half-way can simply be asked again (the D1 row, which names the contact, goes last):
//  1. the visitor shards forget their links to it (its visitors are anonymous again: a later
//     event cannot reach its object, and a later claim of the e-mail makes a new contact);
//  2. its object deletes all its storage and its alarm, answering the alerts it had reserved;
//  3. one D1 batch: its page days, visitor rows and row deleted; its outbox rows scrubbed of the
//     subject, recipients, stored job and attempt details (kept as numbers for the alerts'
//     analytics), unfinished ones closed, and a closed row for each reserved alert so a copy
//     still on the queue sends nothing; its campaign action rows scrubbed and closed the same way
//     (one batch just before).
import { contactStub, visitorStub } from '../../durable-objects/contact-stub'
import { createDb } from '../db/client'
import { closeCampaignActionsOf } from '../db/queries/campaign-runs'
import { eraseContactRows, findContact, visitorLinks, type ContactScope } from '../db/queries/contacts'

const SHARD_CONCURRENCY = 20

export type EraseReport = {
  contactId: string
  /** Visitors (site, browser) that were linked to the contact and are anonymous again. */
  visitorLinks: number
  /** Outbox rows kept for the alerts' history, with nothing personal left on them. */
  outboxRows: number
}

/** Null when the scope has no such contact. */
export async function eraseContact(env: Env, scope: ContactScope, id: string): Promise<EraseReport | null> {
  const db = createDb(env.DB)
  if (!(await findContact(db, scope, id))) return null
  const links = await visitorLinks(db, id)
  for (let i = 0; i < links.length; i += SHARD_CONCURRENCY) {
    await Promise.all(
      links.slice(i, i + SHARD_CONCURRENCY).map((l) => visitorStub(env, l.siteId, l.visitorId).forgetContact(l.visitorId, id)),
    )
  }
  const { reserved, campaignActions } = await contactStub(env, id).erase()
  const now = Date.now()
  // Before the contact's row: an erase interrupted after this is asked again and finds the contact.
  await closeCampaignActionsOf(db, scope.workspaceId, id, campaignActions, now)
  const { outboxRows } = await eraseContactRows(db, scope, id, reserved, now)
  return { contactId: id, visitorLinks: links.length, outboxRows }
}
