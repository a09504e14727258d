// A contact's updated_at grows on every write, even two writes in the same millisecond: a contact
// object writes its own campaign changes only while the row is still at the updated_at it last
// saw (campaign-sync.ts), so a write from anyone else must always move it.
import { env } from 'cloudflare:test'
import { eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { createDb } from '../../../worker/db/client'
import { writeCampaignContact } from '../../../worker/db/queries/campaign-runs'
import { assignOwner, updateContact } from '../../../worker/db/queries/contacts'
import { contacts } from '../../../worker/db/schema'
import { createAdminWorkspace, type AdminFixture } from '../admin/admin-fixture'
import { insertContacts, uniqueEmail } from './contacts-fixture'

let ws: AdminFixture

beforeAll(async () => {
  ws = await createAdminWorkspace()
})

async function updatedAt(id: string): Promise<number> {
  const [row] = await createDb(env.DB).select({ updatedAt: contacts.updatedAt }).from(contacts).where(eq(contacts.id, id))
  if (!row) throw new Error(`no contact ${id}`)
  return row.updatedAt
}

describe('contacts: updated_at', () => {
  it('moves past its old value on every write, also within one millisecond', async () => {
    const now = Date.now() + 60_000
    const email = uniqueEmail('ua')
    const [id] = await insertContacts(ws, [{ email, createdAt: now }])
    const db = createDb(env.DB)
    const scope = { workspaceId: ws.shop.workspaceId }
    const seen = [await updatedAt(id!)]
    await updateContact(db, scope, id!, { name: 'Ada' }, now)
    seen.push(await updatedAt(id!))
    await assignOwner(db, scope, [id!], null, now)
    seen.push(await updatedAt(id!))
    const written = await writeCampaignContact(
      db,
      ws.shop.workspaceId,
      id!,
      seen[2]!,
      email,
      {
        name: 'Ada',
        company: '',
        phone: '',
        ownerId: null,
        tags: ['trial'],
        score: 5,
        customFields: {},
      },
      now,
    )
    seen.push(await updatedAt(id!))
    expect(seen).toEqual([now, now + 1, now + 2, now + 3])
    expect(written).toBe(now + 3)
    // Written under an updated_at the row has left: nothing is written.
    expect(
      await writeCampaignContact(
        db,
        ws.shop.workspaceId,
        id!,
        seen[2]!,
        email,
        {
          name: 'Eve',
          company: '',
          phone: '',
          ownerId: null,
          tags: [],
          score: 0,
          customFields: {},
        },
        now,
      ),
    ).toBeNull()
    expect(await updatedAt(id!)).toBe(now + 3)
  })
})
