// The workspace's webhook secret, the key campaign webhook calls are signed with: an admin makes
// or rotates it and sees it in that answer only; the workspace then says it is set, never what
// it is; the identity secret is a separate key that the rotation leaves alone.
import { beforeAll, describe, expect, it } from 'vitest'
import { api, apiJson, createAdminWorkspace, type AdminFixture } from '../admin/admin-fixture'

type Secret = { secret: string; createdAt: number }
type SecretState = { set: boolean; createdAt: number | null }

let ws: AdminFixture

beforeAll(async () => {
  ws = await createAdminWorkspace()
})

describe('workspace API: webhook secret', () => {
  it('shows a new secret once, reports it set, and a rotation replaces it without touching the identity secret', async () => {
    const before = await apiJson<{ webhookSecret: SecretState }>(ws.admin.token, 'GET', '/workspace')
    expect(before.webhookSecret).toEqual({ set: false, createdAt: null })
    const res = await api(ws.admin.token, 'POST', '/workspace/webhook-secret')
    expect(res.status).toBe(201)
    const first = await res.json<Secret>()
    expect(first.secret).toMatch(/^pbw_[0-9a-f]{64}$/)

    const read = await apiJson<{ webhookSecret: SecretState; identitySecret: SecretState }>(ws.sales.token, 'GET', '/workspace')
    expect(read.webhookSecret).toEqual({ set: true, createdAt: first.createdAt })
    expect(read.identitySecret).toEqual({ set: false, createdAt: null })
    expect(JSON.stringify(read)).not.toContain(first.secret)

    const second = await apiJson<Secret>(ws.admin.token, 'POST', '/workspace/webhook-secret')
    expect(second.secret).not.toBe(first.secret)
  })

  it('refuses marketers and sales reps (403)', async () => {
    for (const user of [ws.marketer, ws.sales]) expect((await api(user.token, 'POST', '/workspace/webhook-secret')).status).toBe(403)
  })
})
