// Inviting someone: the invitation goes out through the queue, the consumer and the configured
// transport to the real SMTP sink; its link sets a password once, within 72 hours, and logs the
// invitee in; a used, expired or replaced link is refused; bad invitations are refused with
// field errors and change nothing.
import { env, SELF } from 'cloudflare:test'
import { beforeAll, describe, expect, it } from 'vitest'
import { sha256Hex } from '../../../worker/hex-digest'
import {
  api,
  apiJson,
  BASE,
  cookieOf,
  createAdminWorkspace,
  invite,
  linkIn,
  logIn,
  mailTo,
  NEW_PASSWORD,
  newEmail,
  submitLink,
  userRow,
  web,
  type AdminFixture,
} from './users-fixture'

let ws: AdminFixture
let other: AdminFixture

beforeAll(async () => {
  ws = await createAdminWorkspace()
  other = await createAdminWorkspace()
})

describe('team: invitations', () => {
  it('invite → the mail arrives at the SMTP sink → its link sets a password and logs in → the login form works', async () => {
    const email = newEmail('rep')
    const invited = await invite(ws.admin.token, { email: email.toUpperCase(), role: 'sales', name: 'Rita Rep' })
    expect(invited).toMatchObject({ email, role: 'sales', status: 'invited' })
    expect(invited.invitation?.expiresAt).toBeGreaterThan(Date.now() + 71 * 3_600_000)

    const mail = await mailTo(email, /invited/)
    expect(mail.subject).toBe('[Pagebell] You are invited to a workspace')
    expect(mail.text).toContain('"Shop"')
    expect(mail.text).toContain('as a sales rep')
    const path = linkIn(mail, 'invite')

    // Only the link's hash is stored.
    const secret = path.split('/').at(-1) ?? ''
    const stored = await env.DB.prepare('SELECT token_hash, mail_status FROM account_links WHERE user_id = ?')
      .bind(invited.id)
      .first<{ token_hash: string; mail_status: string }>()
    expect(stored).toEqual({ token_hash: await sha256Hex(secret), mail_status: 'sent' })

    const page = await web(null, 'GET', path)
    expect(page.status).toBe(200)
    expect(page.headers.get('referrer-policy')).toBe('same-origin')
    expect(await page.text()).toContain(email)

    const accepted = await submitLink(path, { name: 'Rita R.', password: NEW_PASSWORD, confirm: NEW_PASSWORD })
    expect(accepted.status).toBe(303)
    expect(accepted.headers.get('location')).toBe('/admin/account?notice=welcome')
    const account = await web(cookieOf(accepted), 'GET', '/admin/account')
    expect(account.status).toBe(200)
    expect(await account.text()).toContain(email)

    expect((await logIn(email, NEW_PASSWORD)).status).toBe(303)
    expect(await apiJson(ws.admin.token, 'GET', `/users/${invited.id}`)).toMatchObject({
      status: 'active',
      name: 'Rita R.',
      invitation: null,
    })
  })

  it('refuses a used link (410): the invitation works once', async () => {
    const email = newEmail()
    await invite(ws.admin.token, { email, role: 'marketer' })
    const path = linkIn(await mailTo(email), 'invite')
    expect((await submitLink(path, { password: NEW_PASSWORD, confirm: NEW_PASSWORD, name: '' })).status).toBe(303)
    expect((await web(null, 'GET', path)).status).toBe(410)
    const again = await submitLink(path, { password: 'someone else entirely', confirm: 'someone else entirely', name: '' })
    expect(again.status).toBe(410)
    expect(cookieOf(again)).toBeNull()
    expect((await logIn(email, NEW_PASSWORD)).status).toBe(303)
    expect((await logIn(email, 'someone else entirely')).status).toBe(401)
  })

  it('lets only one of two posts of the same link at the same moment through', async () => {
    const email = newEmail()
    await invite(ws.admin.token, { email, role: 'sales' })
    const path = linkIn(await mailTo(email), 'invite')
    const answers = await Promise.all(
      ['first racer passphrase', 'second racer passphrase'].map((password) => submitLink(path, { password, confirm: password, name: '' })),
    )
    expect(answers.map((r) => r.status).sort()).toEqual([303, 410])
    const winner = answers[0]?.status === 303 ? 'first racer passphrase' : 'second racer passphrase'
    expect((await logIn(email, winner)).status).toBe(303)
  })

  it('refuses an expired link (410) and sets no password', async () => {
    const email = newEmail()
    const invited = await invite(ws.admin.token, { email, role: 'sales' })
    const path = linkIn(await mailTo(email), 'invite')
    await env.DB.prepare('UPDATE account_links SET expires_at = ? WHERE user_id = ?')
      .bind(Date.now() - 1, invited.id)
      .run()
    const page = await web(null, 'GET', path)
    expect(page.status).toBe(410)
    expect(await page.text()).toContain('Ask an admin of your workspace to send you a new one')
    expect((await submitLink(path, { password: NEW_PASSWORD, confirm: NEW_PASSWORD, name: '' })).status).toBe(410)
    expect(await userRow(invited.id)).toMatchObject({ status: 'invited', password_hash: null })
    expect(await apiJson(ws.admin.token, 'GET', `/users/${invited.id}`)).toMatchObject({ invitation: { expired: true } })
  })

  it('sending the invitation again replaces the link: the old one is refused, the new one works', async () => {
    const email = newEmail()
    const invited = await invite(ws.admin.token, { email, role: 'sales' })
    const first = linkIn(await mailTo(email), 'invite')
    const resent = await api(ws.admin.token, 'POST', `/users/${invited.id}/invitation`)
    expect(resent.status).toBe(202)
    const mails = async () =>
      (await (await fetch(`${env.MAIL_SINK_URL}/messages`)).json<Array<{ envelopeTo: string[]; text: string }>>()).filter((m) =>
        m.envelopeTo.includes(email),
      )
    const deadline = Date.now() + 10_000
    while ((await mails()).length < 2 && Date.now() < deadline) await scheduler.wait(100)
    const second = (await mails()).map((m) => /\/admin\/invite\/pbl_[\w-]{43}/.exec(m.text)?.[0]).find((p) => p && p !== first)
    expect(second).toBeDefined()
    expect((await web(null, 'GET', first)).status).toBe(410)
    expect((await submitLink(second ?? '', { password: NEW_PASSWORD, confirm: NEW_PASSWORD, name: '' })).status).toBe(303)
  })

  it('keeps the link usable when the form is refused (passwords differ, too short): 400 naming the field', async () => {
    const email = newEmail()
    await invite(ws.admin.token, { email, role: 'sales' })
    const path = linkIn(await mailTo(email), 'invite')
    const differ = await submitLink(path, { password: NEW_PASSWORD, confirm: `${NEW_PASSWORD}!`, name: '' })
    expect(differ.status).toBe(400)
    expect(await differ.text()).toContain('the two passwords differ')
    const short = await submitLink(path, { password: 'short', confirm: 'short', name: '' })
    expect(short.status).toBe(400)
    expect(await short.text()).toContain('use at least 10 characters')
    expect((await submitLink(path, { password: NEW_PASSWORD, confirm: NEW_PASSWORD, name: '' })).status).toBe(303)
  })

  it('refuses a link page posted from another site (CSRF) and a made-up link (410)', async () => {
    const email = newEmail()
    await invite(ws.admin.token, { email, role: 'sales' })
    const path = linkIn(await mailTo(email), 'invite')
    const forged = await web(null, 'POST', path, { password: NEW_PASSWORD, confirm: NEW_PASSWORD }, 'https://evil.test')
    expect(forged.status).toBe(403)
    expect((await web(null, 'GET', `/admin/invite/pbl_${'A'.repeat(43)}`)).status).toBe(410)
    expect((await web(null, 'GET', '/admin/invite/nonsense')).status).toBe(410)
    expect((await web(null, 'GET', path)).status).toBe(200)
  })

  it('escapes the names people typed in the mail and keeps them out of its headers', async () => {
    const shop = await createAdminWorkspace()
    await env.DB.prepare('UPDATE workspaces SET name = ? WHERE id = ?').bind('<b>Shop</b> & "Co"', shop.shop.workspaceId).run()
    await env.DB.prepare('UPDATE users SET name = ? WHERE id = ?').bind('<img src=x onerror=alert(1)>', shop.admin.id).run()
    const email = newEmail()
    await invite(shop.admin.token, { email, role: 'sales' })
    const mail = await mailTo(email)
    expect(mail.subject).toBe('[Pagebell] You are invited to a workspace')
    expect(mail.html).toContain('&lt;b&gt;Shop&lt;/b&gt; &amp; ')
    expect(mail.html).not.toContain('<img')
    expect(mail.text).toContain('<b>Shop</b> & "Co"')
    expect(Object.values(mail.headers).join('\n')).not.toContain('Shop')
  })
})

