// Every kind of bad input gets its status and a JSON reason, and changes nothing: no D1 row,
// and the visitor's object has not seen the event ids (a clean retry is accepted in full).
import { env, SELF } from 'cloudflare:test'
import { beforeAll, describe, expect, it } from 'vitest'
import { BROWSER_UA, newId } from '../support/collect'
import { SHOP_ORIGIN, createWorkspace, type Fixture } from '../contact-object/workspace-fixture'

let shop: Fixture

beforeAll(async () => {
  shop = await createWorkspace()
})

type Ids = { visitor: string; events: [string, string]; visit: string }
type Body = string | Uint8Array | Record<string, unknown>
type Case = {
  name: string
  body: (ids: Ids) => Body
  headers?: Record<string, string | null>
  status: number
  reason: RegExp
}

const pv = (ids: Ids, extra: Record<string, unknown> = {}) => ({
  id: ids.events[0],
  type: 'pageview',
  visit: ids.visit,
  url: `${SHOP_ORIGIN}/a`,
  title: 'A',
  ...extra,
})
const ident = (ids: Ids, extra: Record<string, unknown> = {}) => ({
  id: ids.events[1],
  type: 'identify',
  email: `${ids.visitor}@buyer.test`,
  ...extra,
})
const batch = (ids: Ids, events: unknown[] = [pv(ids), ident(ids)], extra: Record<string, unknown> = {}) => ({
  site: shop.siteKey,
  visitor: ids.visitor,
  events,
  ...extra,
})
/** The valid batch as JSON text with `replace` applied: for what JSON.stringify cannot write. */
const rawBatch = (ids: Ids, replace: (json: string) => string) => replace(JSON.stringify(batch(ids)))
const engage = (ids: Ids, visibleMs: unknown) => ({ id: ids.events[1], type: 'engage', visit: ids.visit, state: 'heartbeat', visibleMs })
const fields = (n: number, size: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`f${i}`, 'x'.repeat(size)]))

