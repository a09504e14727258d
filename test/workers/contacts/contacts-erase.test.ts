// Erasing a contact (docs/contacts.md): afterwards no D1 row names it or holds what it gave, its
// object's storage is empty with no alarm (read directly), its visitor is unlinked in its shard,
// its outbox row is kept for the alert's numbers with nothing personal on it, a copy of one of its
// alert jobs still on the queue sends nothing, and the same e-mail identifying later starts a new
// contact. Only admins erase.
import { env, runDurableObjectAlarm } from 'cloudflare:test'
import { beforeAll, describe, expect, it } from 'vitest'
import { contactStub } from '../../../durable-objects/contact-stub'
import type { AlertJob } from '../../../durable-objects/contracts/alert-job'
import { createDb } from '../../../worker/db/client'
import { contactPageDaysOf } from '../../../worker/db/queries/contact-pages'
import { findContactByEmail } from '../../../worker/db/queries/contacts'
import { api, apiJson, createAdminWorkspace, type AdminFixture } from '../admin/admin-fixture'
import { pageview, sendShop } from '../contact-object/shop-visitor'
import { mails, newId, waitForMail } from '../support/collect'
import { identified, objectState, rowsMentioning, shardLink, uniqueEmail } from './contacts-fixture'

let ws: AdminFixture

beforeAll(async () => {
  ws = await createAdminWorkspace()
  await ws.shop.addAlert('Pricing at once', { pages: [{ pattern: '/pricing/**', minSeconds: 0 }], count: 10 })
})

type DeliveryRow = {
  id: string
  status: string
  subject: string
  recipients: string
  recipient_outcomes: string
  job: string | null
  error: string | null
}

const deliveriesOf = async (contactId: string) =>
  (await env.DB.prepare('SELECT * FROM alert_deliveries WHERE contact_id = ? ORDER BY created_at').bind(contactId).all<DeliveryRow>())
    .results

/** Polls D1 until the contact's alert is delivered (the queue consumer runs on its own). */
async function waitForSent(contactId: string): Promise<DeliveryRow> {
  const deadline = Date.now() + 10_000
  for (;;) {
    const sent = (await deliveriesOf(contactId)).find((d) => d.status === 'sent')
    if (sent) return sent
    if (Date.now() > deadline) throw new Error('the alert was not delivered')
    await scheduler.wait(100)
  }
}

const PERSONAL_TABLES = [
  'contacts',
  'visitors',
  'contact_page_days',
  'workspace_pages',
  'alert_deliveries',
  'delivery_attempts',
  'recipient_hour_slots',
]

/** A contact who read the pricing page (an alert went out to the owner) and sent a form. */
async function activeContact() {
  const email = uniqueEmail('erin')
  const { visitor, contactId } = await identified(ws, email, { name: 'Erin Erasable', company: 'Erasure Ltd', phone: '+1 555 0100' })
  const visit = newId('visit')
  await sendShop(ws.shop, visitor, [
    pageview(visit, '/pricing/plans'),
    // A page address can carry what the visitor typed.
    pageview(newId('visit'), `/welcome?email=${encodeURIComponent(email)}`),
    { id: newId('e'), type: 'form', visit, form: { id: 'callback' }, fields: { email, message: 'Call Erin at +1 555 0100' } },
  ])
  const delivered = await waitForSent(contactId)
  await waitForMail((m) => m.text.includes(email))
  // The object copies the pages visited to D1 from its alarm.
  await runDurableObjectAlarm(contactStub(env, contactId))
  return { email, visitor, contactId, delivered }
}

