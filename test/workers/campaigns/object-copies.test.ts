// The object's periodic copies to D1: the page days a contact visited and the campaigns' step
// counts go in one batch, whichever of the two is due first, and both entries are then done.
import { runDurableObjectAlarm } from 'cloudflare:test'
import { eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { FLUSH_STEP_COUNTS_AFTER_MS } from '../../../durable-objects/campaign-runner'
import { campaignStepCounts, contactPageDays } from '../../../worker/db/schema'
import { pageview, sendShop } from '../contact-object/shop-visitor'
import { SHOP_ORIGIN } from '../contact-object/workspace-fixture'
import { newId } from '../support/collect'
import { campaignShop, db, eventually, newContact, scheduleOf, track, type CampaignShop } from './object-fixture'

let shop: CampaignShop

beforeAll(async () => {
  shop = await campaignShop()
  await shop.addCampaign({
    name: 'Counted',
    triggers: [{ type: 'custom-event', name: 'counted' }],
    steps: [{ id: 'tag', type: 'add-tag', tag: 'counted' }],
  })
})

const copyKinds = async (stub: Parameters<typeof scheduleOf>[0]) =>
  (await scheduleOf(stub)).filter((e) => e.kind === 'flush-pages' || e.kind === 'flush-step-counts')

describe('contact object: copies to D1', () => {
  it('copies the page days along with the step counts when the counts are due first', async () => {
    const contact = await newContact(shop)
    await sendShop(shop, contact.visitor, [pageview(newId('visit'), '/pricing'), track('counted')])
    // The object's own alarm runs the campaign; its counts and the page days then wait for their copy.
    const pending = await eventually(async () => {
      const kinds = await copyKinds(contact.stub)
      return kinds.length === 2 ? kinds : undefined
    })
    const counts = pending.find((e) => e.kind === 'flush-step-counts')!
    const pages = pending.find((e) => e.kind === 'flush-pages')!
    expect(counts.due_at).toBeLessThan(pages.due_at)
    expect(counts.due_at).toBeLessThanOrEqual(Date.now() + FLUSH_STEP_COUNTS_AFTER_MS)

    // The alarm jumps to the counts' entry, a minute before the pages' own.
    expect(await runDurableObjectAlarm(contact.stub)).toBe(true)
    const stepRows = await db().select().from(campaignStepCounts).where(eq(campaignStepCounts.contactId, contact.contact.id))
    expect(stepRows.map((r) => [r.stepId, r.reached]).sort()).toEqual([
      ['@done', 1],
      ['@start', 1],
      ['tag', 1],
    ])
    const pageRows = await db().select().from(contactPageDays).where(eq(contactPageDays.contactId, contact.contact.id))
    expect(pageRows.map((r) => [r.url, r.views])).toContainEqual([`${SHOP_ORIGIN}/pricing`, 1])
    expect(await copyKinds(contact.stub)).toEqual([])
  })
})
