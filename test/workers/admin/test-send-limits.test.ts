// "Send test" is limited to TEST_SENDS_PER_HOUR per workspace, through the API and the web UI
// alike: past it the answer is 429 with Retry-After and a reason, and nothing is sent.
import { env } from 'cloudflare:test'
import { beforeAll, describe, expect, it } from 'vitest'
import { admitTestSend, TEST_SENDS_PER_HOUR } from '../../../worker/alerts/test-sends'
import { mails, newId, waitForMail } from '../support/collect'
import { api, apiJson, createAdminWorkspace, logIn, PASSWORD, validAlert, web, type AdminFixture, type ApiAlert } from './admin-fixture'

let ws: AdminFixture
let other: AdminFixture

beforeAll(async () => {
  ws = await createAdminWorkspace()
  other = await createAdminWorkspace()
})

/** Uses up all but `left` of the workspace's test sends of this hour, as earlier sends would have. */
async function useTestSends(workspaceId: string, left: number) {
  for (let i = 0; i < TEST_SENDS_PER_HOUR - left; i++) expect(await admitTestSend(env, workspaceId, Date.now())).toEqual({ ok: true })
}

describe('test sends: per workspace and hour', () => {
  it(`sends ${TEST_SENDS_PER_HOUR} an hour through the API, then answers 429 with Retry-After and sends nothing`, async () => {
    const alert = await apiJson<ApiAlert>(ws.marketer.token, 'POST', '/alerts', validAlert({ name: 'Limited' }))
    await useTestSends(ws.shop.workspaceId, 1)
    const lastTo = `last-${newId('t')}@shop.test`
    expect(await apiJson(ws.marketer.token, 'POST', `/alerts/${alert.id}/test`, { to: lastTo })).toEqual({ sent: true, to: lastTo })
    await waitForMail((m) => m.to.includes(lastTo))

    const refusedTo = `refused-${newId('t')}@shop.test`
    const refused = await api(ws.admin.token, 'POST', `/alerts/${alert.id}/test`, { to: refusedTo })
    expect(refused.status).toBe(429)
    expect(await refused.json()).toEqual({
      error: 'rate limited',
      reason: `at most ${TEST_SENDS_PER_HOUR} test sends an hour per workspace; try again in 60 minutes`,
    })
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(3_500)
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(3_600)

    // Another workspace has its own hour.
    const theirs = await apiJson<ApiAlert>(other.marketer.token, 'POST', '/alerts', validAlert({ name: 'Theirs' }))
    const otherTo = `other-${newId('t')}@shop.test`
    expect(await apiJson(other.marketer.token, 'POST', `/alerts/${theirs.id}/test`, { to: otherTo })).toEqual({ sent: true, to: otherTo })
    await waitForMail((m) => m.to.includes(otherTo))
    expect((await mails()).some((m) => m.to.includes(refusedTo))).toBe(false)
  })

  it('refuses in the web UI too: the alert page says why and when, with 429 and Retry-After', async () => {
    const fresh = await createAdminWorkspace()
    const alert = await apiJson<ApiAlert>(fresh.marketer.token, 'POST', '/alerts', validAlert({ name: 'Web limited' }))
    await useTestSends(fresh.shop.workspaceId, 0)
    const { cookie } = await logIn(fresh.marketer.email, PASSWORD)
    const res = await web(cookie, 'POST', `/admin/alerts/${alert.id}/test`, { to: fresh.marketer.email })
    expect(res.status).toBe(429)
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(3_500)
    expect(await res.text()).toContain(`Not sent: at most ${TEST_SENDS_PER_HOUR} test sends an hour per workspace; try again in 60 minutes`)
  })

  it('allows sends again once the hour that began with the first one is over', async () => {
    const workspaceId = newId('ws')
    const t0 = Date.now()
    for (let i = 0; i < TEST_SENDS_PER_HOUR; i++) expect(await admitTestSend(env, workspaceId, t0 + i * 60_000)).toEqual({ ok: true })
    expect(await admitTestSend(env, workspaceId, t0 + 59 * 60_000)).toMatchObject({ ok: false, retryAfterSeconds: 60 })
    expect(await admitTestSend(env, workspaceId, t0 + 60 * 60_000)).toEqual({ ok: true })
  })
})
