// The install check: accepted batches note their time and origin in isolate memory; D1 is
// written for a site at most once a minute per isolate (the first event at once), so events
// cost no D1 write each; the API and the admin page show the later of D1 and the note.
import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test'
import { beforeAll, describe, expect, it } from 'vitest'
import { lastSeenOf, noteLastSeen, WRITE_EVERY_MS } from '../../../worker/collect/last-seen'
import worker from '../../../worker/index'
import { agoText, installCheck } from '../../../worker/sites/install-check'
import { BROWSER_UA, newId } from '../support/collect'
import { pageview } from '../contact-object/shop-visitor'
import { SHOP_ORIGIN } from '../contact-object/workspace-fixture'
import { apiJson, createAdminWorkspace, logIn, PASSWORD, web, type AdminFixture } from './admin-fixture'

let ws: AdminFixture

beforeAll(async () => {
  ws = await createAdminWorkspace()
})

type Row = { id: string; lastEventAt: number | null; lastEventOrigin: string | null }

async function stored(siteId: string): Promise<Row> {
  const row = await env.DB.prepare('SELECT id, last_event_at AS lastEventAt, last_event_origin AS lastEventOrigin FROM sites WHERE id = ?')
    .bind(siteId)
    .first<Row>()
  if (!row) throw new Error(`no site ${siteId}`)
  return row
}

/** Posts one page view and waits for the worker's `waitUntil` work (the write, when one is due). */
async function visit(siteKey: string, origin = SHOP_ORIGIN, ua = BROWSER_UA) {
  const ctx = createExecutionContext()
  const req = new Request('https://pagebell.test/api/collect', {
    method: 'POST',
    headers: { 'content-type': 'text/plain', origin, 'user-agent': ua },
    body: JSON.stringify({ site: siteKey, visitor: newId('v'), events: [pageview(newId('visit'), '/')] }),
  })
  const res = await worker.fetch(req, env, ctx)
  await waitOnExecutionContext(ctx)
  return res.status
}

describe('install check: last seen without a D1 write per event', () => {
  it('writes a site at once on its first event, then at most once a minute, keeping the latest note in memory', async () => {
    const siteId = newId('site-unit')
    await env.DB.prepare("INSERT INTO sites (id, workspace_id, key, name, allowed_domains) VALUES (?, ?, ?, 'Unit', '[\"shop.test\"]')")
      .bind(siteId, ws.shop.workspaceId, newId('key'))
      .run()
    const t0 = 1_900_000_000_000
    await noteLastSeen(env.DB, siteId, 'https://a.shop.test', t0)
    expect(await stored(siteId)).toMatchObject({ lastEventAt: t0, lastEventOrigin: 'https://a.shop.test' })

    await noteLastSeen(env.DB, siteId, 'https://b.shop.test', t0 + 10_000)
    await noteLastSeen(env.DB, siteId, 'https://c.shop.test', t0 + WRITE_EVERY_MS - 1)
    const row = await stored(siteId)
    expect(row.lastEventAt).toBe(t0)
    expect(lastSeenOf(row)).toEqual({ at: t0 + WRITE_EVERY_MS - 1, origin: 'https://c.shop.test' })

    await noteLastSeen(env.DB, siteId, 'https://d.shop.test', t0 + WRITE_EVERY_MS)
    expect(await stored(siteId)).toMatchObject({ lastEventAt: t0 + WRITE_EVERY_MS, lastEventOrigin: 'https://d.shop.test' })
  })

  it('never moves the stored time back (another isolate wrote a later event)', async () => {
    const siteId = newId('site-unit')
    const later = 1_900_000_500_000
    await env.DB.prepare(
      "INSERT INTO sites (id, workspace_id, key, name, allowed_domains, last_event_at, last_event_origin) VALUES (?, ?, ?, 'Unit', '[\"shop.test\"]', ?, 'https://later.shop.test')",
    )
      .bind(siteId, ws.shop.workspaceId, newId('key'), later)
      .run()
    await noteLastSeen(env.DB, siteId, 'https://earlier.shop.test', later - 1_000)
    expect(await stored(siteId)).toMatchObject({ lastEventAt: later, lastEventOrigin: 'https://later.shop.test' })
  })

  it('is fed by accepted batches only: a dropped one (bot, foreign origin) does not count', async () => {
    const site = await apiJson<{ id: string; key: string }>(ws.admin.token, 'POST', '/sites', {
      name: 'Fresh',
      allowedDomains: ['shop.test'],
    })
    expect(await visit(site.key, SHOP_ORIGIN, 'curl/8.5.0')).toBe(202)
    expect(await visit(site.key, 'https://evil.test')).toBe(202)
    expect((await stored(site.id)).lastEventAt).toBeNull()

    const before = Date.now()
    expect(await visit(site.key, 'https://www.shop.test')).toBe(200)
    const first = await stored(site.id)
    expect(first.lastEventAt).toBeGreaterThanOrEqual(before)
    expect(first.lastEventOrigin).toBe('https://www.shop.test')

    // A second event within the minute: no write, but the API already shows it.
    expect(await visit(site.key)).toBe(200)
    expect(await stored(site.id)).toEqual(first)
    const json = await apiJson<{ install: { lastEventAt: number; lastEventOrigin: string } }>(ws.sales.token, 'GET', `/sites/${site.id}`)
    expect(json.install.lastEventOrigin).toBe(SHOP_ORIGIN)
    expect(json.install.lastEventAt).toBeGreaterThanOrEqual(first.lastEventAt ?? 0)
  })

  it('turns the admin page green once events arrive, and answers the page script as JSON', async () => {
    const site = await apiJson<{ id: string; key: string }>(ws.admin.token, 'POST', '/sites', {
      name: 'Green',
      allowedDomains: ['shop.test'],
    })
    const { cookie } = await logIn(ws.marketer.email, PASSWORD)
    const waiting = await (await web(cookie, 'GET', `/admin/sites/${site.id}/install`)).json()
    expect(waiting).toEqual({ state: 'waiting', text: expect.stringContaining('Waiting for the first event') as unknown })
    expect(await (await web(cookie, 'GET', `/admin/sites/${site.id}`)).text()).toContain('data-install="waiting"')

    expect(await visit(site.key)).toBe(200)
    const live = await (await web(cookie, 'GET', `/admin/sites/${site.id}/install`)).json()
    expect(live).toEqual({ state: 'live', text: `Receiving events: last event just now from ${SHOP_ORIGIN}.` })
    expect(await (await web(cookie, 'GET', `/admin/sites/${site.id}`)).text()).toContain('data-install="live"')
  })

  it('reads as stale after a day without events, with how long ago in words', () => {
    const at = 1_900_000_000_000
    const site = { id: newId('site'), lastEventAt: at, lastEventOrigin: 'https://shop.test' }
    const row = { ...site, workspaceId: '', key: '', name: '', allowedDomains: [], defaultOwnerId: null }
    const full = { ...row, requireVerifiedIdentity: false, honorPrivacySignals: false, rulesVersion: 1, createdAt: at }
    expect(installCheck(full, at + 3 * 60_000)).toMatchObject({ state: 'live', ago: '3 min ago' })
    expect(installCheck(full, at + 5 * 86_400_000)).toMatchObject({ state: 'stale', ago: '5 days ago' })
    expect([agoText(30_000), agoText(5 * 3_600_000), agoText(47 * 3_600_000)]).toEqual(['just now', '5 h ago', '47 h ago'])
  })
})
