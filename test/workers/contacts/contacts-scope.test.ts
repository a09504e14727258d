// Sales reps see only their own contacts and their own outbox rows (the rows of the contacts they
// own), in the REST API and in the web UI; another's contact is a 404, as if it did not exist. A
// rep changes the fields and tags of their contacts but not the owner, and neither assigns nor
// erases.
import { env } from 'cloudflare:test'
import { beforeAll, describe, expect, it } from 'vitest'
import { api, apiJson, createAdminWorkspace, logIn, PASSWORD, web, type AdminFixture } from '../admin/admin-fixture'
import { insertContacts, uniqueEmail } from './contacts-fixture'

let ws: AdminFixture
let mine: string[]
let theirs: string
let unassigned: string
const emails = { mine: [uniqueEmail('rep-a'), uniqueEmail('rep-b')], theirs: uniqueEmail('admins'), unassigned: uniqueEmail('nobodys') }
let deliveries: { mine: string; theirs: string }
let alertId: string

beforeAll(async () => {
  ws = await createAdminWorkspace()
  mine = await insertContacts(ws, [
    { email: emails.mine[0]!, name: 'Rep One', ownerId: ws.sales.id },
    { email: emails.mine[1]!, name: 'Rep Two', ownerId: ws.sales.id },
  ])
  ;[theirs] = (await insertContacts(ws, [{ email: emails.theirs, name: 'Admin Lead', ownerId: ws.admin.id }])) as [string]
  ;[unassigned] = (await insertContacts(ws, [{ email: emails.unassigned, ownerId: null }])) as [string]
  // One outbox row each for a rep's contact and the admin's.
  alertId = await ws.shop.addAlert('Pricing', { pages: [{ pattern: '/pricing', minSeconds: 0 }] })
  const row = (contactId: string, subject: string) =>
    env.DB.prepare(
      `INSERT INTO alert_deliveries (id, workspace_id, alert_id, contact_id, alert_key, status, subject, recipients)
       VALUES (?, ?, ?, ?, ?, 'failed', ?, '[]')`,
    ).bind(crypto.randomUUID(), ws.shop.workspaceId, alertId, contactId, crypto.randomUUID(), subject)
  const [a, b] = [row(mine[0]!, `Alert about ${emails.mine[0]}`), row(theirs, `Alert about ${emails.theirs}`)]
  await env.DB.batch([a, b])
  const ids = await env.DB.prepare('SELECT id, contact_id FROM alert_deliveries WHERE workspace_id = ?')
    .bind(ws.shop.workspaceId)
    .all<{ id: string; contact_id: string }>()
  deliveries = {
    mine: ids.results.find((r) => r.contact_id === mine[0])!.id,
    theirs: ids.results.find((r) => r.contact_id === theirs)!.id,
  }
})

const listAs = async (token: string, query = '') =>
  (await apiJson<{ contacts: Array<{ email: string }> }>(token, 'GET', `/contacts${query}`)).contacts.map((c) => c.email).sort()

