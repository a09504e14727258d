// The contacts REST API: pages newest first with an opaque cursor that a newer contact does not
// shift; search in e-mail, name and company (substring, case and accents ignored, % and _
// literal); filters by owner and "identified since"; reading, changing and bulk-assigning; bad
// payloads refused with field errors and nothing changed; another workspace's ids are 404; token
// scopes; CSV export with every cell quoted and formulas neutralised; the routes in the OpenAPI
// document.
import { SELF, env } from 'cloudflare:test'
import { beforeAll, describe, expect, it } from 'vitest'
import { issueApiToken } from '../../../worker/auth/api-tokens'
import { api, apiJson, BASE, createAdminWorkspace, type AdminFixture } from '../admin/admin-fixture'
import { identified, insertContacts, uniqueEmail } from './contacts-fixture'

type ApiContact = {
  id: string
  email: string
  name: string
  company: string
  phone: string
  owner: { id: string; email: string; name: string; status: string } | null
  tags: string[]
  score: number
  identifiedBy: string
  createdAt: number
  updatedAt: number
}
type Page = { contacts: ApiContact[]; nextCursor: string | null }

let ws: AdminFixture
let other: AdminFixture

beforeAll(async () => {
  ws = await createAdminWorkspace()
  other = await createAdminWorkspace()
})

const list = (f: AdminFixture, query: string) => apiJson<Page>(f.admin.token, 'GET', `/contacts${query}`)
const emailsOf = (page: Page) => page.contacts.map((c) => c.email)

/** Every contact of the workspace as stored, to show that a refused request changed nothing. */
const stored = async (f: AdminFixture) =>
  (await env.DB.prepare('SELECT * FROM contacts WHERE workspace_id = ? ORDER BY id').bind(f.shop.workspaceId).all()).results

