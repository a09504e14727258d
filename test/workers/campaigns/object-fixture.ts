// A workspace with campaigns for the contact-object campaign tests: the shop of the contact-object
// tests, sales reps, campaigns saved as the campaign store saves them (ON, the rules version bumped
// so objects reload), contacts made by real collect requests, and ways to drive a contact's object
// through its alarms (the clock jumps to each due entry) and read what it and D1 hold.
import { env, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test'
import { eq } from 'drizzle-orm'
import * as v from 'valibot'
import { contactStub } from '../../../durable-objects/contact-stub'
import { CampaignDefinition } from '../../../durable-objects/contracts/campaign'
import type { OutgoingEvent } from '../../../sdk/wire'
import { createDb } from '../../../worker/db/client'
import { insertCampaign, insertCampaignVersion, setCampaignActive } from '../../../worker/db/queries/campaigns'
import { rulesChanged } from '../../../worker/campaigns/rules-changed'
import { campaignActionDeliveries, contacts, users, workspaces } from '../../../worker/db/schema'
import { newId } from '../support/collect'
import { identifiedVisitor, sendShop } from '../contact-object/shop-visitor'
import { createWorkspace, type Fixture } from '../contact-object/workspace-fixture'

export const db = () => createDb(env.DB)

export type CampaignShop = Awaited<ReturnType<typeof campaignShop>>

export async function campaignShop(options: { webhookSecret?: string } = {}) {
  const shop = await createWorkspace({ timeZone: 'UTC' })
  if (options.webhookSecret) {
    await db().update(workspaces).set({ webhookSecret: options.webhookSecret }).where(eq(workspaces.id, shop.workspaceId))
  }

  /** An active sales rep; returns their id (their address is `<id>@shop.test`). */
  async function addRep(name = 'Rep'): Promise<string> {
    const id = newId('rep')
    await db()
      .insert(users)
      .values({ id, workspaceId: shop.workspaceId, email: `${id}@shop.test`, name, role: 'sales' })
    return id
  }

  /** Saves a campaign, switches it ON and bumps the rules version, as the campaign service does. */
  async function addCampaign(input: v.InferInput<typeof CampaignDefinition>): Promise<string> {
    const id = newId('cmp')
    const definition = v.parse(CampaignDefinition, input)
    await insertCampaign(db(), { id, workspaceId: shop.workspaceId, createdBy: shop.ownerId, definition })
    await setCampaignActive(db(), shop.workspaceId, id, true)
    await rulesChanged(db(), shop.workspaceId)
    return id
  }

  async function editCampaign(id: string, input: v.InferInput<typeof CampaignDefinition>): Promise<void> {
    const definition = v.parse(CampaignDefinition, input)
    await insertCampaignVersion(db(), { id, workspaceId: shop.workspaceId, createdBy: shop.ownerId, definition })
    await rulesChanged(db(), shop.workspaceId)
  }

  async function switchOff(id: string): Promise<void> {
    await setCampaignActive(db(), shop.workspaceId, id, false)
    await rulesChanged(db(), shop.workspaceId)
  }

  return { ...shop, addRep, addCampaign, editCampaign, switchOff }
}

/** A new contact made by a visitor's identify through /api/collect, its object settled. */
export async function newContact(shop: Fixture) {
  const made = await identifiedVisitor(shop)
  const stub = contactStub(env, made.contact.id)
  await settle(stub)
  return { ...made, stub }
}

/** Sends events as the contact's visitor, then lets its object finish what they started. */
export async function act(shop: Fixture, contact: { visitor: string; stub: Stub }, events: OutgoingEvent[]) {
  await sendShop(shop, contact.visitor, events)
  await settle(contact.stub)
}

export const track = (name: string, props: Record<string, string> = {}): OutgoingEvent => ({ id: newId('e'), type: 'track', name, props })

export const form = (visit: string, id: string): OutgoingEvent => ({
  id: newId('e'),
  type: 'form',
  visit,
  form: { id, name: '', action: '' },
  fields: { message: 'hello' },
})

export type Stub = ReturnType<typeof contactStub>

type Entry = { key: string; kind: string; due_at: number }

export const scheduleOf = (stub: Stub) =>
  runInDurableObject(stub, (_, state) =>
    state.storage.sql.exec<Entry>('SELECT key, kind, due_at FROM schedule ORDER BY due_at, key').toArray(),
  )

/** Kinds whose work is campaign work now (not the purge hours later, nor the copy of page days). */
const NOW_KINDS = new Set(['campaign-signals', 'campaign-step', 'campaign-send', 'contact-sync'])

/**
 * Lets the object finish the campaign work its events started: runs its alarm while such work is
 * due by the wall clock, and waits while its own alarm (which fires at the same time) is still
 * doing it (signals, runs between steps, effects not queued, D1 not yet written).
 */
export async function settle(stub: Stub, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    // A contact sync waits up to SYNC_EVERY_MS after the last one: the alarm's clock jumps to it.
    const due = (await scheduleOf(stub)).some((e) => NOW_KINDS.has(e.kind) && (e.due_at <= Date.now() || e.kind === 'contact-sync'))
    const { pending } = await stub.campaignState()
    const busy = pending.signals + pending.running + pending.unqueued > 0 || pending.unsynced
    if (!due && !busy) return
    if (Date.now() > deadline) throw new Error(`the object kept campaign work: ${JSON.stringify(pending)}`)
    if (due) await runDurableObjectAlarm(stub)
    else await scheduler.wait(20)
  }
}

/**
 * Drives the object's clock: runs its alarm (which jumps to the earliest entry) until `done`
 * holds, at most `rounds` times.
 */
export async function runAlarmsUntil(stub: Stub, done: () => Promise<boolean>, rounds = 30): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    if (await done()) return
    await runDurableObjectAlarm(stub)
  }
  if (!(await done())) throw new Error(`not done after ${rounds} alarms`)
}

export async function contactRow(id: string) {
  const [row] = await db().select().from(contacts).where(eq(contacts.id, id))
  if (!row) throw new Error(`no contact ${id}`)
  return row
}

export const actionRows = (contactId: string) =>
  db().select().from(campaignActionDeliveries).where(eq(campaignActionDeliveries.contactId, contactId))

/** Polls until `check` answers something other than undefined, within the deadline (real async arrivals). */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const found = await check()
    if (found !== undefined) return found
    if (Date.now() > deadline) throw new Error('nothing arrived before the deadline')
    await scheduler.wait(100)
  }
}
