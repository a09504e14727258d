// The last active admin: a workspace always keeps one. Demoting or deactivating the only one is
// refused (409) and changes nothing, by the API and the team screen alike; the guard is one
// conditional statement, so two admins demoting (or deactivating) each other at the same moment
// leave exactly one admin.
import { env } from 'cloudflare:test'
import { beforeEach, describe, expect, it } from 'vitest'
import { createDb } from '../../../worker/db/client'
import { setRole } from '../../../worker/db/queries/users'
import { api, apiJson, createAdminWorkspace, logIn, PASSWORD, userRow, web, type AdminFixture } from './users-fixture'

let ws: AdminFixture

beforeEach(async () => {
  ws = await createAdminWorkspace()
  // The shop fixture's own first user is an admin without a password: take it out of the count.
  expect((await api(ws.admin.token, 'POST', `/users/${ws.shop.ownerId}/deactivate`)).status).toBe(200)
})

const activeAdmins = async (token: string) =>
  (await apiJson<{ users: Array<{ role: string; status: string }> }>(token, 'GET', '/users')).users.filter(
    (u) => u.role === 'admin' && u.status === 'active',
  ).length

describe('team: the last active admin', () => {
  it('cannot be demoted or deactivated (409), and nothing changes', async () => {
    for (const [method, path, body] of [
      ['PATCH', `/users/${ws.admin.id}`, { role: 'marketer' }],
      ['POST', `/users/${ws.admin.id}/deactivate`, undefined],
    ] as const) {
      const res = await api(ws.admin.token, method, path, body)
      expect(res.status).toBe(409)
      expect(await res.json()).toMatchObject({ error: 'conflict', reason: expect.stringContaining('needs an active admin') as unknown })
    }
    expect(await userRow(ws.admin.id)).toMatchObject({ role: 'admin', status: 'active' })
    expect((await api(ws.admin.token, 'GET', '/users')).status).toBe(200)
  })

  it('can step down once another admin exists', async () => {
    expect((await api(ws.admin.token, 'PATCH', `/users/${ws.marketer.id}`, { role: 'admin' })).status).toBe(200)
    const res = await api(ws.admin.token, 'PATCH', `/users/${ws.admin.id}`, { role: 'sales' })
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ role: 'sales' })
    // The new role applies to the next request: no more team changes.
    expect((await api(ws.admin.token, 'PATCH', `/users/${ws.sales.id}`, { role: 'marketer' })).status).toBe(403)
  })

  it('two admins demoting each other at the same moment leave exactly one admin', async () => {
    expect((await api(ws.admin.token, 'PATCH', `/users/${ws.marketer.id}`, { role: 'admin' })).status).toBe(200)
    const answers = await Promise.all([
      api(ws.admin.token, 'PATCH', `/users/${ws.marketer.id}`, { role: 'marketer' }),
      api(ws.marketer.token, 'PATCH', `/users/${ws.admin.id}`, { role: 'marketer' }),
    ])
    // The loser was demoted first (403 at the role check) or lost at the statement (409).
    expect(answers.map((r) => r.status).filter((s) => s === 200)).toHaveLength(1)
    expect(await activeAdmins(ws.sales.token)).toBe(1)
  })

  it('the guard is in the statement: racing demotions that both passed the role check leave one admin', async () => {
    expect((await api(ws.admin.token, 'PATCH', `/users/${ws.marketer.id}`, { role: 'admin' })).status).toBe(200)
    const db = createDb(env.DB)
    for (let round = 0; round < 5; round++) {
      const [a, b] = await Promise.all([
        setRole(db, ws.shop.workspaceId, ws.admin.id, 'marketer'),
        setRole(db, ws.shop.workspaceId, ws.marketer.id, 'marketer'),
      ])
      expect([a?.ok, b?.ok].filter(Boolean)).toHaveLength(1)
      expect([a, b].find((r) => r && !r.ok)).toEqual({ ok: false, reason: 'last-admin' })
      expect(await activeAdmins(ws.sales.token)).toBe(1)
      // Both admins again for the next round.
      await setRole(db, ws.shop.workspaceId, ws.admin.id, 'admin')
      await setRole(db, ws.shop.workspaceId, ws.marketer.id, 'admin')
    }
  })

  it('two admins deactivating each other at the same moment leave exactly one admin', async () => {
    expect((await api(ws.admin.token, 'PATCH', `/users/${ws.marketer.id}`, { role: 'admin' })).status).toBe(200)
    const answers = await Promise.all([
      api(ws.admin.token, 'POST', `/users/${ws.marketer.id}/deactivate`),
      api(ws.marketer.token, 'POST', `/users/${ws.admin.id}/deactivate`),
    ])
    // The loser's token may already be gone (401) or it was refused as the last admin (409).
    expect(answers.map((r) => r.status).filter((s) => s === 200)).toHaveLength(1)
    expect(await activeAdmins(ws.sales.token)).toBe(1)
  })

  it('does not count an invited admin, who cannot log in yet', async () => {
    expect((await api(ws.admin.token, 'POST', '/users', { email: `${ws.admin.id}-2@shop.test`, role: 'admin' })).status).toBe(201)
    expect((await api(ws.admin.token, 'PATCH', `/users/${ws.admin.id}`, { role: 'marketer' })).status).toBe(409)
  })

  it('is refused on the team screen too: 409 with the reason on the page', async () => {
    const { cookie } = await logIn(ws.admin.email, PASSWORD)
    const res = await web(cookie, 'POST', `/admin/team/${ws.admin.id}/role`, { role: 'sales' })
    expect(res.status).toBe(409)
    expect(await res.text()).toContain('the workspace needs an active admin')
    const off = await web(cookie, 'POST', `/admin/team/${ws.admin.id}/deactivate`)
    expect(off.status).toBe(409)
    expect(await userRow(ws.admin.id)).toMatchObject({ role: 'admin', status: 'active' })
  })
})
