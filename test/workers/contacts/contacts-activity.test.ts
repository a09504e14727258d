// A contact's timeline and the visit data behind the "visited" filter: the timeline is read from
// the contact's object (pages with the visible time the server credited, forms with their fields,
// custom events, the alerts fired with their outbox state); the pages visited reach D1 from the
// object's alarm, never on the collect path; and a new owner reaches the object at once, so the
// next alert goes to them.
import { env, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test'
import { beforeAll, describe, expect, it } from 'vitest'
import { PAGE_DAYS_FLUSH_MS } from '../../../durable-objects/contact-object'
import { contactStub } from '../../../durable-objects/contact-stub'
import { createDb } from '../../../worker/db/client'
import { contactPageDaysOf, utcDay } from '../../../worker/db/queries/contact-pages'
import { api, apiJson, createAdminWorkspace, type AdminFixture } from '../admin/admin-fixture'
import { engage, pageview, sendAt, sendShop } from '../contact-object/shop-visitor'
import { newId, waitForMail } from '../support/collect'
import { identified, insertContacts, uniqueEmail } from './contacts-fixture'

type Item = {
  type: string
  at: number
  url?: string
  title?: string
  visibleMs?: number
  detail?: Record<string, unknown>
  alert?: { id: string; name: string | null; deliveryId: string | null; state: string }
}

let ws: AdminFixture
let pricingAlert: string

beforeAll(async () => {
  ws = await createAdminWorkspace()
  pricingAlert = await ws.shop.addAlert('Pricing at once', { pages: [{ pattern: '/pricing/**', minSeconds: 0 }], count: 10 })
})

const timeline = (contactId: string, query = '') =>
  apiJson<{ contactId: string; items: Item[] }>(ws.admin.token, 'GET', `/contacts/${contactId}/activity${query}`)

const emails = async (query: string) =>
  (await apiJson<{ contacts: Array<{ email: string }> }>(ws.admin.token, 'GET', `/contacts${query}`)).contacts.map((c) => c.email)

async function untilDelivered(contactId: string): Promise<Item> {
  const deadline = Date.now() + 10_000
  for (;;) {
    const alert = (await timeline(contactId)).items.find((i) => i.type === 'alert')
    if (alert?.alert?.state === 'sent') return alert
    if (Date.now() > deadline) throw new Error(`the alert did not reach the outbox: ${JSON.stringify(alert)}`)
    await scheduler.wait(100)
  }
}

describe('contacts: the activity timeline', () => {
  it('shows pages with their visible time, forms with their fields, custom events and the alert with its outbox state, newest first', async () => {
    const email = uniqueEmail('tim')
    const { visitor, contactId } = await identified(ws, email, { name: 'Tim Line' })
    const t = Date.now()
    const visit = newId('visit')
    await sendAt(ws.shop, visitor, [pageview(visit, '/pricing/plans')], t)
    await sendAt(ws.shop, visitor, [engage(visit, 'heartbeat', 20_000)], t + 20_000)
    await sendAt(
      ws.shop,
      visitor,
      [
        { id: newId('e'), type: 'form', visit, form: { id: 'quote' }, fields: { email, seats: '25' } },
        { id: newId('e'), type: 'track', name: 'Watched demo', props: { minutes: 3 } },
      ],
      t + 21_000,
    )

    const alert = await untilDelivered(contactId)
    expect(alert).toMatchObject({
      url: 'https://shop.test/pricing/plans',
      alert: { id: pricingAlert, name: 'Pricing at once', state: 'sent' },
    })
    expect(alert.alert?.deliveryId).toMatch(/^[\w-]{36}$/)
    const { items } = await timeline(contactId)
    expect(items.map((i) => i.type)).toEqual(['track', 'form', 'alert', 'pageview', 'contact-created', 'identify'])
    expect(items.map((i) => i.at)).toEqual([...items.map((i) => i.at)].sort((a, b) => b - a))
    expect(items[0]).toMatchObject({ title: 'Watched demo', detail: { minutes: 3 } })
    expect(items[1]).toMatchObject({ url: 'https://shop.test/pricing/plans', detail: { id: 'quote', email, seats: '25' } })
    expect(items[3]).toMatchObject({ url: 'https://shop.test/pricing/plans', title: '/pricing/plans', visibleMs: 20_000 })
    expect(items[5]).toMatchObject({ detail: { email } })

    expect((await timeline(contactId, '?limit=2')).items.map((i) => i.type)).toEqual(['track', 'form'])
    const bad = await api(ws.admin.token, 'GET', `/contacts/${contactId}/activity?limit=51`)
    expect(bad.status).toBe(400)
    expect(await bad.json()).toMatchObject({ field: 'limit' })
  })
})

describe('contacts: pages visited and the "visited" filter', () => {
  it('writes the pages to D1 from the alarm, not on the collect path, and then the pattern finds the contact', async () => {
    const email = uniqueEmail('vic')
    const { visitor, contactId } = await identified(ws, email)
    const before = Date.now()
    await sendShop(ws.shop, visitor, [pageview(newId('visit'), '/docs/api/auth'), pageview(newId('visit'), '/docs/api/auth')])
    // Collect answered without writing the page to D1; the object will copy it within the interval.
    expect(await contactPageDaysOf(createDb(env.DB), contactId)).toEqual([])
    const alarm = await runInDurableObject(contactStub(env, contactId), (_, state) => state.storage.getAlarm())
    expect(alarm).toBeGreaterThanOrEqual(before)
    expect(alarm).toBeLessThanOrEqual(Date.now() + PAGE_DAYS_FLUSH_MS)
    expect(await emails('?visited=/docs/**')).toEqual([])

    expect(await runDurableObjectAlarm(contactStub(env, contactId))).toBe(true)
    expect(await contactPageDaysOf(createDb(env.DB), contactId)).toEqual([
      { day: utcDay(Date.now()), url: 'https://shop.test/docs/api/auth', views: 2 },
    ])
    expect(await emails('?visited=/docs/**')).toEqual([email])
    expect(await emails('?visited=shop.test/docs/*/auth&visitedDays=1')).toEqual([email])
    expect(await emails('?visited=/DOCS/API/AUTH/')).toEqual([email])
    expect(await emails('?visited=/docs')).toEqual([])
    expect(await emails('?visited=other.test/docs/**')).toEqual([])
    expect(await emails(`?visited=/docs/**&q=${encodeURIComponent(email)}`)).toEqual([email])
  })

  it('looks back the number of days asked, today included', async () => {
    const [old] = await insertContacts(ws, [{ email: uniqueEmail('old-visit') }])
    const today = utcDay(Date.now())
    const url = 'https://shop.test/careers/ops'
    await env.DB.batch([
      env.DB.prepare('INSERT INTO contact_page_days (workspace_id, contact_id, day, url, views) VALUES (?, ?, ?, ?, 1)').bind(
        ws.shop.workspaceId,
        old,
        today - 40,
        url,
      ),
      env.DB.prepare('INSERT INTO workspace_pages (workspace_id, url, last_day) VALUES (?, ?, ?)').bind(
        ws.shop.workspaceId,
        url,
        today - 40,
      ),
    ])
    expect(await emails('?visited=/careers/**')).toEqual([])
    expect(await emails('?visited=/careers/**&visitedDays=40')).toEqual([])
    expect((await emails('?visited=/careers/**&visitedDays=41')).length).toBe(1)
  })
})

describe('contacts: a new owner', () => {
  it("reaches the contact's object at once: the next alert goes to the new owner", async () => {
    const email = uniqueEmail('own')
    const { visitor, contactId } = await identified(ws, email)
    expect(await apiJson(ws.marketer.token, 'POST', '/contacts/assign', { ids: [contactId], ownerId: ws.sales.id })).toEqual({
      assigned: 1,
    })
    await sendShop(ws.shop, visitor, [pageview(newId('visit'), '/pricing')])
    const mail = await waitForMail((m) => m.text.includes(email))
    expect(mail.to).toEqual([ws.sales.email])
  })
})
