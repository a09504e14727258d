// The sites REST API: create, read, update, delete; allowed domains checked and stored as
// browsers send them; cursor pages; roles; another workspace's ids are 404; a refused body
// changes nothing; a deleted site's key stops collecting.
import { env } from 'cloudflare:test'
import { beforeAll, describe, expect, it } from 'vitest'
import { newId, postBatch } from '../support/collect'
import { api, apiJson, createAdminWorkspace, type AdminFixture } from './admin-fixture'

type ApiSite = {
  id: string
  name: string
  key: string
  allowedDomains: string[]
  defaultOwnerId: string | null
  requireVerifiedIdentity: boolean
  honorPrivacySignals: boolean
  snippet: string
  install: { lastEventAt: number | null; lastEventOrigin: string | null }
  createdAt: number
}
type Page = { sites: ApiSite[]; nextCursor: string | null }

let ws: AdminFixture
let other: AdminFixture

beforeAll(async () => {
  ws = await createAdminWorkspace()
  other = await createAdminWorkspace()
})

const newSite = (overrides: Record<string, unknown> = {}) => ({ name: 'Store', allowedDomains: ['store.test'], ...overrides })

async function create(f: AdminFixture, overrides: Record<string, unknown> = {}): Promise<ApiSite> {
  return apiJson<ApiSite>(f.admin.token, 'POST', '/sites', newSite(overrides))
}

/** Every site of the workspace as stored, to show that a refused request changed nothing. */
const stored = async (f: AdminFixture) =>
  (await env.DB.prepare('SELECT * FROM sites WHERE workspace_id = ? ORDER BY id').bind(f.shop.workspaceId).all()).results

describe('sites API: create, read, update, delete', () => {
  it('creates a site with a key, a snippet and the creator as default owner, reads it, changes it and deletes it', async () => {
    const res = await api(ws.admin.token, 'POST', '/sites', newSite({ allowedDomains: ['https://www.Store.test/shop?x=1', 'store.test'] }))
    expect(res.status).toBe(201)
    const site = await res.json<ApiSite>()
    expect(res.headers.get('location')).toBe(`/api/v1/sites/${site.id}`)
    expect(site).toMatchObject({
      name: 'Store',
      allowedDomains: ['www.store.test', 'store.test'],
      defaultOwnerId: ws.admin.id,
      requireVerifiedIdentity: false,
      honorPrivacySignals: false,
      install: { lastEventAt: null, lastEventOrigin: null },
    })
    expect(site.key).toMatch(/^pk_[\w-]{22}$/)
    expect(site.snippet).toBe(`<script async src="https://pagebell.test/pb.js" data-site="${site.key}"></script>`)

    expect(await apiJson(ws.sales.token, 'GET', `/sites/${site.id}`)).toEqual(site)
    const changed = await apiJson<ApiSite>(ws.admin.token, 'PATCH', `/sites/${site.id}`, {
      name: 'Store (EU)',
      defaultOwnerId: ws.sales.id,
      honorPrivacySignals: true,
    })
    expect(changed).toMatchObject({
      name: 'Store (EU)',
      defaultOwnerId: ws.sales.id,
      honorPrivacySignals: true,
      allowedDomains: site.allowedDomains,
    })
    expect(changed.snippet).toContain(' data-dnt>')

    expect((await api(ws.admin.token, 'DELETE', `/sites/${site.id}`)).status).toBe(204)
    expect((await api(ws.admin.token, 'GET', `/sites/${site.id}`)).status).toBe(404)
    expect((await api(ws.admin.token, 'DELETE', `/sites/${site.id}`)).status).toBe(404)
  })

  it('stores international domain names in punycode, drops `*.` and duplicates, and keeps IP addresses and localhost', async () => {
    const site = await create(ws, { allowedDomains: ['Bücher.de', '*.bücher.de', 'localhost:3000', '127.0.0.1', 'xn--bcher-kva.de'] })
    expect(site.allowedDomains).toEqual(['xn--bcher-kva.de', 'localhost', '127.0.0.1'])
  })

  it('takes an explicit null as "no default owner"', async () => {
    expect(await create(ws, { defaultOwnerId: null })).toMatchObject({ defaultOwnerId: null })
  })

  it('deletes the rows that name the site, and its key stops collecting (404)', async () => {
    const site = await create(ws, { allowedDomains: ['localhost'] })
    const batch = () => ({
      site: site.key,
      visitor: newId('v'),
      events: [{ id: newId('e'), type: 'pageview', visit: newId('visit'), url: 'http://localhost/', title: 'Home' }],
    })
    expect((await postBatch(batch())).status).toBe(200)
    await env.DB.prepare("INSERT INTO site_drops (site_id, day, reason, count) VALUES (?, '2030-01-01', 'bot', 3)").bind(site.id).run()
    expect((await api(ws.admin.token, 'DELETE', `/sites/${site.id}`)).status).toBe(204)
    expect(await env.DB.prepare('SELECT count(*) AS n FROM site_drops WHERE site_id = ?').bind(site.id).first('n')).toBe(0)
    const res = await postBatch(batch())
    expect(res.status).toBe(404)
    expect(await res.json()).toEqual({ error: 'unknown site' })
  })
})

