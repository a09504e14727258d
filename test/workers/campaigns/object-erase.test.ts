// Erasing a contact that campaigns acted for: its campaign action rows keep no copy of it (job,
// target) and an unfinished one is closed, so a copy of the job still on the queue sends nothing.
import { env } from 'cloudflare:test'
import { beforeAll, describe, expect, it } from 'vitest'
import type { CampaignWebhookJob } from '../../../durable-objects/contracts/campaign-job'
import { eraseContact } from '../../../worker/contacts/contact-erase'
import { CONTACT_ERASED } from '../../../worker/db/queries/campaign-runs'
import { newId } from '../support/collect'
import { deliverOnce, deliveryContext, httpFault, httpRequests, smtp } from '../delivery/support'
import { act, actionRows, campaignShop, eventually, newContact, track, type CampaignShop } from './object-fixture'

let shop: CampaignShop
const hookPath = `/hook/${newId('p')}`

beforeAll(async () => {
  shop = await campaignShop({ webhookSecret: 'whsec_erase' })
  await shop.addCampaign({
    name: 'Tell the CRM',
    triggers: [{ type: 'custom-event', name: 'signup' }],
    steps: [{ id: 'crm', type: 'webhook', url: `${env.HTTP_SINK_URL}${hookPath}` }],
  })
})

describe('contact object: erasing a contact campaigns acted for', () => {
  it('scrubs and closes its action rows; the job still on the queue then sends nothing', async () => {
    const contact = await newContact(shop)
    // The receiver fails the first call: the row waits for its retry, with the job on it.
    await httpFault(503, hookPath)
    await act(shop, contact, [track('signup')])
    const [pending] = await eventually(async () => {
      const rows = await actionRows(contact.contact.id)
      return rows[0]?.attempts === 1 && rows[0].status === 'pending' ? rows : undefined
    })
    expect(pending!.error).toContain('503')
    const job = pending!.job as CampaignWebhookJob

    await eraseContact(env, { workspaceId: shop.workspaceId }, contact.contact.id)
    const [erased] = await actionRows(contact.contact.id)
    expect(erased).toMatchObject({ status: 'skipped', error: CONTACT_ERASED, job: null, target: '' })

    // The queue's retry of that job arrives after the erase.
    expect(await deliverOnce(deliveryContext(smtp()), job, 2)).toEqual({ acked: true, retried: false })
    expect((await httpRequests(hookPath)).map((r) => r.status)).toEqual([503])
  })
})
