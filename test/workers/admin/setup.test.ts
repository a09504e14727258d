// The first run: on an instance with no user the login page leads to /admin/setup, whose form
// creates the workspace and its first admin and logs them in; a refused form creates nothing;
// afterwards the setup is closed (the form redirects to login, a post is 404) and two racing
// setups cannot both succeed. With SETUP_TOKEN set, the form needs the token.
import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test'
import { beforeAll, describe, expect, it } from 'vitest'
import { createDb } from '../../../worker/db/client'
import { createFirstWorkspace } from '../../../worker/db/queries/workspaces'
import worker from '../../../worker/index'
import { BASE, logIn, web } from './admin-fixture'

const PASSWORD = 'a long enough password'

const setupForm = (overrides: Record<string, string> = {}) => ({
  workspace: 'Acme',
  timeZone: 'Europe/Paris',
  name: 'Ada Admin',
  email: 'Ada@Acme.test',
  password: PASSWORD,
  ...overrides,
})

const count = async (table: 'users' | 'workspaces') => env.DB.prepare(`SELECT count(*) AS n FROM ${table}`).first<number>('n')

beforeAll(async () => {
  // This file's storage is its own: the instance starts with no user, as a fresh deployment does.
  expect(await count('users')).toBe(0)
})

/** Calls the worker with extra bindings (a secret the test configuration does not set). */
async function withEnv(extra: Record<string, string>, path: string, form?: Record<string, string>) {
  const ctx = createExecutionContext()
  const req = new Request(`${BASE}${path}`, {
    method: form ? 'POST' : 'GET',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: BASE },
    body: form ? new URLSearchParams(form).toString() : undefined,
  })
  const res = await worker.fetch(req, { ...env, ...extra }, ctx)
  await waitOnExecutionContext(ctx)
  return res
}

describe('first run: before anyone exists', () => {
  it('sends the login page to the setup form, which offers every time zone', async () => {
    const login = await web(null, 'GET', '/admin/login')
    expect(login.status).toBe(302)
    expect(login.headers.get('location')).toBe('/admin/setup')
    const res = await web(null, 'GET', '/admin/setup')
    expect(res.status).toBe(200)
    const page = await res.text()
    expect(page).toContain('Set up Pagebell')
    expect(page).toContain('<label for="workspace">Workspace name</label>')
    expect(page).toContain('<option value="Europe/Paris"')
    expect(page).toContain('<optgroup label="America">')
    expect(page).not.toContain('Setup token')
  })

  it.each([
    ['no workspace name', { workspace: ' ' }, 'give the workspace a name'],
    ['an unknown time zone', { timeZone: 'Mars/Olympus' }, 'is not a time zone'],
    ['a bad e-mail', { email: 'ada at acme' }, 'not an e-mail address'],
    ['a short password', { password: 'short' }, 'use at least 10 characters'],
  ])('refuses a form with %s (400, the reason beside the field), and creates nothing', async (_, overrides, reason) => {
    const res = await web(null, 'POST', '/admin/setup', setupForm(overrides))
    expect(res.status).toBe(400)
    const page = await res.text()
    expect(page).toContain(reason)
    expect(page).toContain('aria-invalid="true"')
    expect(page).toContain('value="Ada Admin"')
    expect(page).not.toContain(PASSWORD)
    expect(await count('users')).toBe(0)
    expect(await count('workspaces')).toBe(0)
  })

  it('refuses a form posted from another site (CSRF) and creates nothing', async () => {
    expect((await web(null, 'POST', '/admin/setup', setupForm(), 'https://evil.test')).status).toBe(403)
    expect(await count('users')).toBe(0)
  })

  it('asks for the setup token when the deployment sets SETUP_TOKEN, and refuses a wrong one', async () => {
    const page = await (await withEnv({ SETUP_TOKEN: 'tok-123' }, '/admin/setup')).text()
    expect(page).toContain('Setup token')
    const refused = await withEnv({ SETUP_TOKEN: 'tok-123' }, '/admin/setup', { ...setupForm(), token: 'tok-124' })
    expect(refused.status).toBe(400)
    expect(await refused.text()).toContain('not the setup token of this deployment')
    expect(await count('users')).toBe(0)
  })
})

describe('first run: setting up', () => {
  it('creates the workspace and its admin, logs them in, and closes the setup', async () => {
    const res = await web(null, 'POST', '/admin/setup', setupForm())
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('/admin/sites?notice=welcome')
    const cookie = res.headers.get('set-cookie')?.split(';')[0] ?? null
    expect(res.headers.get('set-cookie')).toMatch(/HttpOnly/i)

    const sites = await web(cookie, 'GET', '/admin/sites?notice=welcome')
    expect(sites.status).toBe(200)
    const page = await sites.text()
    expect(page).toContain('Your workspace is ready')
    expect(page).toContain('Add your first site')

    const user = await env.DB.prepare(
      'SELECT u.email, u.name, u.role, w.name AS workspace, w.time_zone FROM users u JOIN workspaces w ON w.id = u.workspace_id',
    ).first()
    expect(user).toEqual({ email: 'ada@acme.test', name: 'Ada Admin', role: 'admin', workspace: 'Acme', time_zone: 'Europe/Paris' })
    expect((await logIn('ada@acme.test', PASSWORD)).status).toBe(303)

    const again = await web(null, 'GET', '/admin/setup')
    expect(again.status).toBe(302)
    expect(again.headers.get('location')).toBe('/admin/login')
    expect((await web(null, 'GET', '/admin/login')).status).toBe(200)
    const second = await web(null, 'POST', '/admin/setup', setupForm({ email: 'mallory@evil.test', workspace: 'Taken' }))
    expect(second.status).toBe(404)
    expect(await second.text()).toContain('already set up')
    const withToken = await withEnv({ SETUP_TOKEN: 'tok-123' }, '/admin/setup', {
      ...setupForm({ email: 'mallory@evil.test' }),
      token: 'tok-123',
    })
    expect(withToken.status).toBe(404)
    expect(await count('users')).toBe(1)
    expect(await count('workspaces')).toBe(1)
  })

  it('writes nothing when the statements run on an instance that already has a user (the race the form cannot see)', async () => {
    const raced = await createFirstWorkspace(createDb(env.DB), {
      workspace: { id: 'ws_raced', name: 'Raced', timeZone: 'UTC' },
      admin: { id: 'usr_raced', email: 'raced@acme.test', name: '', passwordHash: 'x' },
    })
    expect(raced).toBe(false)
    expect(await count('users')).toBe(1)
    expect(await count('workspaces')).toBe(1)
  })
})