describe('contacts API: list, search, filters, cursor', () => {
  it('pages newest first with an opaque cursor; a contact identified meanwhile does not shift the next page', async () => {
    const fresh = await createAdminWorkspace()
    const t = Date.now() - 60_000
    // Two share a creation instant: the id orders them, so no page repeats or skips one.
    const rows = [0, 1, 1, 2, 3].map((dt, i) => ({ email: `p${i}@pages.test`, createdAt: t + dt * 1000 }))
    await insertContacts(fresh, rows)
    const all = emailsOf(await list(fresh, '?limit=100'))
    expect(all).toHaveLength(5)
    expect(all[0]).toBe('p4@pages.test')
    expect(all.at(-1)).toBe('p0@pages.test')

    const first = await list(fresh, '?limit=2')
    expect(emailsOf(first)).toEqual(all.slice(0, 2))
    expect(first.nextCursor).toMatch(/^[\w-]+$/)
    await insertContacts(fresh, [{ email: 'newer@pages.test', createdAt: Date.now() }])
    const second = await list(fresh, `?limit=2&cursor=${first.nextCursor}`)
    expect(emailsOf(second)).toEqual(all.slice(2, 4))
    const third = await list(fresh, `?limit=2&cursor=${second.nextCursor}`)
    expect(emailsOf(third)).toEqual(all.slice(4))
    expect(third.nextCursor).toBeNull()
  })

  it('finds a text anywhere in the e-mail, name or company, whatever its case and accents; % and _ are plain characters', async () => {
    const fresh = await createAdminWorkspace()
    await insertContacts(fresh, [
      { email: 'zoe@kontor.test', name: 'Zoë Müller', company: 'Acme GmbH' },
      { email: 'lukasz@firma.test', name: 'Łukasz Nowak', company: '100% Organic' },
      { email: 'first_last@mail.test', name: 'Ann Smith', company: 'Initech' },
    ])
    const find = async (q: string) => emailsOf(await list(fresh, `?q=${encodeURIComponent(q)}`)).sort()
    expect(await find('muller')).toEqual(['zoe@kontor.test'])
    expect(await find('MÜLLER')).toEqual(['zoe@kontor.test'])
    expect(await find('acme')).toEqual(['zoe@kontor.test'])
    expect(await find('ZOE@KON')).toEqual(['zoe@kontor.test'])
    expect(await find('łukasz')).toEqual(['lukasz@firma.test'])
    expect(await find('nowak')).toEqual(['lukasz@firma.test'])
    expect(await find('100%')).toEqual(['lukasz@firma.test'])
    expect(await find('%')).toEqual(['lukasz@firma.test'])
    // As a wildcard, r_t would match "rst" in first_last.
    expect(await find('r_t')).toEqual([])
    expect(await find('t_l')).toEqual(['first_last@mail.test'])
    expect(await find('nobody')).toEqual([])
    // A contact identified through collect is found by what the visitor gave.
    const email = uniqueEmail('dana')
    await identified(fresh, email, { name: 'Dana Séverin', company: 'Globex' })
    expect(await find('severin')).toEqual([email])
  })

  it('filters by owner (a user, "me", "none") and by "identified since", and combines them with the search', async () => {
    const fresh = await createAdminWorkspace()
    const day = Date.parse('2026-03-10T00:00:00Z')
    await insertContacts(fresh, [
      { email: 'old@owners.test', ownerId: fresh.sales.id, createdAt: day - 1 },
      { email: 'new@owners.test', ownerId: fresh.sales.id, createdAt: day },
      { email: 'mine@owners.test', ownerId: fresh.admin.id, createdAt: day + 1000 },
      { email: 'orphan@owners.test', ownerId: null, createdAt: day + 2000 },
    ])
    const find = async (query: string) => emailsOf(await list(fresh, query)).sort()
    expect(await find(`?owner=${fresh.sales.id}`)).toEqual(['new@owners.test', 'old@owners.test'])
    expect(await find('?owner=me')).toEqual(['mine@owners.test'])
    expect(await find('?owner=none')).toEqual(['orphan@owners.test'])
    expect(await find('?identifiedSince=2026-03-10')).toEqual(['mine@owners.test', 'new@owners.test', 'orphan@owners.test'])
    expect(await find(`?identifiedSince=${encodeURIComponent('2026-03-10T00:00:01Z')}`)).toEqual(['mine@owners.test', 'orphan@owners.test'])
    expect(await find(`?owner=${fresh.sales.id}&identifiedSince=2026-03-10&q=owners`)).toEqual(['new@owners.test'])
    const [owned] = (await list(fresh, '?owner=me')).contacts
    expect(owned?.owner).toEqual({ id: fresh.admin.id, email: fresh.admin.email, name: fresh.admin.name, status: 'active' })
  })

  it.each([
    ['limit=0', 'limit'],
    ['limit=101', 'limit'],
    ['limit=ten', 'limit'],
    ['cursor=not-a-cursor!', 'cursor'],
    ['identifiedSince=yesterday', 'identifiedSince'],
    ['visited=pricing', 'visited'],
    ['visited=/a&visitedDays=91', 'visitedDays'],
    [`q=${'x'.repeat(101)}`, 'q'],
  ])('refuses the query %s with a 400 naming %s', async (query, field) => {
    const res = await api(ws.admin.token, 'GET', `/contacts?${query}`)
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({ error: 'invalid query', field })
  })
})

