// Drives the collect endpoint as a visitor of the fixture's shop would: page views, visibility
// signals and identities, with fresh event ids. `sendAt` drives the server's clock instead.
import { env } from 'cloudflare:test'
import * as v from 'valibot'
import { visitorStub } from '../../../durable-objects/contact-stub'
import { CollectBatch, type OutgoingEvent } from '../../../sdk/wire'
import { claimedIdentity } from '../../../worker/collect/identity'
import { createDb } from '../../../worker/db/client'
import { findContactByEmail } from '../../../worker/db/queries/contacts'
import { findSiteByKey } from '../../../worker/db/queries/sites'
import { newId, postBatch } from '../support/collect'
import { SHOP_ORIGIN, type Fixture } from './workspace-fixture'

export type Signal = 'heartbeat' | 'hidden' | 'visible' | 'leave'

export async function sendShop(shop: Fixture, visitor: string, events: OutgoingEvent[]) {
  const res = await postBatch({ site: shop.siteKey, visitor, events }, { origin: SHOP_ORIGIN })
  if (res.status !== 200) throw new Error(`collect answered ${res.status}: ${await res.text()}`)
  return res.json<{ accepted: number; duplicates: number }>()
}

export const pageview = (visit: string, path: string): OutgoingEvent => ({
  id: newId('e'),
  type: 'pageview',
  visit,
  url: `${SHOP_ORIGIN}${path}`,
  title: path,
})

export const engage = (visit: string, state: Signal, visibleMs: number): OutgoingEvent => ({
  id: newId('e'),
  type: 'engage',
  visit,
  state,
  visibleMs,
})

export const identify = (email: string, sig?: string): OutgoingEvent => ({
  id: newId('e'),
  type: 'identify',
  email,
  traits: { name: 'Pat Buyer' },
  ...(sig ? { sig } : {}),
})

/** A visitor who identified through `identify`; returns the contact it became. */
export async function identifiedVisitor(shop: Fixture, sig?: (email: string) => Promise<string>) {
  const visitor = newId('v')
  const email = `${newId('pat')}@buyer.test`
  await sendShop(shop, visitor, [identify(email, sig ? await sig(email) : undefined)])
  const contact = await findContactByEmail(createDb(env.DB), shop.workspaceId, email)
  if (!contact) throw new Error('contact not created')
  return { visitor, email, contact }
}

/**
 * Sends a batch as the collect route does, but received at `receivedAt`: the route's receive
 * time is the one thing it adds from the clock, so a test that needs seconds to pass between
 * signals sets it here (later than now: the objects take the later of it and their own clock),
 * then runs the contact's alarm to reach the instant it was set for.
 */
export async function sendAt(shop: Fixture, visitor: string, events: OutgoingEvent[], receivedAt: number) {
  const site = await findSiteByKey(createDb(env.DB), shop.siteKey)
  if (!site) throw new Error('no such site')
  const batch = v.parse(CollectBatch, { site: shop.siteKey, visitor, events })
  const result = await visitorStub(env, site.id, visitor).recordEvents({
    site: {
      siteId: site.id,
      workspaceId: site.workspaceId,
      rulesVersion: site.rulesVersion,
      calendar: { timeZone: site.timeZone, weekStartsOn: site.weekStartsOn },
      requireVerifiedIdentity: site.requireVerifiedIdentity,
    },
    visitorId: visitor,
    defaultOwnerId: site.defaultOwnerId,
    events: batch.events,
    receivedAt,
    claim: await claimedIdentity(site, batch.events),
  })
  if (result.status !== 'stored') throw new Error(`the shard answered ${result.status}`)
  return result
}

/** Opens a page and leaves it open: the server credits its time from the page view's arrival on. */
export async function readPage(shop: Fixture, visitor: string, path: string) {
  const visit = newId('visit')
  await sendShop(shop, visitor, [pageview(visit, path)])
  return visit
}

/** Opens a page and reports one visibility signal in the same batch; returns the visit id. */
export async function openPage(shop: Fixture, visitor: string, path: string, state: Signal, visibleMs: number) {
  const visit = newId('visit')
  await sendShop(shop, visitor, [pageview(visit, path), engage(visit, state, visibleMs)])
  return visit
}