describe('sites API: pages', () => {
  it('walks every site once, in creation order, with the cursor', async () => {
    const mine = await createAdminWorkspace()
    const made = []
    for (const name of ['A', 'B', 'C', 'D', 'E']) made.push((await create(mine, { name })).id)
    const seen: string[] = []
    let cursor: string | null = null
    let pages = 0
    do {
      const page: Page = await apiJson<Page>(mine.marketer.token, 'GET', `/sites?limit=2${cursor ? `&cursor=${cursor}` : ''}`)
      expect(page.sites.length).toBeLessThanOrEqual(2)
      seen.push(...page.sites.map((s) => s.id))
      cursor = page.nextCursor
      pages++
    } while (cursor)
    // The fixture's own site comes first.
    expect(seen).toEqual([mine.shop.siteId, ...made])
    expect(pages).toBe(3)
  })

  it.each([
    ['limit=0', 'limit'],
    ['limit=101', 'limit'],
    ['limit=ten', 'limit'],
    ['cursor=not-a-cursor!', 'cursor'],
    [`cursor=${btoa('hello')}`, 'cursor'],
  ])('refuses ?%s with a 400 naming the parameter', async (query, field) => {
    const res = await api(ws.admin.token, 'GET', `/sites?${query}`)
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({ error: 'invalid query', field })
  })
})

describe('sites API: validation', () => {
  const cases: Array<[string, string, unknown]> = [
    ['body not JSON', 'body', '{"name":'],
    ['body not an object', 'body', ['store.test']],
    ['unknown field', 'colour', newSite({ colour: 'red' })],
    ['name missing', 'name', { allowedDomains: ['store.test'] }],
    ['name empty', 'name', newSite({ name: '  ' })],
    ['name with a line break', 'name', newSite({ name: 'a\nb' })],
    ['domains missing', 'allowedDomains', { name: 'Store' }],
    ['no domain', 'allowedDomains', newSite({ allowedDomains: [] })],
    ['domains as one string', 'allowedDomains', newSite({ allowedDomains: 'store.test' })],
    ['a domain with a space', 'allowedDomains.1', newSite({ allowedDomains: ['store.test', 'store test.com'] })],
    ['a single label', 'allowedDomains.0', newSite({ allowedDomains: ['intranet'] })],
    ['another scheme', 'allowedDomains.0', newSite({ allowedDomains: ['ftp://store.test'] })],
    ['a number as domain', 'allowedDomains.0', newSite({ allowedDomains: [42] })],
    ['a numeric top-level label', 'allowedDomains.0', newSite({ allowedDomains: ['store.123'] })],
    ['too many domains', 'allowedDomains', newSite({ allowedDomains: Array.from({ length: 51 }, (_, i) => `d${i}.test`) })],
    ['owner of another workspace', 'defaultOwnerId', newSite({ defaultOwnerId: 'usr_of_nobody' })],
    ['owner not text', 'defaultOwnerId', newSite({ defaultOwnerId: 7 })],
    ['verified not boolean', 'requireVerifiedIdentity', newSite({ requireVerifiedIdentity: 'yes' })],
  ]

  it.each(cases)('refuses a new site with %s: 400 naming %s, nothing stored', async (_, field, body) => {
    const before = await stored(ws)
    const res = await api(ws.admin.token, 'POST', '/sites', body)
    expect(res.status).toBe(400)
    const json = await res.json<{ error: string; field: string; reason: string; errors: unknown[] }>()
    expect(json).toMatchObject({ error: 'invalid site', field })
    expect(json.reason.length).toBeGreaterThan(5)
    expect(await stored(ws)).toEqual(before)
  })

  it('names the domain it refuses', async () => {
    const res = await api(ws.admin.token, 'POST', '/sites', newSite({ allowedDomains: ['store test.com'] }))
    expect(await res.json()).toMatchObject({ reason: '"store test.com" is not a domain name (write it as shop.com)' })
  })

  it('refuses a change to an owner of another workspace and changes nothing', async () => {
    const site = await create(ws)
    const before = await stored(ws)
    const res = await api(ws.admin.token, 'PATCH', `/sites/${site.id}`, { name: 'Renamed', defaultOwnerId: other.admin.id })
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({ field: 'defaultOwnerId' })
    expect(await stored(ws)).toEqual(before)
  })
})

describe('sites API: roles and workspaces', () => {
  it('lets marketers and sales reps read but not change (403), and changes nothing', async () => {
    const site = await create(ws)
    const before = await stored(ws)
    for (const user of [ws.marketer, ws.sales]) {
      expect((await api(user.token, 'GET', '/sites')).status).toBe(200)
      expect((await api(user.token, 'GET', `/sites/${site.id}`)).status).toBe(200)
      for (const [method, path, body] of [
        ['POST', '/sites', newSite()],
        ['PATCH', `/sites/${site.id}`, { name: 'x' }],
        ['DELETE', `/sites/${site.id}`, undefined],
      ] as const) {
        const res = await api(user.token, method, path, body)
        expect(res.status).toBe(403)
        expect(await res.json()).toMatchObject({ error: 'forbidden' })
      }
    }
    expect(await stored(ws)).toEqual(before)
  })

  it("answers 404 for another workspace's site, whatever the method, and lists only its own", async () => {
    const theirs = await create(other)
    const before = await stored(other)
    for (const [method, body] of [
      ['GET', undefined],
      ['PATCH', { name: 'Mine now' }],
      ['DELETE', undefined],
    ] as const) {
      const res = await api(ws.admin.token, method, `/sites/${theirs.id}`, body)
      expect(res.status).toBe(404)
      expect(await res.json()).toMatchObject({ error: 'not found' })
    }
    expect(await stored(other)).toEqual(before)
    const mine = await apiJson<Page>(ws.admin.token, 'GET', '/sites?limit=100')
    expect(mine.sites.map((s) => s.id)).not.toContain(theirs.id)
  })

  it('refuses without a token (401)', async () => {
    expect((await api(null, 'GET', '/sites')).status).toBe(401)
  })
})