const CASES: Case[] = [
  { name: 'broken JSON', body: () => '{"site": "', status: 400, reason: /malformed JSON/ },
  { name: 'empty body', body: () => '', status: 400, reason: /malformed JSON/ },
  { name: 'a JSON array instead of a batch', body: () => '[]', status: 400, reason: /invalid site/ },
  { name: 'no events property', body: (ids) => ({ site: shop.siteKey, visitor: ids.visitor }), status: 400, reason: /invalid events/ },
  { name: 'an empty events array', body: (ids) => batch(ids, []), status: 400, reason: /invalid events/ },
  { name: 'events as a string', body: (ids) => batch(ids, 'pageview' as never), status: 400, reason: /invalid events/ },
  {
    name: 'an unknown event type',
    body: (ids) => batch(ids, [{ ...pv(ids), type: 'purchase' }]),
    status: 400,
    reason: /invalid events\.0\.type/,
  },
  { name: 'a URL that is a number', body: (ids) => batch(ids, [pv(ids, { url: 42 })]), status: 400, reason: /invalid events\.0\.url/ },
  {
    name: 'NaN for a time (not JSON)',
    body: (ids) => rawBatch(ids, (j) => j.replace('"title":"A"', '"title":NaN')),
    status: 400,
    reason: /malformed JSON/,
  },
  { name: 'a time as the string "NaN"', body: (ids) => batch(ids, [pv(ids), engage(ids, 'NaN')]), status: 400, reason: /visibleMs/ },
  { name: 'a negative time', body: (ids) => batch(ids, [pv(ids), engage(ids, -1)]), status: 400, reason: /visibleMs/ },
  { name: 'a huge time', body: (ids) => batch(ids, [pv(ids), engage(ids, 1e308)]), status: 400, reason: /visibleMs/ },
  { name: 'a fractional time', body: (ids) => batch(ids, [pv(ids), engage(ids, 1.5)]), status: 400, reason: /visibleMs/ },
  {
    name: 'a javascript: URL',
    body: (ids) => batch(ids, [pv(ids, { url: 'javascript:alert(1)' })]),
    status: 400,
    reason: /only http\(s\) URLs/,
  },
  { name: 'a data: referrer', body: (ids) => batch(ids, [pv(ids, { referrer: 'data:text/html,<b>x' })]), status: 400, reason: /referrer/ },
  {
    name: 'a __proto__ key in form fields',
    body: (ids) =>
      rawBatch(ids, (j) =>
        j.replace(/\{"id":"([^"]+)","type":"identify"/, '{"id":"$1","type":"identify","traits":{"__proto__":{"admin":true}}'),
      ),
    status: 400,
    reason: /forbidden key __proto__/,
  },
  {
    name: 'a __proto__ key at the top level',
    body: (ids) => rawBatch(ids, (j) => j.replace('{', '{"__proto__":{"x":1},')),
    status: 400,
    reason: /forbidden key/,
  },
  {
    name: 'a constructor key in track props',
    body: (ids) => batch(ids, [{ id: ids.events[0], type: 'track', name: 'x', props: { constructor: 'y' } }]),
    status: 400,
    reason: /forbidden key constructor/,
  },
  {
    name: 'a lone surrogate in a title',
    body: (ids) => batch(ids, [pv(ids, { title: 'a\ud800b' })]),
    status: 400,
    reason: /lone surrogates/,
  },
  {
    name: 'CR/LF in a title',
    body: (ids) => batch(ids, [pv(ids, { title: 'a\r\nBcc: x@evil.test' })]),
    status: 400,
    reason: /control characters/,
  },
  {
    name: 'a NUL in a track name',
    body: (ids) => batch(ids, [{ id: ids.events[0], type: 'track', name: 'a\u0000' }]),
    status: 400,
    reason: /control characters/,
  },
  {
    name: 'bytes that are not UTF-8',
    body: (ids) => new Uint8Array([...new TextEncoder().encode(JSON.stringify(batch(ids)).slice(0, -2)), 0xff, 0xfe, 0x5d, 0x7d]),
    status: 400,
    reason: /not UTF-8/,
  },
  {
    name: 'a body over 64 KB',
    body: (ids) => batch(ids, [pv(ids)], { pad: 'x'.repeat(65 * 1024) }),
    status: 413,
    reason: /body over 65536 bytes/,
  },
  {
    name: 'an event over 32 KB',
    body: (ids) => batch(ids, [{ id: ids.events[0], type: 'form', visit: ids.visit, form: {}, fields: fields(40, 1000) }]),
    status: 413,
    reason: /an event over 32768 bytes/,
  },
  {
    name: '21 events',
    body: (ids) =>
      batch(
        ids,
        Array.from({ length: 21 }, () => pv(ids)),
      ),
    status: 413,
    reason: /over 20 events/,
  },
  {
    name: 'a 10,000-element events array',
    body: (ids) =>
      batch(
        ids,
        Array.from({ length: 10_000 }, () => 1),
      ),
    status: 413,
    reason: /over 20 events/,
  },
  {
    name: 'a 10,000-element array as a field',
    body: (ids) => batch(ids, [pv(ids), ident(ids, { traits: { tags: Array.from({ length: 10_000 }, () => 1) } })]),
    status: 400,
    reason: /traits/,
  },
  // Deep enough to exhaust the parser's stack: refused as unreadable, not a crash.
  { name: '30,000 nested arrays', body: () => '['.repeat(30_000) + ']'.repeat(30_000), status: 400, reason: /malformed JSON/ },
  { name: 'an unknown property', body: (ids) => batch(ids, undefined, { debug: true }), status: 400, reason: /invalid debug/ },
  { name: 'visitor null', body: (ids) => ({ ...batch(ids), visitor: null }), status: 400, reason: /invalid visitor/ },
  { name: 'visitor "null"', body: (ids) => ({ ...batch(ids), visitor: 'null' }), status: 400, reason: /invalid visitor/ },
  {
    name: 'visitor "undefined"',
    body: (ids) => ({ ...batch(ids), visitor: 'undefined' }),
    status: 400,
    reason: /invalid visitor: a placeholder/,
  },
  { name: 'visitor ""', body: (ids) => ({ ...batch(ids), visitor: '' }), status: 400, reason: /invalid visitor/ },
  {
    name: 'a visitor id over 64 characters',
    body: (ids) => ({ ...batch(ids), visitor: 'v'.repeat(65) }),
    status: 400,
    reason: /invalid visitor/,
  },
  {
    name: 'an event id "undefined"',
    body: (ids) => batch(ids, [pv(ids, { id: 'undefined' })]),
    status: 400,
    reason: /invalid events\.0\.id/,
  },
  {
    name: 'an identify without an e-mail address',
    body: (ids) => batch(ids, [ident(ids, { email: 'not-an-email' })]),
    status: 400,
    reason: /not an e-mail address/,
  },
  {
    name: 'a signature that is not hex',
    body: (ids) => batch(ids, [ident(ids, { sig: 'z'.repeat(64) })]),
    status: 400,
    reason: /hex HMAC/,
  },
  {
    name: 'a form-encoded body',
    body: (ids) => batch(ids),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    status: 415,
    reason: /text\/plain or application\/json/,
  },
  {
    name: 'no content type',
    body: (ids) => new TextEncoder().encode(JSON.stringify(batch(ids))),
    headers: { 'content-type': null },
    status: 415,
    reason: /text\/plain/,
  },
  { name: 'a site key of the wrong shape', body: (ids) => ({ ...batch(ids), site: 'a b' }), status: 400, reason: /invalid site/ },
  { name: 'an unknown site', body: (ids) => ({ ...batch(ids), site: 'no-such-site-key' }), status: 404, reason: /unknown site/ },
  { name: 'a foreign origin', body: (ids) => batch(ids), headers: { origin: 'https://evil.test' }, status: 202, reason: /origin/ },
  {
    name: 'a look-alike origin',
    body: (ids) => batch(ids),
    headers: { origin: 'https://shop.test.evil.test' },
    status: 202,
    reason: /origin/,
  },
  { name: 'no origin', body: (ids) => batch(ids), headers: { origin: null }, status: 202, reason: /origin/ },
  {
    name: 'a bot user agent',
    body: (ids) => batch(ids),
    headers: { 'user-agent': 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)' },
    status: 202,
    reason: /bot/,
  },
  {
    name: 'a headless browser',
    body: (ids) => batch(ids),
    headers: { 'user-agent': BROWSER_UA.replace('Chrome/', 'HeadlessChrome/') },
    status: 202,
    reason: /bot/,
  },
  { name: 'no user agent', body: (ids) => batch(ids), headers: { 'user-agent': null }, status: 202, reason: /bot/ },
]