describe('contacts API: read, change, assign', () => {
  it('reads a contact with its owner and how it was identified, and changes its fields, tags and owner', async () => {
    const email = uniqueEmail('pat')
    const { contactId } = await identified(ws, email, { name: 'Pat Buyer' })
    const contact = await apiJson<ApiContact>(ws.marketer.token, 'GET', `/contacts/${contactId}`)
    expect(contact).toMatchObject({
      id: contactId,
      email,
      name: 'Pat Buyer',
      company: '',
      tags: [],
      score: 0,
      identifiedBy: 'identify',
      owner: { id: ws.shop.ownerId, email: `${ws.shop.ownerId}@shop.test`, name: 'Owner' },
    })

    const changed = await apiJson<ApiContact>(ws.marketer.token, 'PATCH', `/contacts/${contactId}`, {
      company: '  Umbrella  ',
      tags: ['hot lead', 'Enterprise', 'enterprise'],
      ownerId: ws.sales.id,
    })
    expect(changed).toMatchObject({ name: 'Pat Buyer', company: 'Umbrella', tags: ['hot lead', 'Enterprise'] })
    expect(changed.owner?.id).toBe(ws.sales.id)
    expect(changed.updatedAt).toBeGreaterThanOrEqual(contact.updatedAt)
    // The search follows the change.
    expect(emailsOf(await list(ws, '?q=umbrella'))).toEqual([email])
    const cleared = await apiJson<ApiContact>(ws.admin.token, 'PATCH', `/contacts/${contactId}`, { ownerId: null, tags: [] })
    expect(cleared).toMatchObject({ owner: null, tags: [], company: 'Umbrella' })
  })

  it.each([
    ['not JSON', 'body', '{'],
    ['an array', 'body', '[]'],
    ['the e-mail (the identity)', 'email', { email: 'x@y.test' }],
    ['the score', 'score', { score: 10 }],
    ['a name over 200 characters', 'name', { name: 'n'.repeat(201) }],
    ['a name with a line break', 'name', { name: 'Pat\nBcc: x@evil.test' }],
    ['a phone as a number', 'phone', { phone: 123 }],
    ['tags as text', 'tags', { tags: 'a, b' }],
    ['an empty tag', 'tags.1', { tags: ['a', ' '] }],
    ['a tag with a comma', 'tags.0', { tags: ['a,b'] }],
    ['51 tags', 'tags', { tags: Array.from({ length: 51 }, (_, i) => `t${i}`) }],
    ['an owner who is nobody here', 'ownerId', { ownerId: 'usr-nobody' }],
    [
      'an owner of another workspace',
      'ownerId',
      {
        get ownerId() {
          return other.admin.id
        },
      },
    ],
  ])('refuses %s with a 400 naming %s, and changes nothing', async (_, field, body) => {
    const { contactId } = await identified(ws, uniqueEmail('ref'), { name: 'Ref' })
    const before = await stored(ws)
    const res = await api(ws.admin.token, 'PATCH', `/contacts/${contactId}`, typeof body === 'string' ? body : { ...body })
    expect(res.status).toBe(400)
    const json = await res.json<{ error: string; field: string; errors?: Array<{ field: string }> }>()
    expect(json).toMatchObject({ error: 'invalid contact', field })
    expect(await stored(ws)).toEqual(before)
  })

  it('assigns many contacts to one owner at once, or to nobody; all or none: an unknown id is a 404 naming it', async () => {
    const ids = await insertContacts(ws, [{ email: uniqueEmail('b1') }, { email: uniqueEmail('b2') }, { email: uniqueEmail('b3') }])
    expect(await apiJson(ws.marketer.token, 'POST', '/contacts/assign', { ids, ownerId: ws.sales.id })).toEqual({ assigned: 3 })
    for (const id of ids) expect((await apiJson<ApiContact>(ws.admin.token, 'GET', `/contacts/${id}`)).owner?.id).toBe(ws.sales.id)

    const [foreign] = await insertContacts(other, [{ email: uniqueEmail('foreign') }])
    const before = await stored(ws)
    const res = await api(ws.admin.token, 'POST', '/contacts/assign', { ids: [ids[0], foreign, 'no-such-id'], ownerId: null })
    expect(res.status).toBe(404)
    expect(await res.json()).toMatchObject({
      error: 'not found',
      errors: [
        { field: 'ids.1', reason: `no contact ${foreign} in your workspace` },
        { field: 'ids.2', reason: 'no contact no-such-id in your workspace' },
      ],
    })
    expect(await stored(ws)).toEqual(before)

    expect((await api(ws.admin.token, 'POST', '/contacts/assign', { ids: [], ownerId: null })).status).toBe(400)
    expect((await api(ws.admin.token, 'POST', '/contacts/assign', { ids, ownerId: 'usr-nobody' })).status).toBe(400)
    expect((await api(ws.admin.token, 'POST', '/contacts/assign', { ids, owner: ws.admin.id })).status).toBe(400)
    const many = Array.from({ length: 501 }, (_, i) => `id${i}`)
    expect(await (await api(ws.admin.token, 'POST', '/contacts/assign', { ids: many, ownerId: null })).json()).toMatchObject({
      field: 'ids',
    })
    expect(await apiJson(ws.admin.token, 'POST', '/contacts/assign', { ids, ownerId: null })).toEqual({ assigned: 3 })
    expect((await apiJson<ApiContact>(ws.admin.token, 'GET', `/contacts/${ids[0]}`)).owner).toBeNull()
  })

  it("answers 404 for another workspace's contact on every route, and changes nothing there", async () => {
    const { contactId } = await identified(other, uniqueEmail('theirs'), { name: 'Theirs' })
    const before = await stored(other)
    for (const [method, path, body] of [
      ['GET', `/contacts/${contactId}`, undefined],
      ['GET', `/contacts/${contactId}/activity`, undefined],
      ['PATCH', `/contacts/${contactId}`, { name: 'Mine now' }],
      ['POST', `/contacts/${contactId}/erase`, undefined],
      ['DELETE', `/contacts/${contactId}`, undefined],
    ] as const) {
      const res = await api(ws.admin.token, method, path, body)
      expect(res.status, `${method} ${path}`).toBe(404)
      expect(await res.json()).toEqual({ error: 'not found', reason: 'no contact with this id in your workspace' })
    }
    expect(emailsOf(await list(ws, `?q=theirs`))).toEqual([])
    expect(await stored(other)).toEqual(before)
  })

  it('takes changes only from a token whose scope allows writing', async () => {
    const { contactId } = await identified(ws, uniqueEmail('scoped'))
    const read = (await issueApiToken(env, ws.admin, 'read only', 'read')).secret
    const write = (await issueApiToken(env, ws.admin, 'writer', 'write')).secret
    expect((await api(read, 'GET', `/contacts/${contactId}`)).status).toBe(200)
    expect((await api(read, 'GET', '/contacts/export')).status).toBe(200)
    for (const [method, path, body] of [
      ['PATCH', `/contacts/${contactId}`, { name: 'Read only' }],
      ['POST', '/contacts/assign', { ids: [contactId], ownerId: null }],
      ['POST', `/contacts/${contactId}/erase`, undefined],
    ] as const) {
      expect((await api(read, method, path, body)).status, `${method} ${path}`).toBe(403)
    }
    expect((await apiJson<ApiContact>(ws.admin.token, 'GET', `/contacts/${contactId}`)).name).toBe('')
    expect((await apiJson<ApiContact>(write, 'PATCH', `/contacts/${contactId}`, { name: 'Written' })).name).toBe('Written')
  })

  it('needs a token', async () => {
    expect((await api(null, 'GET', '/contacts')).status).toBe(401)
    expect((await api('pb_wrong', 'POST', '/contacts/assign', { ids: ['x'], ownerId: null })).status).toBe(401)
  })
})