describe('contacts: erase', () => {
  it('leaves no D1 row naming the contact, an empty object without alarm, no shard link, and a scrubbed outbox row', async () => {
    const { email, visitor, contactId, delivered } = await activeContact()
    // What there is to erase.
    expect((await contactPageDaysOf(createDb(env.DB), contactId)).map((d) => d.url)).toEqual([
      'https://shop.test/pricing/plans',
      `https://shop.test/welcome?email=${encodeURIComponent(email)}`,
    ])
    expect(await rowsMentioning('workspace_pages', encodeURIComponent(email))).toBe(1)
    expect(await rowsMentioning('alert_deliveries', email)).toBe(1)
    expect(await rowsMentioning('recipient_hour_slots', email)).toBe(1)
    expect(await shardLink(ws.shop.siteId, visitor)).toBe(contactId)
    expect((await objectState(contactId)).rows).toBeGreaterThan(0)

    const res = await api(ws.admin.token, 'POST', `/contacts/${contactId}/erase`)
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ contactId, visitorLinks: 1, outboxRows: 1 })

    for (const table of PERSONAL_TABLES) {
      for (const needle of [email, encodeURIComponent(email), 'Erin Erasable', 'Erasure Ltd', '555 0100']) {
        expect(await rowsMentioning(table, needle), `${table} mentions ${needle}`).toBe(0)
      }
    }
    for (const table of ['contacts', 'visitors', 'contact_page_days']) {
      const column = table === 'contacts' ? 'id' : 'contact_id'
      expect(await env.DB.prepare(`SELECT count(*) AS n FROM ${table} WHERE ${column} = ?`).bind(contactId).first('n'), table).toBe(0)
    }
    // The alert's numbers stay: the row is there, still sent, with nothing personal on it.
    const [row] = await deliveriesOf(contactId)
    expect(row).toMatchObject({ id: delivered.id, status: 'sent', subject: '', recipients: '[]', recipient_outcomes: '[]', job: null })

    expect(await objectState(contactId)).toEqual({ tables: [], rows: 0, kv: 0, alarm: null })
    expect(await shardLink(ws.shop.siteId, visitor)).toBeNull()
    expect((await api(ws.admin.token, 'GET', `/contacts/${contactId}`)).status).toBe(404)
    expect((await api(ws.admin.token, 'DELETE', `/contacts/${contactId}`)).status).toBe(404)
  })

  it('makes a later event with the same e-mail start a new contact, from the same browser or another', async () => {
    const { email, visitor, contactId } = await activeContact()
    expect((await api(ws.admin.token, 'DELETE', `/contacts/${contactId}`)).status).toBe(204)

    // The unlinked browser is anonymous again: its page view reaches no contact.
    await sendShop(ws.shop, visitor, [pageview(newId('visit'), '/blog/hello')])
    expect(await objectState(contactId)).toMatchObject({ tables: [], alarm: null })

    await sendShop(ws.shop, visitor, [{ id: newId('e'), type: 'identify', email, traits: { name: 'Erin Again' } }])
    const again = await findContactByEmail(createDb(env.DB), ws.shop.workspaceId, email)
    expect(again).not.toBeNull()
    expect(again?.id).not.toBe(contactId)
    expect(again).toMatchObject({ name: 'Erin Again', company: '' })
    expect(await shardLink(ws.shop.siteId, visitor)).toBe(again?.id)
    // The new contact has only what came after the erase (its anonymous page view joined it).
    const timeline = await apiJson<{ items: Array<{ type: string; url?: string }> }>(
      ws.admin.token,
      'GET',
      `/contacts/${again?.id}/activity`,
    )
    expect(timeline.items.map((i) => i.type)).toEqual(['contact-created', 'identify', 'pageview'])
    expect(timeline.items.some((i) => i.url?.includes('/pricing'))).toBe(false)
    expect(await objectState(contactId)).toMatchObject({ tables: [], alarm: null })

    const { contactId: other } = await identified(ws, email)
    expect(other).toBe(again?.id)
  })

  it('closes the outbox row of an alert job still on the queue, so its copy sends nothing', async () => {
    const { email, contactId, delivered } = await activeContact()
    const job = JSON.parse(delivered.job ?? 'null') as AlertJob
    // As if delivery had not opened the job yet: no outbox row, only the object's reservation.
    await env.DB.batch([
      env.DB.prepare('DELETE FROM recipient_hour_slots WHERE delivery_id = ?').bind(delivered.id),
      env.DB.prepare('DELETE FROM delivery_attempts WHERE delivery_id = ?').bind(delivered.id),
      env.DB.prepare('DELETE FROM alert_deliveries WHERE id = ?').bind(delivered.id),
    ])
    expect(await apiJson(ws.admin.token, 'POST', `/contacts/${contactId}/erase`)).toMatchObject({ outboxRows: 0 })
    const [closed] = await deliveriesOf(contactId)
    expect(closed).toMatchObject({ status: 'skipped', subject: '', job: null, error: 'the contact was erased' })

    const mailsBefore = (await mails()).filter((m) => m.text.includes(email)).length
    await env.ALERTS.send(job)
    // The consumer records that it found the row finished; nothing is sent.
    const deadline = Date.now() + 10_000
    for (;;) {
      const attempt = await env.DB.prepare('SELECT detail FROM delivery_attempts WHERE delivery_id = ?')
        .bind(closed?.id)
        .first<{ detail: string }>()
      if (attempt) {
        expect(attempt.detail).toBe('redelivered job; already skipped')
        break
      }
      if (Date.now() > deadline) throw new Error('the queued job was not handled')
      await scheduler.wait(100)
    }
    expect((await mails()).filter((m) => m.text.includes(email)).length).toBe(mailsBefore)
    expect(await rowsMentioning('alert_deliveries', email)).toBe(0)
  })

  it('is for admins only', async () => {
    const { contactId } = await identified(ws, uniqueEmail('kept'))
    for (const user of [ws.marketer, ws.sales]) {
      expect((await api(user.token, 'POST', `/contacts/${contactId}/erase`)).status).toBe(403)
      expect((await api(user.token, 'DELETE', `/contacts/${contactId}`)).status).toBe(403)
    }
    expect((await api(ws.admin.token, 'GET', `/contacts/${contactId}`)).status).toBe(200)
  })
})
