// The Settings screen: admins change the workspace through a form checked by the API's schema
// (errors beside the field, nothing saved), pick the time zone from the runtime's list, and
// create or rotate the identity secret, shown on that one page only. Other roles get a 403 page
// and no Settings entry in the menu.
import { env } from 'cloudflare:test'
import { beforeAll, describe, expect, it } from 'vitest'
import { apiJson, createAdminWorkspace, logIn, PASSWORD, web, type AdminFixture } from './admin-fixture'

let ws: AdminFixture
let adminCookie: string | null

beforeAll(async () => {
  ws = await createAdminWorkspace()
  adminCookie = (await logIn(ws.admin.email, PASSWORD)).cookie
})

const settings = (overrides: Record<string, string> = {}) => ({
  name: 'Shop',
  timeZone: 'Europe/Warsaw',
  weekStartsOn: '1',
  senderName: '',
  ...overrides,
})

const stored = () => env.DB.prepare('SELECT * FROM workspaces WHERE id = ?').bind(ws.shop.workspaceId).first()

describe('settings UI', () => {
  it('shows the settings with the current time zone selected among every zone the runtime knows', async () => {
    const res = await web(adminCookie, 'GET', '/admin/workspace')
    expect(res.status).toBe(200)
    const page = await res.text()
    expect(page).toMatch(/<a href="\/admin\/workspace" +aria-current="page">Settings<\/a>/)
    expect(page).toMatch(/<option value="Europe\/Warsaw" +selected>Warsaw \(Europe\)<\/option>/)
    expect(page.match(/<option value="[A-Z][\w/+-]*"/g)?.length).toBe(Intl.supportedValuesOf('timeZone').length + 1)
    expect(page).toContain('No secret yet')
  })

  it('saves the form, and refuses a bad one with the reason beside the field, saving nothing', async () => {
    const before = await stored()
    const bad = await web(adminCookie, 'POST', '/admin/workspace', settings({ timeZone: 'Mars/Olympus', senderName: 'Eve <e@x.test>' }))
    expect(bad.status).toBe(400)
    const page = await bad.text()
    expect(page).toContain('2 fields need attention')
    expect(page).toContain('&quot;Mars/Olympus&quot; is not a time zone')
    expect(page).toContain('goes into the From line of alert e-mails')
    expect(await stored()).toEqual(before)

    const saved = await web(
      adminCookie,
      'POST',
      '/admin/workspace',
      settings({ timeZone: 'Asia/Tokyo', weekStartsOn: '7', senderName: 'Shop Sales', honorPrivacySignals: 'on' }),
    )
    expect(saved.status).toBe(303)
    expect(saved.headers.get('location')).toBe('/admin/workspace?notice=settings-saved')
    expect(await apiJson(ws.sales.token, 'GET', '/workspace')).toMatchObject({
      timeZone: 'Asia/Tokyo',
      weekStartsOn: 7,
      senderName: 'Shop Sales',
      honorPrivacySignals: true,
    })
    expect(await (await web(adminCookie, 'GET', '/admin/workspace?notice=settings-saved')).text()).toContain('Settings saved.')
  })

  it('shows a new identity secret once, and only a date afterwards', async () => {
    const res = await web(adminCookie, 'POST', '/admin/workspace/identity-secret', {})
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('no-store')
    const secret = /data-testid="identity-secret">(pbi_[0-9a-f]{64})</.exec(await res.text())?.[1]
    expect(secret).toBeDefined()
    expect(
      await env.DB.prepare('SELECT identity_secret FROM workspaces WHERE id = ?').bind(ws.shop.workspaceId).first('identity_secret'),
    ).toBe(secret)
    const later = await (await web(adminCookie, 'GET', '/admin/workspace')).text()
    expect(later).not.toContain(secret)
    expect(later).toContain('A secret is set (created')
    expect(later).toContain('Rotate the secret')
  })

  it('refuses marketers and sales reps (403 page), hides the menu entry, and changes nothing', async () => {
    const before = await stored()
    for (const user of [ws.marketer, ws.sales]) {
      const { cookie } = await logIn(user.email, PASSWORD)
      const page = await web(cookie, 'GET', '/admin/workspace')
      expect(page.status).toBe(403)
      expect(await page.text()).toContain('Not allowed')
      expect((await web(cookie, 'POST', '/admin/workspace', settings({ name: 'Taken' }))).status).toBe(403)
      expect((await web(cookie, 'POST', '/admin/workspace/identity-secret', {})).status).toBe(403)
      expect(await (await web(cookie, 'GET', '/admin/sites')).text()).not.toContain('href="/admin/workspace"')
    }
    expect(await stored()).toEqual(before)
  })
})