describe('contacts API: CSV export', () => {
  it('exports what the filters find, every cell quoted, a formula neutralised', async () => {
    const fresh = await createAdminWorkspace()
    await insertContacts(fresh, [
      { email: 'eve@csv.test', name: '=HYPERLINK("http://evil.test","click")', company: 'Acme, "Inc"', tags: ['a', 'b'] },
      { email: 'bob@csv.test', name: 'Bob', phone: '+48 600 100 200' },
      { email: 'other@elsewhere.test', name: 'Not exported' },
    ])
    const res = await api(fresh.admin.token, 'GET', '/contacts/export?q=csv.test')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="contacts.csv"')
    const lines = (await res.text()).split('\r\n')
    expect(lines[0]).toBe(
      '"id","email","name","company","phone","owner_email","owner_name","tags","score","identified_by","identified_at","updated_at"',
    )
    expect(lines).toHaveLength(4)
    expect(lines.at(-1)).toBe('')
    const eve = lines.find((l) => l.includes('eve@csv.test'))
    expect(eve).toContain(`,"'=HYPERLINK(""http://evil.test"",""click"")","Acme, ""Inc""",`)
    expect(eve).toContain(',"a, b",')
    expect(lines.find((l) => l.includes('bob@csv.test'))).toContain(`,"'+48 600 100 200",`)
    expect((await api(fresh.admin.token, 'GET', '/contacts/export?visited=nope')).status).toBe(400)
  })
})

describe('contacts API: OpenAPI', () => {
  it('describes every contacts route with its parameters and schemas', async () => {
    const doc = await (
      await SELF.fetch(`${BASE}/api/v1/openapi.json`)
    ).json<{
      paths: Record<string, Record<string, { parameters?: Array<{ name: string }> }>>
      components: { schemas: Record<string, unknown> }
    }>()
    expect(Object.keys(doc.paths['/contacts'] ?? {})).toEqual(['get'])
    expect(doc.paths['/contacts']?.get?.parameters?.map((p) => p.name)).toEqual(
      expect.arrayContaining(['q', 'owner', 'identifiedSince', 'visited', 'visitedDays', 'limit', 'cursor']),
    )
    expect(Object.keys(doc.paths['/contacts/{id}'] ?? {}).sort()).toEqual(['delete', 'get', 'patch'])
    for (const path of ['/contacts/{id}/activity', '/contacts/{id}/erase', '/contacts/assign', '/contacts/export']) {
      expect(doc.paths[path], path).toBeDefined()
    }
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining(['Contact', 'ContactPage', 'ContactPatch', 'ContactAssignment', 'Timeline', 'TimelineItem']),
    )
  })
})