function post(body: Body, overrides: Record<string, string | null> = {}) {
  const headers = new Headers({ 'content-type': 'text/plain', origin: SHOP_ORIGIN, 'user-agent': BROWSER_UA })
  for (const [name, value] of Object.entries(overrides)) {
    if (value === null) headers.delete(name)
    else headers.set(name, value)
  }
  const payload = typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body)
  return SELF.fetch('https://pagebell.test/api/collect', { method: 'POST', headers, body: payload })
}

async function rowCounts() {
  const q = (sql: string, arg: string) =>
    env.DB.prepare(sql)
      .bind(arg)
      .first<{ n: number }>()
      .then((r) => r?.n)
  return {
    contacts: await q('SELECT count(*) AS n FROM contacts WHERE workspace_id = ?', shop.workspaceId),
    visitors: await q('SELECT count(*) AS n FROM visitors WHERE site_id = ?', shop.siteId),
  }
}

describe('collect: bad input', () => {
  it('has at least 25 kinds of bad input', () => expect(CASES.length).toBeGreaterThanOrEqual(25))

  it.each(CASES)('answers $status to $name and stores nothing', async ({ body, headers, status, reason }) => {
    const ids: Ids = { visitor: newId('v'), events: [newId('e'), newId('e')], visit: newId('visit') }
    const before = await rowCounts()
    const res = await post(body(ids), headers)
    expect(res.status).toBe(status)
    const json = await res.json<{ error?: string; dropped?: string }>()
    expect(json.error ?? json.dropped).toMatch(reason)
    expect(await rowCounts()).toEqual(before)

    // The visitor's object never saw these ids: the same ids in a clean batch all count.
    const clean = batch(ids, [pv(ids), { ...pv(ids), id: ids.events[1] }])
    const retry = await post(clean)
    expect(retry.status).toBe(200)
    expect(await retry.json()).toEqual({ accepted: 2, duplicates: 0 })
  })
})
