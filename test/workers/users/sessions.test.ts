// Web sessions, listed and ended: everyone sees where they are logged in (this browser marked)
// and ends a session or all the others; an admin sees and ends anyone's, over the API and on the
// team screen; ending a session logs that browser out on its next request. Changing one's
// password asks for the current one and ends every other session.
import { SELF } from 'cloudflare:test'
import { beforeEach, describe, expect, it } from 'vitest'
import {
  api,
  apiJson,
  BASE,
  createAdminWorkspace,
  logIn,
  NEW_PASSWORD,
  PASSWORD,
  tokenWithScope,
  web,
  type AdminFixture,
} from './users-fixture'

let ws: AdminFixture

beforeEach(async () => {
  ws = await createAdminWorkspace()
})

type Sessions = { sessions: Array<{ id: string; userAgent: string; current: boolean; createdAt: number; lastSeenAt: number | null }> }

/** Logs in as a given browser (User-Agent), returning the session cookie. */
async function logInAs(email: string, userAgent: string): Promise<string> {
  const res = await SELF.fetch(`${BASE}/admin/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: BASE, 'user-agent': userAgent },
    body: new URLSearchParams({ email, password: PASSWORD, next: '/admin/alerts' }).toString(),
  })
  await res.arrayBuffer()
  expect(res.status).toBe(303)
  return res.headers.get('set-cookie')?.split(';')[0] ?? ''
}

const loggedIn = async (cookie: string) => (await web(cookie, 'GET', '/admin/alerts')).status === 200

describe('sessions', () => {
  it("lists a user's sessions over the API, newest use first, without their secrets", async () => {
    await logInAs(ws.sales.email, 'Laptop Firefox')
    await logInAs(ws.sales.email, 'Phone Safari')
    const token = await tokenWithScope(ws.sales, 'read')
    const { sessions } = await apiJson<Sessions>(token, 'GET', `/users/${ws.sales.id}/sessions`)
    expect(sessions.map((s) => s.userAgent).sort()).toEqual(['Laptop Firefox', 'Phone Safari'])
    expect(sessions.every((s) => /^ses_[0-9a-f]{16}$/.test(s.id) && !s.current)).toBe(true)
  })

  it("shows one's own sessions on the account page, this browser marked, and ends one of them", async () => {
    const laptop = await logInAs(ws.marketer.email, 'Laptop Firefox')
    const phone = await logInAs(ws.marketer.email, 'Phone Safari')
    const page = await (await web(laptop, 'GET', '/admin/account')).text()
    expect(page).toMatch(/>Laptop Firefox<\/span> <span class="pill on">This browser<\/span>/)
    expect(page).toContain('Phone Safari')

    const { sessions } = await apiJson<Sessions>(ws.marketer.token, 'GET', `/users/${ws.marketer.id}/sessions`)
    const phoneId = sessions.find((s) => s.userAgent === 'Phone Safari')?.id ?? ''
    const ended = await web(laptop, 'POST', `/admin/account/sessions/${phoneId}/end`)
    expect(ended.status).toBe(303)
    expect(await loggedIn(phone)).toBe(false)
    expect(await loggedIn(laptop)).toBe(true)
  })

  it('"log out everywhere else" keeps only this browser', async () => {
    const here = await logInAs(ws.sales.email, 'Here')
    const others = [await logInAs(ws.sales.email, 'There'), await logInAs(ws.sales.email, 'Elsewhere')]
    expect((await web(here, 'POST', '/admin/account/sessions/end-others')).status).toBe(303)
    expect(await loggedIn(here)).toBe(true)
    for (const cookie of others) expect(await loggedIn(cookie)).toBe(false)
  })

  it("lets an admin end another user's sessions (API: one or all); others may touch only their own (403)", async () => {
    const first = await logInAs(ws.sales.email, 'First')
    const second = await logInAs(ws.sales.email, 'Second')
    const { sessions } = await apiJson<Sessions>(ws.admin.token, 'GET', `/users/${ws.sales.id}/sessions`)
    const firstId = sessions.find((s) => s.userAgent === 'First')?.id ?? ''
    expect((await api(ws.marketer.token, 'GET', `/users/${ws.sales.id}/sessions`)).status).toBe(403)
    expect((await api(ws.marketer.token, 'DELETE', `/users/${ws.sales.id}/sessions/${firstId}`)).status).toBe(403)
    expect(await loggedIn(first)).toBe(true)

    expect((await api(ws.admin.token, 'DELETE', `/users/${ws.sales.id}/sessions/${firstId}`)).status).toBe(204)
    expect((await api(ws.admin.token, 'DELETE', `/users/${ws.sales.id}/sessions/${firstId}`)).status).toBe(404)
    expect(await loggedIn(first)).toBe(false)
    expect(await loggedIn(second)).toBe(true)
    expect(await apiJson(ws.admin.token, 'DELETE', `/users/${ws.sales.id}/sessions`)).toEqual({ revoked: 1 })
    expect(await loggedIn(second)).toBe(false)
  })

  it("ends another user's session from the team screen", async () => {
    const admin = await logInAs(ws.admin.email, 'Admin desk')
    const rep = await logInAs(ws.sales.email, 'Rep phone')
    const page = await (await web(admin, 'GET', `/admin/team/${ws.sales.id}`)).text()
    const action = /action="(\/admin\/team\/[^"]+\/sessions\/ses_[0-9a-f]+\/end)"/.exec(page)?.[1] ?? ''
    expect(page).toContain('Rep phone')
    expect((await web(admin, 'POST', action)).status).toBe(303)
    expect(await loggedIn(rep)).toBe(false)
  })

  it("changes one's password only with the current one, then ends every other session", async () => {
    const here = await logInAs(ws.sales.email, 'Here')
    const there = await logInAs(ws.sales.email, 'There')
    const wrong = await web(here, 'POST', '/admin/account/password', {
      current: 'not it at all',
      password: NEW_PASSWORD,
      confirm: NEW_PASSWORD,
    })
    expect(wrong.status).toBe(400)
    expect(await wrong.text()).toContain('that is not your current password')
    expect(await loggedIn(there)).toBe(true)

    const res = await web(here, 'POST', '/admin/account/password', { current: PASSWORD, password: NEW_PASSWORD, confirm: NEW_PASSWORD })
    expect(res.status).toBe(303)
    expect(await loggedIn(here)).toBe(true)
    expect(await loggedIn(there)).toBe(false)
    expect((await logIn(ws.sales.email, NEW_PASSWORD)).status).toBe(303)
  })
})
