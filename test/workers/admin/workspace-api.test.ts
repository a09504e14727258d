// The workspace REST API: everyone reads the settings, admins change them; time zones are checked
// with the runtime's Intl and stored canonical; a refused body changes nothing; the identity
// secret is shown once, verifies signed identify calls at once, and a rotation retires the old
// one; the workspace's privacy setting reaches collect.
import { SELF, env } from 'cloudflare:test'
import { beforeAll, describe, expect, it } from 'vitest'
import { hmacSha256Hex } from '../../../worker/hex-digest'
import { BROWSER_UA, newId } from '../support/collect'
import { identifiedVisitor, pageview } from '../contact-object/shop-visitor'
import { SHOP_ORIGIN } from '../contact-object/workspace-fixture'
import { api, apiJson, createAdminWorkspace, type AdminFixture } from './admin-fixture'

type ApiWorkspace = {
  id: string
  name: string
  timeZone: string
  weekStartsOn: number
  senderName: string
  honorPrivacySignals: boolean
  identitySecret: { set: boolean; createdAt: number | null }
  webhookSecret: { set: boolean; createdAt: number | null }
}

let ws: AdminFixture
let other: AdminFixture

beforeAll(async () => {
  ws = await createAdminWorkspace()
  other = await createAdminWorkspace()
})

const row = (f: AdminFixture) => env.DB.prepare('SELECT * FROM workspaces WHERE id = ?').bind(f.shop.workspaceId).first()

describe('workspace API: settings', () => {
  it('shows every role the settings, without any secret', async () => {
    for (const user of [ws.admin, ws.marketer, ws.sales]) {
      const { createdAt, ...json } = await apiJson<ApiWorkspace & { createdAt: number }>(user.token, 'GET', '/workspace')
      expect(createdAt).toBeGreaterThan(0)
      expect(json).toEqual({
        id: ws.shop.workspaceId,
        name: 'Shop',
        timeZone: 'Europe/Warsaw',
        weekStartsOn: 1,
        senderName: '',
        honorPrivacySignals: false,
        identitySecret: { set: false, createdAt: null },
        webhookSecret: { set: false, createdAt: null },
      })
    }
  })

  it('changes the given settings for an admin, spelling the time zone as the runtime does, and only in its own workspace', async () => {
    const theirs = await row(other)
    const changed = await apiJson<ApiWorkspace>(ws.admin.token, 'PATCH', '/workspace', {
      name: '  Shop Europe ',
      timeZone: 'america/new_york',
      weekStartsOn: 7,
      senderName: 'Shop Sales (EU)',
    })
    expect(changed).toMatchObject({ name: 'Shop Europe', timeZone: 'America/New_York', weekStartsOn: 7, senderName: 'Shop Sales (EU)' })
    expect(await apiJson(ws.sales.token, 'GET', '/workspace')).toEqual(changed)
    expect(await apiJson(ws.admin.token, 'PATCH', '/workspace', { timeZone: 'Europe/Warsaw' })).toMatchObject({
      name: 'Shop Europe',
      timeZone: 'Europe/Warsaw',
    })
    expect(await row(other)).toEqual(theirs)
  })

  const cases: Array<[string, string, unknown]> = [
    ['body not JSON', 'body', '{"name":'],
    ['body not an object', 'body', ['x']],
    ['unknown field', 'identitySecret', { identitySecret: 'mine' }],
    ['an empty name', 'name', { name: ' ' }],
    ['an unknown time zone', 'timeZone', { timeZone: 'Mars/Olympus' }],
    ['an offset for a time zone', 'timeZone', { timeZone: '+01:00' }],
    ['a time zone that is not text', 'timeZone', { timeZone: 1 }],
    ['week start 0', 'weekStartsOn', { weekStartsOn: 0 }],
    ['week start 8', 'weekStartsOn', { weekStartsOn: 8 }],
    ['week start 1.5', 'weekStartsOn', { weekStartsOn: 1.5 }],
    ['week start as text', 'weekStartsOn', { weekStartsOn: '1' }],
    ['a sender name with an address', 'senderName', { senderName: 'Eve <eve@evil.test>' }],
    ['a sender name with a quote', 'senderName', { senderName: 'Shop" <x@y.z>' }],
    ['a sender name with a line break', 'senderName', { senderName: 'Shop\r\nBcc: x@y.z' }],
    ['a sender name too long', 'senderName', { senderName: 'x'.repeat(81) }],
    ['privacy signals not boolean', 'honorPrivacySignals', { honorPrivacySignals: 'yes' }],
  ]

  it.each(cases)('refuses %s: 400 naming %s, nothing changed', async (_, field, body) => {
    const before = await row(ws)
    const res = await api(ws.admin.token, 'PATCH', '/workspace', body)
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({ error: 'invalid workspace', field })
    expect(await row(ws)).toEqual(before)
  })

  it('explains an unknown time zone with an example', async () => {
    const res = await api(ws.admin.token, 'PATCH', '/workspace', { timeZone: 'Mars/Olympus' })
    expect(await res.json()).toMatchObject({
      reason: '"Mars/Olympus" is not a time zone: choose an IANA name such as Europe/Paris or America/New_York',
    })
  })

  it('refuses marketers and sales reps any change (403) and changes nothing', async () => {
    const before = await row(ws)
    for (const user of [ws.marketer, ws.sales]) {
      for (const [method, path] of [
        ['PATCH', '/workspace'],
        ['POST', '/workspace/identity-secret'],
        ['POST', '/workspace/webhook-secret'],
      ] as const) {
        const res = await api(user.token, method, path, { name: 'Taken over' })
        expect(res.status).toBe(403)
      }
    }
    expect(await row(ws)).toEqual(before)
    expect((await api(null, 'GET', '/workspace')).status).toBe(401)
  })
})