describe('team API: invitation refusals', () => {
  it('refuses bad bodies with 400 and field errors, creating nobody', async () => {
    const before = await apiJson<{ users: unknown[] }>(ws.admin.token, 'GET', '/users')
    for (const [body, field] of [
      [{ email: 'not-an-address', role: 'sales' }, 'email'],
      [{ email: newEmail(), role: 'owner' }, 'role'],
      [{ email: newEmail() }, 'role'],
      [{ email: newEmail(), role: 'sales', extra: 1 }, 'extra'],
      [{ email: newEmail(), role: 'sales', name: 'two\nlines' }, 'name'],
    ] as const) {
      const res = await api(ws.admin.token, 'POST', '/users', body)
      expect(res.status).toBe(400)
      expect(await res.json()).toMatchObject({ error: 'invalid invitation', field })
    }
    expect((await api(ws.admin.token, 'POST', '/users', '[1]')).status).toBe(400)
    expect(await apiJson<{ users: unknown[] }>(ws.admin.token, 'GET', '/users')).toEqual(before)
  })

  it('refuses an e-mail that is already a user of the workspace (409), whatever its case', async () => {
    const res = await api(ws.admin.token, 'POST', '/users', { email: ws.marketer.email.toUpperCase(), role: 'sales' })
    expect(res.status).toBe(409)
    expect(await res.json()).toMatchObject({ error: 'conflict', field: 'email' })
    // Another workspace may have a user with the same e-mail.
    expect((await api(other.admin.token, 'POST', '/users', { email: ws.marketer.email, role: 'sales' })).status).toBe(201)
  })

  it('lets only admins invite (403 for a marketer and a sales rep)', async () => {
    for (const token of [ws.marketer.token, ws.sales.token]) {
      const res = await api(token, 'POST', '/users', { email: newEmail(), role: 'sales' })
      expect(res.status).toBe(403)
      expect(await res.json()).toMatchObject({ error: 'forbidden' })
    }
  })

  it("answers 404 for another workspace's user ids, on every route", async () => {
    const id = other.marketer.id
    for (const [method, path, body] of [
      ['GET', `/users/${id}`, undefined],
      ['PATCH', `/users/${id}`, { role: 'sales' }],
      ['POST', `/users/${id}/deactivate`, undefined],
      ['POST', `/users/${id}/reactivate`, undefined],
      ['POST', `/users/${id}/invitation`, undefined],
      ['GET', `/users/${id}/sessions`, undefined],
      ['DELETE', `/users/${id}/sessions`, undefined],
    ] as const) {
      const res = await api(ws.admin.token, method, path, body)
      expect(res.status, `${method} ${path}`).toBe(404)
      expect(await res.json()).toMatchObject({ error: 'not found' })
    }
    expect(await userRow(id)).toMatchObject({ status: 'active', role: 'marketer' })
  })

  it('answers 409 when asked to invite again someone who is not waiting for an invitation', async () => {
    const res = await api(ws.admin.token, 'POST', `/users/${ws.marketer.id}/invitation`)
    expect(res.status).toBe(409)
  })

  it('lists the team for every role, with statuses and no secrets', async () => {
    const res = await SELF.fetch(`${BASE}/api/v1/users`, { headers: { authorization: `Bearer ${ws.sales.token}` } })
    expect(res.status).toBe(200)
    const text = await res.text()
    expect(text).not.toMatch(/password|token_hash|pbkdf2/i)
    const { users } = JSON.parse(text) as { users: Array<{ id: string; role: string; status: string }> }
    expect(users.map((u) => u.id)).toEqual(expect.arrayContaining([ws.admin.id, ws.marketer.id, ws.sales.id]))
    expect(users.every((u) => ['invited', 'active', 'deactivated'].includes(u.status))).toBe(true)
  })
})
