// Deactivating a user shuts it out at once: its web sessions and API tokens stop working on
// their next request (they are deleted in the same transaction, and authentication accepts only
// active users anyway), it cannot log in; reactivating lets it log in again without its old
// tokens.
import { env } from 'cloudflare:test'
import { beforeEach, describe, expect, it } from 'vitest'
import { api, apiJson, createAdminWorkspace, logIn, PASSWORD, tokenWithScope, web, type AdminFixture } from './users-fixture'

let ws: AdminFixture

beforeEach(async () => {
  ws = await createAdminWorkspace()
})

const count = async (table: 'sessions' | 'api_tokens', userId: string) =>
  (await env.DB.prepare(`SELECT count(*) AS n FROM ${table} WHERE user_id = ?`).bind(userId).first<{ n: number }>())?.n

describe('team: deactivation', () => {
  it("ends the user's sessions and tokens at once and refuses its login", async () => {
    const { cookie } = await logIn(ws.sales.email, PASSWORD)
    const scoped = await tokenWithScope(ws.sales, 'write')
    expect((await web(cookie, 'GET', '/admin/contacts')).status).toBe(200)
    expect((await api(scoped, 'GET', '/alerts')).status).toBe(200)

    const res = await api(ws.admin.token, 'POST', `/users/${ws.sales.id}/deactivate`)
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ status: 'deactivated', deactivatedAt: expect.any(Number) as unknown })

    const page = await web(cookie, 'GET', '/admin/contacts')
    expect(page.status).toBe(302)
    expect(page.headers.get('location')).toMatch(/^\/admin\/login/)
    expect((await web(cookie, 'POST', '/admin/account/sessions/end-others')).status).toBe(401)
    for (const token of [ws.sales.token, scoped]) expect((await api(token, 'GET', '/alerts')).status).toBe(401)
    expect((await logIn(ws.sales.email, PASSWORD)).status).toBe(401)
    expect(await count('sessions', ws.sales.id)).toBe(0)
    expect(await count('api_tokens', ws.sales.id)).toBe(0)
    // Asking again changes nothing and succeeds.
    expect((await api(ws.admin.token, 'POST', `/users/${ws.sales.id}/deactivate`)).status).toBe(200)
  })

  it("shuts out a session and a token whose rows are still there once the user's status says deactivated", async () => {
    const { cookie } = await logIn(ws.marketer.email, PASSWORD)
    await env.DB.prepare("UPDATE users SET status = 'deactivated' WHERE id = ?").bind(ws.marketer.id).run()
    expect((await web(cookie, 'GET', '/admin/alerts')).status).toBe(302)
    expect((await api(ws.marketer.token, 'GET', '/alerts')).status).toBe(401)
  })

  it('reactivation lets the user log in again, without its old tokens', async () => {
    await apiJson(ws.admin.token, 'POST', `/users/${ws.sales.id}/deactivate`)
    const back = await apiJson(ws.admin.token, 'POST', `/users/${ws.sales.id}/reactivate`)
    expect(back).toMatchObject({ status: 'active', deactivatedAt: null })
    expect((await logIn(ws.sales.email, PASSWORD)).status).toBe(303)
    expect((await api(ws.sales.token, 'GET', '/alerts')).status).toBe(401)
  })

  it('deactivates from the team screen, where the user is shown as deactivated', async () => {
    const admin = await logIn(ws.admin.email, PASSWORD)
    const victim = await logIn(ws.marketer.email, PASSWORD)
    const res = await web(admin.cookie, 'POST', `/admin/team/${ws.marketer.id}/deactivate`)
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe(`/admin/team/${ws.marketer.id}?notice=deactivated`)
    expect((await web(victim.cookie, 'GET', '/admin/alerts')).status).toBe(302)
    const page = await (await web(admin.cookie, 'GET', `/admin/team/${ws.marketer.id}`)).text()
    expect(page).toContain('Deactivated')
    expect(page).toContain('Reactivate')
  })
})
