// "Forgot your password?": the reset link arrives at the real SMTP sink through the queue; it
// works once and for an hour, sets the new password and ends every other session. The answer
// never tells whether an account has the e-mail, and requests are limited the same way for
// known and unknown e-mails.
import { env } from 'cloudflare:test'
import { beforeAll, describe, expect, it } from 'vitest'
import { useAccountLink } from '../../../worker/auth/account-links'
import { RESET_LIMITS, sendPasswordResets } from '../../../worker/auth/password-reset'
import {
  api,
  BASE,
  cookieOf,
  createAdminWorkspace,
  invite,
  linkIn,
  logIn,
  mailTo,
  NEW_PASSWORD,
  newEmail,
  PASSWORD,
  submitLink,
  web,
  type AdminFixture,
} from './users-fixture'

let ws: AdminFixture

beforeAll(async () => {
  ws = await createAdminWorkspace()
})

const forgot = (email: string) => web(null, 'POST', '/admin/forgot', { email }).then(async (res) => ({ res, text: await res.text() }))

/** The page's answer without the e-mail it repeats. */
const answer = (text: string, email: string) => text.replaceAll(email, '<e-mail>')

describe('password reset', () => {
  it('mails a link that sets a new password, logs in and ends every other session', async () => {
    const before = await logIn(ws.marketer.email, PASSWORD)
    expect(before.status).toBe(303)

    const { res, text } = await forgot(ws.marketer.email)
    expect(res.status).toBe(200)
    expect(text).toContain('a link to choose a new password is on its way')

    const mail = await mailTo(ws.marketer.email, /Reset your password/)
    expect(mail.subject).toBe('[Pagebell] Reset your password')
    const path = linkIn(mail, 'reset')
    expect((await web(null, 'GET', path)).status).toBe(200)

    const reset = await submitLink(path, { password: NEW_PASSWORD, confirm: NEW_PASSWORD })
    expect(reset.status).toBe(303)
    expect(reset.headers.get('location')).toBe('/admin/account?notice=password-reset')
    expect((await web(cookieOf(reset), 'GET', '/admin/account')).status).toBe(200)

    // The session from before the reset is over; the old password no longer opens the account.
    const old = await web(before.cookie, 'GET', '/admin/alerts')
    expect(old.status).toBe(302)
    expect(old.headers.get('location')).toMatch(/^\/admin\/login/)
    expect((await logIn(ws.marketer.email, PASSWORD)).status).toBe(401)
    expect((await logIn(ws.marketer.email, NEW_PASSWORD)).status).toBe(303)

    // Once used, the link is refused.
    expect((await submitLink(path, { password: 'yet another passphrase', confirm: 'yet another passphrase' })).status).toBe(410)
  })

  it('answers an unknown e-mail exactly as a known one, and mails nothing for it', async () => {
    const unknown = newEmail('nobody')
    const known = await forgot(ws.sales.email)
    const none = await forgot(unknown)
    expect(none.res.status).toBe(known.res.status)
    expect(answer(none.text, unknown)).toBe(answer(known.text, ws.sales.email))
    await mailTo(ws.sales.email, /Reset/)
    expect(await sendPasswordResets(env, unknown, BASE, Date.now())).toBe(0)
  })

  it('sends no link to an invited or a deactivated user', async () => {
    const email = newEmail()
    const invited = await invite(ws.admin.token, { email, role: 'sales' })
    expect(await sendPasswordResets(env, email, BASE, Date.now())).toBe(0)
    const shop = await createAdminWorkspace()
    expect((await api(shop.admin.token, 'POST', `/users/${shop.sales.id}/deactivate`)).status).toBe(200)
    expect(await sendPasswordResets(env, shop.sales.email, BASE, Date.now())).toBe(0)
    expect(await sendPasswordResets(env, shop.marketer.email, BASE, Date.now())).toBe(1)
    expect(invited.status).toBe('invited')
  })

  it('lets only one of two uses of the same reset link at the same moment through (one conditional statement)', async () => {
    const shop = await createAdminWorkspace()
    expect(await sendPasswordResets(env, shop.marketer.email, BASE, Date.now())).toBe(1)
    const secret =
      linkIn(await mailTo(shop.marketer.email, /Reset/), 'reset')
        .split('/')
        .at(-1) ?? ''
    const uses = await Promise.all(
      ['first racer passphrase', 'second racer passphrase'].map((password) => useAccountLink(env, secret, 'reset', { password })),
    )
    expect(uses.filter((user) => user !== null)).toHaveLength(1)
  })

  it('refuses an expired reset link (410) and leaves the password as it was', async () => {
    const shop = await createAdminWorkspace()
    expect(await sendPasswordResets(env, shop.sales.email, BASE, Date.now())).toBe(1)
    const path = linkIn(await mailTo(shop.sales.email, /Reset/), 'reset')
    await env.DB.prepare("UPDATE account_links SET expires_at = ? WHERE user_id = ? AND purpose = 'reset'")
      .bind(Date.now() - 1, shop.sales.id)
      .run()
    const page = await web(null, 'GET', path)
    expect(page.status).toBe(410)
    expect(await page.text()).toContain('Get a new link')
    expect((await submitLink(path, { password: NEW_PASSWORD, confirm: NEW_PASSWORD })).status).toBe(410)
    expect((await logIn(shop.sales.email, PASSWORD)).status).toBe(303)
  })

  it(`limits requests to ${RESET_LIMITS.perAccount} an hour per e-mail, known or not (429 + Retry-After)`, async () => {
    for (const email of [newEmail('flood'), (await createAdminWorkspace()).sales.email]) {
      for (let i = 0; i < RESET_LIMITS.perAccount; i++) expect((await forgot(email)).res.status).toBe(200)
      const over = await forgot(email)
      expect(over.res.status).toBe(429)
      expect(Number(over.res.headers.get('retry-after'))).toBeGreaterThan(3_000)
      expect(over.text).toContain('Too many requests')
    }
  })

  it('refuses a reset form posted from another site (403)', async () => {
    const res = await web(null, 'POST', '/admin/forgot', { email: ws.admin.email }, 'https://evil.test')
    expect(res.status).toBe(403)
  })
})
