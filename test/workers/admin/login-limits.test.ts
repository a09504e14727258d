// Login attempts are limited per account and per client: past a limit the form answers 429
// with Retry-After and says when to try again, the same for an e-mail no account has, and
// without checking the password. Windows are shared through D1, so they hold across isolates.
import { SELF, env } from 'cloudflare:test'
import { beforeAll, describe, expect, it } from 'vitest'
import { admitLoginAttempt, clientBlock, LOGIN_LIMITS } from '../../../worker/auth/login-limits'
import { newId } from '../support/collect'
import { BASE, createAdminWorkspace, PASSWORD, type AdminFixture } from './admin-fixture'

let ws: AdminFixture

beforeAll(async () => {
  ws = await createAdminWorkspace()
})

/** Posts the login form, from `client` when given (the address Cloudflare reports). */
async function logIn(email: string, password: string, client?: string) {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', origin: BASE }
  if (client) headers['cf-connecting-ip'] = client
  const res = await SELF.fetch(`${BASE}/admin/login`, {
    method: 'POST',
    redirect: 'manual',
    headers,
    body: new URLSearchParams({ email, password, next: '/admin/alerts' }).toString(),
  })
  return { status: res.status, retryAfter: res.headers.get('retry-after'), cookie: res.headers.get('set-cookie'), page: await res.text() }
}

const problemOf = (page: string) => /<p class="problem" role="alert">([\s\S]*?)<\/p>/.exec(page)?.[1]?.replace(/\s+/g, ' ').trim()

describe('login limits: per account', () => {
  it(`refuses attempt ${LOGIN_LIMITS.perAccount + 1} on one account with 429, Retry-After and a message, even with the right password`, async () => {
    for (let i = 0; i < LOGIN_LIMITS.perAccount; i++) expect((await logIn(ws.admin.email, 'wrong password')).status).toBe(401)
    const locked = await logIn(ws.admin.email, PASSWORD)
    expect(locked.status).toBe(429)
    expect(locked.cookie).toBeNull()
    expect(Number(locked.retryAfter)).toBeGreaterThan(LOGIN_LIMITS.windowMs / 1000 - 60)
    expect(Number(locked.retryAfter)).toBeLessThanOrEqual(LOGIN_LIMITS.windowMs / 1000)
    expect(problemOf(locked.page)).toBe('Too many login attempts. Try again in 15 minutes.')
    // The form is still there, with the e-mail kept.
    expect(locked.page).toContain(`value="${ws.admin.email}"`)
    // Another account of the same workspace is not affected.
    expect((await logIn(ws.marketer.email, PASSWORD)).status).toBe(303)
  })

  it('answers an e-mail no account has exactly as a known one: the limit does not tell which e-mails exist', async () => {
    const known = await createAdminWorkspace()
    const unknownEmail = `${newId('nobody')}@shop.test`
    const answers = async (email: string) => {
      const all = []
      for (let i = 0; i <= LOGIN_LIMITS.perAccount; i++) all.push(await logIn(email, 'wrong password'))
      return all.map((a) => ({ status: a.status, problem: problemOf(a.page), page: a.page.replaceAll(email, 'EMAIL') }))
    }
    expect(await answers(unknownEmail)).toEqual(await answers(known.sales.email))
  })

  it("forgets an account's failed attempts after a successful login", async () => {
    const fresh = await createAdminWorkspace()
    for (let i = 0; i < LOGIN_LIMITS.perAccount - 1; i++) expect((await logIn(fresh.admin.email, 'wrong')).status).toBe(401)
    expect((await logIn(fresh.admin.email, PASSWORD)).status).toBe(303)
    for (let i = 0; i < LOGIN_LIMITS.perAccount; i++) expect((await logIn(fresh.admin.email, 'wrong')).status).toBe(401)
    expect((await logIn(fresh.admin.email, 'wrong')).status).toBe(429)
  })

  it('lets the account try again once its window has ended, and counts the same e-mail in any case', async () => {
    const email = `${newId('clock')}@shop.test`
    const t0 = Date.now()
    for (let i = 0; i < LOGIN_LIMITS.perAccount; i++) expect(await admitLoginAttempt(env, email, null, t0 + i)).toEqual({ ok: true })
    expect(await admitLoginAttempt(env, ` ${email.toUpperCase()} `, null, t0 + 60_000)).toEqual({
      ok: false,
      retryAfterSeconds: LOGIN_LIMITS.windowMs / 1000 - 60,
    })
    // Attempts while locked do not extend the window.
    expect(await admitLoginAttempt(env, email, null, t0 + LOGIN_LIMITS.windowMs)).toEqual({ ok: true })
  })
})

describe('login limits: per client', () => {
  it(`refuses attempt ${LOGIN_LIMITS.perClient + 1} of one client across accounts; other clients are not affected`, async () => {
    const client = '203.0.113.9'
    for (let i = 0; i < LOGIN_LIMITS.perClient; i++) expect((await logIn(`${newId('spray')}@shop.test`, 'guess', client)).status).toBe(401)
    const refused = await logIn(ws.sales.email, PASSWORD, client)
    expect(refused.status).toBe(429)
    expect(Number(refused.retryAfter)).toBeGreaterThan(0)
    expect((await logIn(ws.sales.email, PASSWORD, '203.0.113.10')).status).toBe(303)
  })

  it("does not count a client's successful logins, only its failed ones", async () => {
    const office = await createAdminWorkspace()
    const client = '198.51.100.20'
    for (let i = 0; i < LOGIN_LIMITS.perClient - 1; i++)
      expect((await logIn(`${newId('typo')}@shop.test`, 'guess', client)).status).toBe(401)
    for (const user of [office.admin, office.marketer, office.sales]) expect((await logIn(user.email, PASSWORD, client)).status).toBe(303)
    expect((await logIn(`${newId('typo')}@shop.test`, 'guess', client)).status).toBe(401)
    expect((await logIn(`${newId('typo')}@shop.test`, 'guess', client)).status).toBe(429)
  })

  it('counts an IPv6 client by its /64 block, and an IPv4-mapped address as IPv4', async () => {
    expect(clientBlock('2001:db8:1:2::1')).toBe('2001:db8:1:2::/64')
    expect(clientBlock('2001:0db8:0001:0002:ffff:0:0:9')).toBe('2001:db8:1:2::/64')
    expect(clientBlock('2001:db8::1')).toBe('2001:db8:0:0::/64')
    expect(clientBlock('::ffff:198.51.100.7')).toBe('198.51.100.7')
    expect(clientBlock('198.51.100.7')).toBe('198.51.100.7')
    const t0 = Date.now()
    for (let i = 0; i < LOGIN_LIMITS.perClient; i++) await admitLoginAttempt(env, `${newId('v6')}@shop.test`, '2001:db8:77:1::1', t0)
    expect(await admitLoginAttempt(env, `${newId('v6')}@shop.test`, '2001:db8:77:1:abcd::2', t0)).toMatchObject({ ok: false })
    expect(await admitLoginAttempt(env, `${newId('v6')}@shop.test`, '2001:db8:77:2::1', t0)).toEqual({ ok: true })
  })

  it('keeps neither the e-mail nor the address, only their digests', async () => {
    const email = `${newId('kept')}@shop.test`
    await logIn(email, 'wrong', '192.0.2.55')
    const rows = await env.DB.prepare('SELECT key FROM rate_counters').all<{ key: string }>()
    const keys = rows.results.map((r) => r.key).join('\n')
    expect(keys).not.toContain(email)
    expect(keys).not.toContain('192.0.2.55')
    expect(keys).toMatch(/^login-client:[0-9a-f]{64}$/m)
  })
})
