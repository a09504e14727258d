// Alert jobs on their way to the queue: a job for the largest contact and activity the wire and
// the admin allow stays far below the queue's 128 KB limit and goes out; a job the queue refuses
// holds up no other, and is given up after MAX_QUEUE_ATTEMPTS with its reason in its reservation
// instead of re-arming the alarm forever.
import { env, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test'
import { beforeAll, describe, expect, it } from 'vitest'
import { MAX_QUEUE_ATTEMPTS } from '../../../durable-objects/contact-object'
import { contactStub } from '../../../durable-objects/contact-stub'
import type { ContactStore } from '../../../durable-objects/contact-store'
import type { AlertJob } from '../../../durable-objects/contracts/alert-job'
import { MAX_JOB_BYTES } from '../../../durable-objects/rules/bounded-job'
import { LIMITS, type OutgoingEvent } from '../../../sdk/wire'
import { createDb } from '../../../worker/db/client'
import { findContactByEmail } from '../../../worker/db/queries/contacts'
import { newId, waitForMail } from '../support/collect'
import { identifiedVisitor, readPage, sendShop } from './shop-visitor'
import { createWorkspace, SHOP_ORIGIN, type Fixture } from './workspace-fixture'

let shop: Fixture

beforeAll(async () => {
  shop = await createWorkspace()
  await shop.addAlert('Pricing', { pages: [{ pattern: '/pricing/**', minSeconds: 10 }], count: 5 })
  await shop.addAlert('Checkout', { pages: [{ pattern: '/checkout/**', minSeconds: 0 }], count: 5 })
})

/** Text as large as the wire lets through, three bytes of UTF-8 to a character. */
const heavy = (length: number = LIMITS.text) => '€'.repeat(length)

type Stub = ReturnType<typeof contactStub>

const storedJobs = (stub: Stub) =>
  runInDurableObject(stub, (_, state) => state.storage.sql.exec<{ job: string }>('SELECT job FROM reservations').toArray())
const scheduledKinds = (stub: Stub) =>
  runInDurableObject(stub, (_, state) =>
    state.storage.sql
      .exec<{ kind: string }>('SELECT kind FROM schedule ORDER BY due_at')
      .toArray()
      .map((e) => e.kind),
  )

describe('contact object: bounded alert jobs', () => {
  it('queues the job of a worst-case contact and activity, far below the queue limit', async () => {
    const visitor = newId('v')
    const email = `${'a'.repeat(60)}.${newId('big')}@${'b'.repeat(150)}.test`
    const traits = { name: heavy(), company: heavy(), phone: heavy() }
    await sendShop(shop, visitor, [{ id: newId('e'), type: 'identify', email, traits }])
    // What an admin can set: many long tags, a long owner name; the next claim reads them back.
    const contact = await findContactByEmail(createDb(env.DB), shop.workspaceId, email)
    await env.DB.prepare('UPDATE contacts SET tags = ? WHERE id = ?')
      .bind(JSON.stringify(Array.from({ length: 200 }, (_, i) => `${i}${heavy(500)}`)), contact!.id)
      .run()
    await env.DB.prepare('UPDATE users SET name = ? WHERE id = ?').bind(heavy(5_000), shop.ownerId).run()
    await sendShop(shop, visitor, [{ id: newId('e'), type: 'identify', email, traits }])

    // Ten forms of the largest events the wire takes, then a page with the longest URL and title.
    const fields = Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`field${i}`, heavy()]))
    for (let i = 0; i < 10; i++) {
      const form: OutgoingEvent = { id: newId('e'), type: 'form', visit: newId('visit'), form: { id: heavy(256) }, fields }
      await sendShop(shop, visitor, [form])
    }
    const visit = newId('visit')
    const longPath = `/checkout/${'é'.repeat(LIMITS.url - 40)}`
    const page: OutgoingEvent = { id: newId('e'), type: 'pageview', visit, url: `${SHOP_ORIGIN}${longPath}`, title: heavy() }
    await sendShop(shop, visitor, [page])

    const stub = contactStub(env, contact!.id)
    const [stored] = await storedJobs(stub)
    const bytes = new TextEncoder().encode(stored!.job).byteLength
    expect(bytes).toBeGreaterThan(MAX_JOB_BYTES / 2)
    expect(bytes).toBeLessThanOrEqual(MAX_JOB_BYTES)
    expect(await stub.reservations()).toMatchObject([{ queued: true, attempts: 0, gaveUpAt: null }])
    await waitForMail((m) => m.text.includes(email))
  })

  it('sends a job the queue refuses on its own: the others go out, and it is given up after its tries with the reason kept', async () => {
    const { visitor, contact, email } = await identifiedVisitor(shop)
    const stub = contactStub(env, contact.id)
    // A job reserved before jobs were bounded, too large for any queue message.
    const oversized = {
      kind: 'alert',
      alertKey: `oversized:${contact.id}`,
      alertId: 'oversized',
      workspaceId: shop.workspaceId,
      firedAt: Date.now(),
      contact,
      visit: { url: 'https://shop.test/pricing', title: 'x'.repeat(200_000), visibleMs: 10_000, startedAt: Date.now() },
      recentActivity: [],
    }
    await runInDurableObject(stub, (instance) => {
      // Through the object's own store, as its reservation was written then (jobs were not bounded).
      ;(instance as unknown as { store: ContactStore }).store.reserve(oversized as AlertJob)
    })

    const byKey = async () => {
      const all = await stub.reservations()
      return { refused: all.find((r) => r.alertKey === oversized.alertKey), sent: all.find((r) => r.alertKey !== oversized.alertKey) }
    }

    // The page view's batch tries the waiting job at once; the queue refuses it.
    await readPage(shop, visitor, '/pricing/plans')
    let { refused } = await byKey()
    expect(refused).toMatchObject({ queued: false, attempts: 1, gaveUpAt: null })
    expect(refused!.lastError).toMatch(/^queue refused the job \(2\d{5} bytes\)/)
    // Its retry 5 s later, then the alert at the 10th second: that job goes out all the same.
    expect(await runDurableObjectAlarm(stub)).toBe(true)
    expect(await runDurableObjectAlarm(stub)).toBe(true)
    const { sent } = await byKey()
    expect(sent).toMatchObject({ queued: true, attempts: 0 })
    await waitForMail((m) => m.text.includes(email))
    expect(await scheduledKinds(stub)).toContain('send-reserved')

    // Tried again from the schedule with a growing backoff, then given up: the alarm stops coming back for it.
    for (let i = 2; i < MAX_QUEUE_ATTEMPTS; i++) expect(await runDurableObjectAlarm(stub)).toBe(true)
    ;({ refused } = await byKey())
    expect(refused).toMatchObject({ queued: false, attempts: MAX_QUEUE_ATTEMPTS })
    expect(refused!.gaveUpAt).not.toBeNull()
    expect(refused!.lastError).toMatch(/^queue refused the job \(2\d{5} bytes\)/)
    expect(await scheduledKinds(stub)).toEqual(['purge'])
  })
})
