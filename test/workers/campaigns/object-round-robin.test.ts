// Round-robin owner assignment over three sales reps: 30 new contacts get 10 each, one after
// the other and also when they all arrive at once (each contact's object takes its turn from one
// D1 cursor per campaign step); a new owner is told by e-mail; a deactivated rep is passed over
// without spending a turn.
import { env, runDurableObjectAlarm } from 'cloudflare:test'
import { beforeAll, describe, expect, it } from 'vitest'
import { deactivate } from '../../../worker/users/user-changes'
import { waitForMail } from '../support/collect'
import { contactStub } from '../../../durable-objects/contact-stub'
import { identifiedVisitor } from '../contact-object/shop-visitor'
import { campaignShop, contactRow, newContact, runAlarmsUntil, type CampaignShop } from './object-fixture'

const CONTACTS = 30

async function roundRobinShop(notify: boolean) {
  const shop = await campaignShop()
  const reps = [await shop.addRep('Ann'), await shop.addRep('Bob'), await shop.addRep('Cid')]
  await shop.addCampaign({
    name: 'Share new leads',
    triggers: [{ type: 'contact-created' }],
    steps: [{ id: 'share', type: 'assign-round-robin', userIds: reps, notify }],
  })
  return { shop, reps }
}

async function ownersOf(ids: string[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>()
  for (const id of ids) {
    const owner = (await contactRow(id)).ownerId ?? 'nobody'
    counts.set(owner, (counts.get(owner) ?? 0) + 1)
  }
  return counts
}

describe('contact object: assign round-robin', () => {
  let sequential: { shop: CampaignShop; reps: string[] }
  let concurrent: { shop: CampaignShop; reps: string[] }

  beforeAll(async () => {
    sequential = await roundRobinShop(false)
    concurrent = await roundRobinShop(false)
  })

  it('gives 30 new contacts to 3 reps 10 each, in turn', async () => {
    const ids: string[] = []
    for (let i = 0; i < CONTACTS; i++) ids.push((await newContact(sequential.shop)).contact.id)
    const counts = await ownersOf(ids)
    expect(Object.fromEntries(counts)).toEqual(Object.fromEntries(sequential.reps.map((r) => [r, 10])))
    // In turn: the first three contacts went to Ann, Bob and Cid.
    expect(await Promise.all(ids.slice(0, 3).map(async (id) => (await contactRow(id)).ownerId))).toEqual(sequential.reps)
  })

  it('gives 30 contacts arriving at once to 3 reps 10 each', async () => {
    const made = await Promise.all(Array.from({ length: CONTACTS }, () => newContact(concurrent.shop)))
    const counts = await ownersOf(made.map((m) => m.contact.id))
    expect(Object.fromEntries(counts)).toEqual(Object.fromEntries(concurrent.reps.map((r) => [r, 10])))
  })

  it('tells the new owner by e-mail', async () => {
    const { shop, reps } = await roundRobinShop(true)
    const contact = await newContact(shop)
    const mail = await waitForMail((m) => m.text.includes(contact.email))
    expect(mail.to).toEqual([`${reps[0]}@shop.test`])
    expect(mail.subject).toBe('[Pagebell] A contact was assigned to you (campaign Share new leads)')
    expect((await contactRow(contact.contact.id)).ownerId).toBe(reps[0])
  })

  it('takes the turn again when D1 fails while a new run waits for it, and the contact gets one owner', async () => {
    const { shop, reps } = await roundRobinShop(false)
    await env.DB.exec('ALTER TABLE round_robin_cursors RENAME TO round_robin_cursors_away')
    let made: Awaited<ReturnType<typeof identifiedVisitor>>
    try {
      made = await identifiedVisitor(shop)
      await runDurableObjectAlarm(contactStub(env, made.contact.id))
      // The turn could not be taken: the contact keeps the site's default owner, its run is not done.
      expect(reps).not.toContain((await contactRow(made.contact.id)).ownerId)
      expect((await contactStub(env, made.contact.id).campaignState()).runs).toMatchObject([{ status: 'running' }])
    } finally {
      await env.DB.exec('ALTER TABLE round_robin_cursors_away RENAME TO round_robin_cursors')
    }
    const stub = contactStub(env, made.contact.id)
    await runAlarmsUntil(stub, async () => (await stub.campaignState()).runs.every((r) => r.status === 'done'))
    expect((await contactRow(made.contact.id)).ownerId).toBe(reps[0])
    expect((await stub.campaignState()).runs).toMatchObject([{ status: 'done' }])
  })

  it('passes over a deactivated rep without spending a turn: the next active rep gets the contact, then the turns go on', async () => {
    const { shop, reps } = await roundRobinShop(false)
    const [ann, bob, cid] = reps as [string, string, string]
    const owners: Array<string | null> = []
    const next = async () => owners.push((await contactRow((await newContact(shop)).contact.id)).ownerId)

    await next()
    expect(await deactivate(env, shop.workspaceId, bob)).toMatchObject({ ok: true })
    for (let i = 0; i < 4; i++) await next()
    // Bob's turn went to Cid, and Ann and Cid share the rest evenly; nobody was left without an owner.
    expect(owners).toEqual([ann, cid, ann, cid, ann])
  })
})
