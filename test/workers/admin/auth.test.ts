// Who may call the admin API and UI: bearer tokens for the API, session cookies for the web
// UI, the demo admin's password, and CSRF refusals for forms posted from elsewhere.
import { SELF, env } from 'cloudflare:test'
import { beforeAll, describe, expect, it } from 'vitest'
import { createDb } from '../../../worker/db/client'
import { seedDemo } from '../../../worker/db/queries/demo'
import { DEMO, DEMO_PASSWORD } from '../../../worker/demo/demo-data'
import { api, BASE, createAdminWorkspace, logIn, PASSWORD, web, type AdminFixture } from './admin-fixture'

let ws: AdminFixture

beforeAll(async () => {
  await seedDemo(createDb(env.DB), DEMO)
  ws = await createAdminWorkspace()
})

describe('admin auth: API tokens', () => {
  it('refuses the API without a token, with a wrong token and with a non-bearer scheme (401)', async () => {
    for (const token of [null, 'pbt_wrong', `${ws.admin.token}x`]) {
      const res = await api(token, 'GET', '/alerts')
      expect(res.status).toBe(401)
      expect(await res.json()).toMatchObject({ error: 'unauthorized' })
    }
    const basic = await SELF.fetch(`${BASE}/api/v1/alerts`, { headers: { authorization: `Basic ${ws.admin.token}` } })
    expect(basic.status).toBe(401)
    expect((await api(null, 'GET', '/outbox')).status).toBe(401)
  })

  it('answers the API for a valid bearer token', async () => {
    const res = await api(ws.admin.token, 'GET', '/alerts')
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ alerts: [] })
  })

  it('stores tokens, sessions and passwords only as hashes', async () => {
    const tokens = await env.DB.prepare('SELECT token_hash FROM api_tokens WHERE user_id = ?')
      .bind(ws.admin.id)
      .all<{ token_hash: string }>()
    expect(tokens.results.map((r) => r.token_hash)).not.toContain(ws.admin.token)
    expect(tokens.results[0]?.token_hash).toMatch(/^[0-9a-f]{64}$/)
    const user = await env.DB.prepare('SELECT password_hash FROM users WHERE id = ?').bind(ws.admin.id).first<{ password_hash: string }>()
    expect(user?.password_hash).toMatch(/^pbkdf2-sha256\$100000\$/)
    expect(user?.password_hash).not.toContain(PASSWORD)
  })
})

describe('admin auth: web sessions', () => {
  it('sends a visitor without a session to the login page', async () => {
    const res = await web(null, 'GET', '/admin/alerts')
    expect(res.status).toBe(302)
    expect(res.headers.get('location')).toBe('/admin/login?next=%2Fadmin%2Falerts')
  })

  it('logs the demo admin in with the demo password', async () => {
    const login = await logIn(DEMO.admin.email, DEMO_PASSWORD)
    expect(login.status).toBe(303)
    const page = await web(login.cookie, 'GET', '/admin/alerts')
    expect(page.status).toBe(200)
    expect(await page.text()).toContain(DEMO.alert.name)
  })

  it('refuses a wrong password and an unknown e-mail alike, without a cookie', async () => {
    for (const [email, password] of [
      [ws.admin.email, 'wrong'],
      ['nobody@shop.test', PASSWORD],
    ] as const) {
      const login = await logIn(email, password)
      expect(login.status).toBe(401)
      expect(login.setCookie).toBeNull()
    }
  })

  it('sets an HttpOnly, SameSite=Lax session cookie that opens the UI until logout', async () => {
    const login = await logIn(ws.marketer.email, PASSWORD)
    expect(login.status).toBe(303)
    expect(login.location).toBe('/admin/alerts')
    expect(login.setCookie).toMatch(/HttpOnly/i)
    expect(login.setCookie).toMatch(/SameSite=Lax/i)
    expect(login.setCookie).toMatch(/Secure/i)
    expect((await web(login.cookie, 'GET', '/admin/alerts')).status).toBe(200)

    const logout = await web(login.cookie, 'POST', '/admin/logout', {})
    expect(logout.status).toBe(303)
    expect((await web(login.cookie, 'GET', '/admin/alerts')).status).toBe(302)
  })

  it('refuses a made-up session cookie', async () => {
    expect((await web('pb_session=pbs_madeup', 'GET', '/admin/alerts')).status).toBe(302)
  })

  it('refuses a form posted from another origin, or with no origin at all, and changes nothing (CSRF)', async () => {
    const { cookie } = await logIn(ws.admin.email, PASSWORD)
    const form = {
      name: 'Cross-site',
      pattern: '/x',
      minSeconds: '0',
      frequency: 'day',
      notifyOwner: 'on',
      cc: '',
      active: 'on',
      action: 'save',
    }
    expect((await web(cookie, 'POST', '/admin/alerts/new', form, 'https://evil.test')).status).toBe(403)
    expect((await web(cookie, 'POST', '/admin/alerts/new', form, null)).status).toBe(403)
    const list = await (await api(ws.admin.token, 'GET', '/alerts')).json<{ alerts: unknown[] }>()
    expect(list.alerts).toEqual([])
    const login = await SELF.fetch(`${BASE}/admin/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.test' },
      body: new URLSearchParams({ email: ws.admin.email, password: PASSWORD }).toString(),
    })
    expect(login.status).toBe(403)
  })

  it('creates an alert through the wizard form for a logged-in marketer', async () => {
    const { cookie } = await logIn(ws.marketer.email, PASSWORD)
    const res = await web(cookie, 'POST', '/admin/alerts/new', {
      name: 'From the form',
      pattern: '/pricing',
      minSeconds: '5',
      frequency: 'custom',
      count: '3',
      period: 'week',
      notifyOwner: 'on',
      cc: '',
      active: 'on',
      action: 'save',
    })
    expect(res.status).toBe(303)
    const id = res.headers.get('location')?.match(/\/admin\/alerts\/(alr_\w+)\?notice=created/)?.[1]
    expect(id).toBeDefined()
    const alert = await (await api(ws.marketer.token, 'GET', `/alerts/${id}`)).json()
    expect(alert).toMatchObject({
      name: 'From the form',
      pages: [{ pattern: '/pricing', minSeconds: 5 }],
      frequency: { count: 3, period: 'week' },
      active: true,
    })
    await api(ws.admin.token, 'DELETE', `/alerts/${id}`)
  })

  it('shows a field error beside the field and saves nothing when the wizard form is invalid', async () => {
    const { cookie } = await logIn(ws.marketer.email, PASSWORD)
    const res = await web(cookie, 'POST', '/admin/alerts/new', {
      name: 'Bad',
      pattern: 'pricing',
      minSeconds: '0',
      frequency: 'day',
      notifyOwner: 'on',
      action: 'save',
    })
    expect(res.status).toBe(400)
    expect(await res.text()).toContain('start a path with `/`')
    expect((await (await api(ws.admin.token, 'GET', '/alerts')).json<{ alerts: unknown[] }>()).alerts).toEqual([])
  })
})