describe('workspace API: identity secret', () => {
  it('shows a new secret once; identify calls signed with it are verified at once; a rotation retires it', async () => {
    const res = await api(ws.admin.token, 'POST', '/workspace/identity-secret')
    expect(res.status).toBe(201)
    const first = await res.json<{ secret: string; createdAt: number }>()
    expect(first.secret).toMatch(/^pbi_[0-9a-f]{64}$/)
    const read = await apiJson<ApiWorkspace>(ws.admin.token, 'GET', '/workspace')
    expect(read.identitySecret).toEqual({ set: true, createdAt: first.createdAt })
    expect(JSON.stringify(read)).not.toContain(first.secret)

    const signedWith = (secret: string) => (email: string) => hmacSha256Hex(secret, email)
    expect((await identifiedVisitor(ws.shop, signedWith(first.secret))).contact.identifiedBy).toBe('verified-identify')

    const second = await apiJson<{ secret: string }>(ws.admin.token, 'POST', '/workspace/identity-secret')
    expect(second.secret).not.toBe(first.secret)
    expect((await identifiedVisitor(ws.shop, signedWith(first.secret))).contact.identifiedBy).toBe('identify')
    expect((await identifiedVisitor(ws.shop, signedWith(second.secret))).contact.identifiedBy).toBe('verified-identify')
  })
})

describe('workspace API: privacy signals', () => {
  const page = () => ({ site: ws.shop.siteKey, visitor: newId('v'), events: [pageview(newId('visit'), '/a')] })
  /** A page view from a browser that sends Do-Not-Track. */
  const withDnt = () =>
    SELF.fetch('https://pagebell.test/api/collect', {
      method: 'POST',
      headers: { 'content-type': 'text/plain', origin: SHOP_ORIGIN, 'user-agent': BROWSER_UA, dnt: '1' },
      body: JSON.stringify(page()),
    })

  it("drops GPC and DNT on every site of a workspace that asks for it, whatever the site's own setting", async () => {
    expect((await withDnt()).status).toBe(200)
    await apiJson(ws.admin.token, 'PATCH', '/workspace', { honorPrivacySignals: true })
    const dropped = await withDnt()
    expect(dropped.status).toBe(202)
    expect(await dropped.json()).toEqual({ dropped: 'privacy-signal' })
    const site = await apiJson<{ snippet: string }>(ws.admin.token, 'GET', `/sites/${ws.shop.siteId}`)
    expect(site.snippet).toContain(' data-dnt>')
    await apiJson(ws.admin.token, 'PATCH', '/workspace', { honorPrivacySignals: false })
    expect((await withDnt()).status).toBe(200)
  })
})
