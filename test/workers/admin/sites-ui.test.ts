// The sites screens of the web UI: admins add, edit and delete sites through forms checked by the
// API's schemas (errors beside the field, nothing saved); everyone sees the list, the snippet and
// the identify examples; other roles get no forms; another workspace's site is a 404 page.
import { env } from 'cloudflare:test'
import { beforeAll, describe, expect, it } from 'vitest'
import { apiJson, createAdminWorkspace, logIn, PASSWORD, web, type AdminFixture } from './admin-fixture'

let ws: AdminFixture
let other: AdminFixture
let adminCookie: string | null
let salesCookie: string | null

beforeAll(async () => {
  ws = await createAdminWorkspace()
  other = await createAdminWorkspace()
  adminCookie = (await logIn(ws.admin.email, PASSWORD)).cookie
  salesCookie = (await logIn(ws.sales.email, PASSWORD)).cookie
})

const siteForm = (overrides: Record<string, string> = {}) => ({
  name: 'Outlet',
  allowedDomains: 'outlet.test\nhttps://www.outlet.test/sale',
  defaultOwnerId: ws.sales.id,
  ...overrides,
})

const sitesOf = async (f: AdminFixture) =>
  (await env.DB.prepare('SELECT * FROM sites WHERE workspace_id = ? ORDER BY id').bind(f.shop.workspaceId).all()).results

describe('sites UI: admins', () => {
  it('adds a site through the form and shows its snippet, install check and identify examples', async () => {
    const form = await (await web(adminCookie, 'GET', '/admin/sites/new')).text()
    expect(form).toContain('<label for="site-domains">Allowed domains</label>')
    expect(form).toContain(`<option value="${ws.sales.id}"`)
    expect(form).toMatch(new RegExp(`<option value="${ws.admin.id}" +selected>`))

    const res = await web(adminCookie, 'POST', '/admin/sites/new', siteForm())
    expect(res.status).toBe(303)
    const id = /\/admin\/sites\/(site_\w+)\?notice=site-created/.exec(res.headers.get('location') ?? '')?.[1]
    expect(id).toBeDefined()
    const site = await apiJson<{ key: string; allowedDomains: string[]; defaultOwnerId: string }>(ws.admin.token, 'GET', `/sites/${id}`)
    expect(site).toMatchObject({ allowedDomains: ['outlet.test', 'www.outlet.test'], defaultOwnerId: ws.sales.id })

    const page = await (await web(adminCookie, 'GET', `/admin/sites/${id}?notice=site-created`)).text()
    expect(page).toContain('Site added. Paste its snippet into your pages.')
    expect(page).toContain(
      `&lt;script async src=&quot;https://pagebell.test/pb.js&quot; data-site=&quot;${site.key}&quot;&gt;&lt;/script&gt;`,
    )
    expect(page).toContain('data-copy="snippet"')
    expect(page).toContain('data-install="waiting"')
    for (const language of ['Node.js', 'PHP', 'Python']) expect(page).toContain(`<summary>${language}</summary>`)
    expect(page).toContain('hash_hmac(&#39;sha256&#39;, strtolower(trim($email)), $secret)')
  })

  it('refuses a form with a bad domain: 400, the reason beside the field, what was typed kept, nothing saved', async () => {
    const before = await sitesOf(ws)
    const res = await web(adminCookie, 'POST', '/admin/sites/new', siteForm({ allowedDomains: 'outlet.test\nnot a domain' }))
    expect(res.status).toBe(400)
    const page = await res.text()
    expect(page).toContain('1 field needs attention')
    expect(page).toContain('&quot;not a domain&quot; is not a domain name (write it as shop.com)')
    expect(page).toContain('aria-describedby="site-domains-help site-domains-error"')
    expect(page).toContain('outlet.test\nnot a domain</textarea')
    expect(await sitesOf(ws)).toEqual(before)
  })

  it('edits a site, and keeps its own privacy setting while the workspace honours privacy signals for all', async () => {
    const site = await apiJson<{ id: string }>(ws.admin.token, 'POST', '/sites', { name: 'Edited', allowedDomains: ['edited.test'] })
    const edited = await web(adminCookie, 'POST', `/admin/sites/${site.id}/edit`, {
      name: 'Edited <b>twice</b>',
      allowedDomains: 'edited.test, bücher.test',
      defaultOwnerId: '',
      requireVerifiedIdentity: 'on',
    })
    expect(edited.status).toBe(303)
    expect(await apiJson(ws.admin.token, 'GET', `/sites/${site.id}`)).toMatchObject({
      name: 'Edited <b>twice</b>',
      allowedDomains: ['edited.test', 'xn--bcher-kva.test'],
      defaultOwnerId: null,
      requireVerifiedIdentity: true,
      honorPrivacySignals: false,
    })
    const page = await (await web(adminCookie, 'GET', `/admin/sites/${site.id}`)).text()
    expect(page).toContain('Edited &lt;b&gt;twice&lt;/b&gt;')
    expect(page).not.toContain('<b>twice</b>')

    // The site asks for it on its own; the workspace then asks for it for all: the form shows the
    // box ticked and disabled, and posts the site's own setting back (a disabled box posts nothing).
    await apiJson(ws.admin.token, 'PATCH', `/sites/${site.id}`, { honorPrivacySignals: true })
    await apiJson(ws.admin.token, 'PATCH', '/workspace', { honorPrivacySignals: true })
    const form = await (await web(adminCookie, 'GET', `/admin/sites/${site.id}/edit`)).text()
    expect(form).toContain('On for every site of the workspace')
    expect(form).toContain('<input type="hidden" name="honorPrivacySignals" value="on" />')
    const saved = await web(adminCookie, 'POST', `/admin/sites/${site.id}/edit`, {
      name: 'Edited',
      allowedDomains: 'edited.test',
      honorPrivacySignals: 'on',
    })
    expect(saved.status).toBe(303)
    expect(await apiJson(ws.admin.token, 'GET', `/sites/${site.id}`)).toMatchObject({ honorPrivacySignals: true })
    await apiJson(ws.admin.token, 'PATCH', '/workspace', { honorPrivacySignals: false })
  })

  it('deletes a site after the confirmation the button asks for', async () => {
    const site = await apiJson<{ id: string }>(ws.admin.token, 'POST', '/sites', { name: 'Doomed', allowedDomains: ['doomed.test'] })
    const page = await (await web(adminCookie, 'GET', `/admin/sites/${site.id}`)).text()
    expect(page).toContain('data-confirm="Delete this site?')
    const res = await web(adminCookie, 'POST', `/admin/sites/${site.id}/delete`, {})
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('/admin/sites?notice=site-deleted')
    expect((await web(adminCookie, 'GET', `/admin/sites/${site.id}`)).status).toBe(404)
  })
})

