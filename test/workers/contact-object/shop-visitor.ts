// Drives the collect endpoint as a visitor of the fixture's shop would: page views, visibility
// signals and identities, with fresh event ids.
import { env } from 'cloudflare:test'
import type { OutgoingEvent } from '../../../sdk/wire'
import { createDb } from '../../../worker/db/client'
import { findContactByEmail } from '../../../worker/db/queries/contacts'
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

/** Opens a page and reports one visibility signal; returns the visit id. */
export async function openPage(shop: Fixture, visitor: string, path: string, state: Signal, visibleMs: number) {
  const visit = newId('visit')
  await sendShop(shop, visitor, [pageview(visit, path), engage(visit, state, visibleMs)])
  return visit
}
