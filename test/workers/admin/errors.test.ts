// One error type, two renderings: the REST API answers refusals as JSON, the admin UI as a page
// in its layout, with the same status.
import { describe, expect, it, beforeAll } from 'vitest'
import { api, apiJson, createAdminWorkspace, logIn, PASSWORD, validAlert, web, type AdminFixture, type ApiAlert } from './admin-fixture'

let ws: AdminFixture

beforeAll(async () => {
  ws = await createAdminWorkspace()
})

describe('admin errors', () => {
  it('answers an unknown alert with JSON in the API and with a page in the UI', async () => {
    const res = await api(ws.admin.token, 'GET', '/alerts/alr_unknown')
    expect(res.status).toBe(404)
    expect(res.headers.get('content-type')).toMatch(/^application\/json/)
    expect(await res.json()).toEqual({ error: 'not found', reason: 'no alert with this id in your workspace' })

    const { cookie } = await logIn(ws.admin.email, PASSWORD)
    const page = await web(cookie, 'GET', '/admin/alerts/alr_unknown')
    expect(page.status).toBe(404)
    expect(page.headers.get('content-type')).toMatch(/^text\/html/)
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'")
    const text = await page.text()
    expect(text).toContain('<h1>Not found</h1>')
    expect(text).toContain('No alert with this id in your workspace.')
    expect(text).toContain('<a href="/admin/alerts">All alerts</a>')
  })

  it('leads back from a refused page to the list of its own section', async () => {
    const { cookie } = await logIn(ws.admin.email, PASSWORD)
    const contact = await (await web(cookie, 'GET', '/admin/contacts/ct_unknown')).text()
    expect(contact).toContain('No contact with this id in your workspace.')
    expect(contact).toContain('<a href="/admin/contacts">All contacts</a>')
    expect(contact).not.toContain('All alerts')
    const campaign = await web(cookie, 'GET', '/admin/campaigns/cmp_unknown')
    expect(campaign.status).toBe(404)
    expect(await campaign.text()).toContain('<a href="/admin/campaigns">All campaigns</a>')
  })

  it('refuses a sales rep with JSON in the API and with a page in the UI', async () => {
    const alert = await apiJson<ApiAlert>(ws.admin.token, 'POST', '/alerts', validAlert())
    const res = await api(ws.sales.token, 'POST', `/alerts/${alert.id}/toggle`)
    expect(res.status).toBe(403)
    expect(await res.json()).toEqual({ error: 'forbidden', reason: 'your role (sales) cannot do this; it needs admin or marketer' })

    const { cookie } = await logIn(ws.sales.email, PASSWORD)
    const page = await web(cookie, 'GET', '/admin/alerts/new')
    expect(page.status).toBe(403)
    expect(page.headers.get('content-type')).toMatch(/^text\/html/)
    expect(await page.text()).toContain('Your role (sales) cannot do this; it needs admin or marketer.')
    await api(ws.admin.token, 'DELETE', `/alerts/${alert.id}`)
  })
})
