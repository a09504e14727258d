// The team screens: admins only (in the menu and at the door), every field labelled, the
// invitation form refusing bad input in place (400, the field marked and named) or an e-mail
// already in the team (409), the empty state saying what to do, and a user's page with the
// role, the invitation's state and the sessions.
import { beforeAll, describe, expect, it } from 'vitest'
import { createAdminWorkspace, logIn, mailTo, newEmail, PASSWORD, web, type AdminFixture } from './users-fixture'

let ws: AdminFixture
let admin: string | null

beforeAll(async () => {
  ws = await createAdminWorkspace()
  admin = (await logIn(ws.admin.email, PASSWORD)).cookie
})

const page = async (cookie: string | null, path: string) => {
  const res = await web(cookie, 'GET', path)
  return { status: res.status, text: await res.text() }
}

describe('team screens', () => {
  it('are in the menu of admins only, and refuse others with 403', async () => {
    const team = await page(admin, '/admin/team')
    expect(team.status).toBe(200)
    expect(team.text).toContain('<a href="/admin/team"  aria-current="page">Team</a>')
    for (const who of [ws.marketer, ws.sales]) {
      const { cookie } = await logIn(who.email, PASSWORD)
      expect((await page(cookie, '/admin/alerts')).text).not.toContain('href="/admin/team"')
      expect((await page(cookie, '/admin/team')).status).toBe(403)
      expect((await web(cookie, 'POST', '/admin/team/invite', { email: newEmail(), role: 'admin' })).status).toBe(403)
      expect((await page(cookie, `/admin/team/${ws.admin.id}`)).status).toBe(403)
    }
  })

  it('labels every field of the invitation form and lists the team as a table that stacks on phones', async () => {
    const { text } = await page(admin, '/admin/team')
    for (const id of ['invite-email', 'invite-name', 'invite-role']) {
      expect(text).toContain(`<label for="${id}">`)
      expect(text).toContain(`id="${id}"`)
    }
    expect(text).toContain('aria-describedby="invite-role-help"')
    expect(text).toContain('<table class="stack">')
    expect(text).toContain('data-label="Role"')
    expect(text).toContain(`aria-label="Manage ${ws.marketer.name}"`)
  })

  it('invites from the form: the e-mail arrives and the list shows the invitation', async () => {
    const email = newEmail('ui')
    const res = await web(admin, 'POST', '/admin/team/invite', { email, name: 'Ursula', role: 'marketer' })
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('/admin/team?notice=invited')
    await mailTo(email)
    const { text } = await page(admin, '/admin/team?notice=invited')
    expect(text).toContain('Invitation sent.')
    expect(text).toContain('Ursula')
    expect(text).toMatch(/e-mail (sent|queued|being sent); link valid until/)
  })

  it('keeps the typed values and names the refused field (400), or the taken e-mail (409)', async () => {
    const bad = await web(admin, 'POST', '/admin/team/invite', { email: 'nope', name: 'Typed <b>name</b>', role: 'sales' })
    expect(bad.status).toBe(400)
    const text = await bad.text()
    expect(text).toContain('not an e-mail address')
    expect(text).toMatch(/id="invite-email"[^>]*class="field-invalid" aria-invalid="true"/s)
    expect(text).toContain('value="Typed &lt;b&gt;name&lt;/b&gt;"')
    const taken = await web(admin, 'POST', '/admin/team/invite', { email: ws.sales.email, name: '', role: 'sales' })
    expect(taken.status).toBe(409)
    expect(await taken.text()).toContain('already belongs to a user of your workspace')
  })

  it('says what to do when the admin is alone in the workspace', async () => {
    const solo = await createAdminWorkspace()
    const { cookie } = await logIn(solo.admin.email, PASSWORD)
    expect((await page(cookie, '/admin/team')).text).not.toContain('You are the only one here')
    for (const id of [solo.marketer.id, solo.sales.id, solo.shop.ownerId])
      expect((await web(cookie, 'POST', `/admin/team/${id}/deactivate`)).status).toBe(303)
    const { text } = await page(cookie, '/admin/team')
    expect(text).toContain('You are the only one here')
    expect(text).toContain('Deactivated')
  })

  it("shows a user's page: role (labelled), status, sessions and the actions", async () => {
    await logIn(ws.sales.email, PASSWORD)
    const { status, text } = await page(admin, `/admin/team/${ws.sales.id}`)
    expect(status).toBe(200)
    expect(text).toContain('<label for="member-role">Their role in the workspace</label>')
    expect(text).toContain('<option value="sales"  selected>Sales rep</option>')
    expect(text).toContain('End session')
    expect(text).toContain('data-confirm="Deactivate')
    expect((await page(admin, '/admin/team/usr_nobody')).status).toBe(404)
  })

  it('changes a role from the page', async () => {
    const res = await web(admin, 'POST', `/admin/team/${ws.sales.id}/role`, { role: 'marketer' })
    expect(res.status).toBe(303)
    expect((await page(admin, `/admin/team/${ws.sales.id}?notice=role-saved`)).text).toContain('<option value="marketer"  selected>')
    const bad = await web(admin, 'POST', `/admin/team/${ws.sales.id}/role`, { role: 'owner' })
    expect(bad.status).toBe(400)
    expect(await bad.text()).toContain('the role is admin, marketer or sales')
  })
})