describe('contacts: a sales rep in the API', () => {
  it('lists, searches, filters and exports only their own contacts', async () => {
    expect(await listAs(ws.sales.token)).toEqual([...emails.mine].sort())
    expect(await listAs(ws.sales.token, `?owner=${ws.admin.id}`)).toEqual([...emails.mine].sort())
    expect(await listAs(ws.sales.token, '?owner=none')).toEqual([...emails.mine].sort())
    expect(await listAs(ws.sales.token, '?q=admin')).toEqual([])
    expect(await listAs(ws.admin.token)).toEqual([...emails.mine, emails.theirs, emails.unassigned].sort())
    const csv = await (await api(ws.sales.token, 'GET', '/contacts/export')).text()
    expect(csv).toContain(emails.mine[0])
    expect(csv).not.toContain(emails.theirs)
  })

  it("gets 404 for another's contact and for an unassigned one, on every route", async () => {
    for (const id of [theirs, unassigned]) {
      for (const [method, path, body] of [
        ['GET', `/contacts/${id}`, undefined],
        ['GET', `/contacts/${id}/activity`, undefined],
        ['PATCH', `/contacts/${id}`, { name: 'Taken' }],
      ] as const) {
        expect((await api(ws.sales.token, method, path, body)).status, `${method} ${path}`).toBe(404)
      }
    }
    expect((await apiJson<{ name: string }>(ws.admin.token, 'GET', `/contacts/${theirs}`)).name).toBe('Admin Lead')
  })

  it('changes the fields and tags of their own contact, not its owner; neither assigns nor erases', async () => {
    const changed = await apiJson<{ company: string; tags: string[] }>(ws.sales.token, 'PATCH', `/contacts/${mine[1]}`, {
      company: 'Called back',
      tags: ['warm'],
    })
    expect(changed).toMatchObject({ company: 'Called back', tags: ['warm'] })
    const handOver = await api(ws.sales.token, 'PATCH', `/contacts/${mine[1]}`, { ownerId: ws.admin.id })
    expect(handOver.status).toBe(403)
    expect(await handOver.json()).toMatchObject({ error: 'forbidden' })
    expect((await api(ws.sales.token, 'POST', '/contacts/assign', { ids: [theirs], ownerId: ws.sales.id })).status).toBe(403)
    expect((await api(ws.sales.token, 'POST', `/contacts/${mine[1]}/erase`)).status).toBe(403)
    expect((await apiJson<{ owner: { id: string } }>(ws.admin.token, 'GET', `/contacts/${mine[1]}`)).owner.id).toBe(ws.sales.id)
  })

  it('sees only the outbox rows of their own contacts', async () => {
    type Outbox = { deliveries: Array<{ id: string }> }
    expect((await apiJson<Outbox>(ws.sales.token, 'GET', '/outbox')).deliveries.map((d) => d.id)).toEqual([deliveries.mine])
    expect((await apiJson<Outbox>(ws.admin.token, 'GET', '/outbox')).deliveries.map((d) => d.id).sort()).toEqual(
      [deliveries.mine, deliveries.theirs].sort(),
    )
    expect((await api(ws.sales.token, 'POST', `/outbox/${deliveries.theirs}/resend`)).status).toBe(403)
  })
})

describe('contacts: a sales rep in the web UI', () => {
  it('sees only their own contacts and outbox rows, without the bulk form, the owner field or erase', async () => {
    const cookie = (await logIn(ws.sales.email, PASSWORD)).cookie
    const list = await (await web(cookie, 'GET', '/admin/contacts')).text()
    for (const email of emails.mine) expect(list).toContain(email)
    expect(list).not.toContain(emails.theirs)
    expect(list).not.toContain(emails.unassigned)
    expect(list).toContain('You see the contacts you own.')
    expect(list).not.toContain('id="bulk-assign"')
    expect(list).not.toContain('name="owner"')

    const page = await web(cookie, 'GET', `/admin/contacts/${mine[0]}`)
    expect(page.status).toBe(200)
    const profile = await page.text()
    expect(profile).toContain('name="tags"')
    expect(profile).not.toContain('name="ownerId"')
    expect(profile).not.toContain('Erase contact')
    expect((await web(cookie, 'GET', `/admin/contacts/${theirs}`)).status).toBe(404)
    expect((await web(cookie, 'POST', '/admin/contacts/assign', { ids: theirs, ownerId: ws.sales.id })).status).toBe(403)
    expect((await web(cookie, 'POST', `/admin/contacts/${mine[0]}/erase`, {})).status).toBe(403)

    const outbox = await (await web(cookie, 'GET', '/admin/outbox')).text()
    expect(outbox).toContain(`Alert about ${emails.mine[0]}`)
    expect(outbox).not.toContain(`Alert about ${emails.theirs}`)
    const adminCookie = (await logIn(ws.admin.email, PASSWORD)).cookie
    expect(await (await web(adminCookie, 'GET', '/admin/outbox')).text()).toContain(`Alert about ${emails.theirs}`)
  })

  it("sees only their own contacts' rows among an alert's recent deliveries on its page", async () => {
    const cookie = (await logIn(ws.sales.email, PASSWORD)).cookie
    const page = await web(cookie, 'GET', `/admin/alerts/${alertId}`)
    expect(page.status).toBe(200)
    const html = await page.text()
    expect(html).toContain(`Alert about ${emails.mine[0]}`)
    expect(html).not.toContain(`Alert about ${emails.theirs}`)
    const adminCookie = (await logIn(ws.admin.email, PASSWORD)).cookie
    expect(await (await web(adminCookie, 'GET', `/admin/alerts/${alertId}`)).text()).toContain(`Alert about ${emails.theirs}`)
  })
})