describe('sites UI: other roles and workspaces', () => {
  it('shows a sales rep the list and the snippet, without forms; refuses the forms (403) and changes nothing', async () => {
    const list = await (await web(salesCookie, 'GET', '/admin/sites')).text()
    expect(list).toContain(`href="/admin/sites/${ws.shop.siteId}"`)
    expect(list).not.toContain('+ Add a site')
    expect(list).not.toContain('href="/admin/workspace"')
    const page = await (await web(salesCookie, 'GET', `/admin/sites/${ws.shop.siteId}`)).text()
    expect(page).toContain('id="snippet"')
    expect(page).not.toContain('/edit"')
    const before = await sitesOf(ws)
    expect((await web(salesCookie, 'GET', '/admin/sites/new')).status).toBe(403)
    expect((await web(salesCookie, 'GET', `/admin/sites/${ws.shop.siteId}/edit`)).status).toBe(403)
    expect((await web(salesCookie, 'POST', '/admin/sites/new', siteForm())).status).toBe(403)
    expect((await web(salesCookie, 'POST', `/admin/sites/${ws.shop.siteId}/delete`, {})).status).toBe(403)
    expect(await sitesOf(ws)).toEqual(before)
  })

  it("answers another workspace's site with a 404 page and changes nothing", async () => {
    const before = await sitesOf(other)
    for (const [method, path] of [
      ['GET', `/admin/sites/${other.shop.siteId}`],
      ['GET', `/admin/sites/${other.shop.siteId}/edit`],
      ['GET', `/admin/sites/${other.shop.siteId}/install`],
      ['POST', `/admin/sites/${other.shop.siteId}/edit`],
      ['POST', `/admin/sites/${other.shop.siteId}/delete`],
    ] as const) {
      const res = await web(adminCookie, method, path, method === 'POST' ? siteForm() : undefined)
      expect(res.status).toBe(404)
      expect(await res.text()).toContain('No site with this id in your workspace.')
    }
    expect(await sitesOf(other)).toEqual(before)
  })

  it('tells a marketer of a workspace without sites to ask an admin', async () => {
    const empty = await createAdminWorkspace()
    await env.DB.prepare('DELETE FROM sites WHERE id = ?').bind(empty.shop.siteId).run()
    const { cookie } = await logIn(empty.marketer.email, PASSWORD)
    const page = await (await web(cookie, 'GET', '/admin/sites')).text()
    expect(page).toContain('No site yet.')
    expect(page).toContain('Ask an admin of your workspace to add one.')
  })
})
