// API token scopes, enforced once in `authenticate` for every resource: a read token only reads
// (GET); a write token also changes alerts, contacts and the outbox; an admin token also changes
// users, sites and the workspace. A scope narrows its user's role and never widens it; a token
// made before scopes (scope null) acts with its user's role, as it always did.
import { env } from 'cloudflare:test'
import { beforeAll, describe, expect, it } from 'vitest'
import type { TokenScope } from '../../../worker/auth/token-scopes'
import { insertContacts, uniqueEmail } from '../contacts/contacts-fixture'
import { validAlert } from '../admin/admin-fixture'
import { api, createAdminWorkspace, logIn, newEmail, PASSWORD, tokenWithScope, web, type AdminFixture } from './users-fixture'

let ws: AdminFixture
let contactId: string

beforeAll(async () => {
  ws = await createAdminWorkspace()
  ;[contactId = ''] = await insertContacts(ws, [{ email: uniqueEmail('scoped') }])
})

type Call = { name: string; method: string; path: string; body?: () => unknown; needs: TokenScope }

const CALLS: Call[] = [
  { name: 'list alerts', method: 'GET', path: '/alerts', needs: 'read' },
  { name: 'list sites', method: 'GET', path: '/sites', needs: 'read' },
  { name: 'read the workspace', method: 'GET', path: '/workspace', needs: 'read' },
  { name: 'read the outbox', method: 'GET', path: '/outbox', needs: 'read' },
  { name: 'list contacts', method: 'GET', path: '/contacts', needs: 'read' },
  { name: 'list users', method: 'GET', path: '/users', needs: 'read' },
  { name: 'create an alert', method: 'POST', path: '/alerts', body: () => validAlert(), needs: 'write' },
  { name: 'change a contact', method: 'PATCH', path: '/contacts/:contact', body: () => ({ tags: ['scoped'] }), needs: 'write' },
  {
    name: 'assign contacts',
    method: 'POST',
    path: '/contacts/assign',
    body: () => ({ ids: [contactId], ownerId: ws.sales.id }),
    needs: 'write',
  },
  { name: 're-send from the outbox', method: 'POST', path: '/outbox/no-such-delivery/resend', needs: 'write' },
  {
    name: 'create a site',
    method: 'POST',
    path: '/sites',
    body: () => ({ name: 'Scoped', allowedDomains: ['scoped.test'] }),
    needs: 'admin',
  },
  { name: 'change the workspace', method: 'PATCH', path: '/workspace', body: () => ({ senderName: 'Scoped' }), needs: 'admin' },
  { name: 'invite a user', method: 'POST', path: '/users', body: () => ({ email: newEmail('scoped'), role: 'sales' }), needs: 'admin' },
  { name: 'change a role', method: 'PATCH', path: '/users/:sales', body: () => ({ role: 'sales' }), needs: 'admin' },
]

const RANK: Record<TokenScope, number> = { read: 0, write: 1, admin: 2 }

const call = (token: string, c: Call) =>
  api(token, c.method, c.path.replace(':contact', contactId).replace(':sales', ws.sales.id), c.body?.())

describe('API token scopes', () => {
  for (const scope of ['read', 'write', 'admin'] as const) {
    it(`${scope === 'admin' ? 'an' : 'a'} ${scope} token of an admin does what its scope covers and is refused the rest with 403`, async () => {
      const token = await tokenWithScope(ws.admin, scope)
      for (const c of CALLS) {
        const res = await call(token, c)
        const body = await res.text()
        if (RANK[scope] >= RANK[c.needs]) {
          expect([200, 201, 404], `${scope}: ${c.name} → ${res.status} ${body}`).toContain(res.status)
        } else {
          expect(res.status, `${scope}: ${c.name}`).toBe(403)
          expect(JSON.parse(body), c.name).toMatchObject({
            error: 'forbidden',
            reason: expect.stringContaining(`${scope} scope`) as unknown,
          })
          expect(res.headers.get('www-authenticate')).toBe(`Bearer error="insufficient_scope", scope="${c.needs}"`)
        }
      }
    })
  }

  it('a refused call changes nothing', async () => {
    const token = await tokenWithScope(ws.admin, 'read')
    const before = await env.DB.prepare('SELECT sender_name FROM workspaces WHERE id = ?').bind(ws.shop.workspaceId).first()
    expect((await api(token, 'PATCH', '/workspace', { senderName: 'Not me' })).status).toBe(403)
    expect((await api(token, 'POST', '/alerts', validAlert({ name: 'Never made' }))).status).toBe(403)
    expect(await env.DB.prepare('SELECT sender_name FROM workspaces WHERE id = ?').bind(ws.shop.workspaceId).first()).toEqual(before)
    const alerts = await env.DB.prepare("SELECT count(*) AS n FROM campaigns WHERE name = 'Never made'").first<{ n: number }>()
    expect(alerts?.n).toBe(0)
  })

  it('a token without a scope (made before scopes) acts with its user role, as before', async () => {
    for (const c of CALLS) {
      const res = await call(ws.admin.token, c)
      expect([200, 201, 404], `admin, no scope: ${c.name}`).toContain(res.status)
    }
    expect((await api(ws.sales.token, 'POST', '/alerts', validAlert())).status).toBe(403)
    expect((await api(ws.sales.token, 'GET', '/alerts')).status).toBe(200)
  })

  it("never widens the user's role: a marketer's admin-scope token still cannot manage sites or users", async () => {
    const token = await tokenWithScope(ws.marketer, 'admin')
    expect((await api(token, 'POST', '/alerts', validAlert())).status).toBe(201)
    for (const [path, body] of [
      ['/sites', { name: 'No', allowedDomains: ['no.test'] }],
      ['/users', { email: newEmail(), role: 'sales' }],
    ] as const) {
      const res = await api(token, 'POST', path, body)
      expect(res.status).toBe(403)
      expect(await res.json()).toMatchObject({ reason: expect.stringContaining('your role (marketer)') as unknown })
    }
  })
})

describe('API tokens screen: scopes', () => {
  const create = async (email: string, form: Record<string, string>) =>
    web((await logIn(email, PASSWORD)).cookie, 'POST', '/admin/tokens', form)

  it('creates a token with the chosen scope, stored with it and shown in the list', async () => {
    const res = await create(ws.admin.email, { name: 'Nightly export', scope: 'admin' })
    expect(res.status).toBe(200)
    const page = await res.text()
    const secret = /pbt_[\w-]{43}/.exec(page)?.[0] ?? ''
    expect(page).toContain('Nightly export')
    const row = await env.DB.prepare("SELECT scope FROM api_tokens WHERE name = 'Nightly export' AND user_id = ?").bind(ws.admin.id).first()
    expect(row).toEqual({ scope: 'admin' })
    expect((await api(secret, 'PATCH', '/workspace', { senderName: 'Nightly' })).status).toBe(200)
  })

  it("refuses a scope above the user's role, or none, with 400 and no token", async () => {
    for (const [email, form] of [
      [ws.sales.email, { name: 'Too much', scope: 'admin' }],
      [ws.marketer.email, { name: 'Too much', scope: 'admin' }],
      [ws.admin.email, { name: 'Too much', scope: 'root' }],
      [ws.admin.email, { name: 'Too much' }],
    ] as const) {
      const res = await create(email, form)
      expect(res.status).toBe(400)
      expect(await res.text()).not.toMatch(/pbt_/)
    }
    expect(await env.DB.prepare("SELECT count(*) AS n FROM api_tokens WHERE name = 'Too much'").first()).toEqual({ n: 0 })
  })

  it('offers each role only the scopes it may give', async () => {
    const page = async (email: string) => (await web((await logIn(email, PASSWORD)).cookie, 'GET', '/admin/tokens')).text()
    expect(await page(ws.admin.email)).toContain('value="admin"')
    const sales = await page(ws.sales.email)
    expect(sales).toContain('value="write"')
    expect(sales).not.toContain('value="admin"')
  })
})
