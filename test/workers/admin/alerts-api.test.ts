// The alerts REST API: each refused body is a 400 naming the field and changes nothing; sales
// reps read but do not change; another workspace's ids are 404; a change reaches the contact
// objects through the rules version.
import { env, runDurableObjectAlarm } from 'cloudflare:test'
import { beforeAll, describe, expect, it } from 'vitest'
import { contactStub } from '../../../durable-objects/contact-stub'
import { localDay } from '../../../durable-objects/rules/calendar'
import { identifiedVisitor, openPage } from '../contact-object/shop-visitor'
import { waitForMail } from '../support/collect'
import {
  api,
  apiJson,
  createAdminWorkspace,
  logIn,
  PASSWORD,
  rulesVersion,
  validAlert,
  web,
  type AdminFixture,
  type ApiAlert,
} from './admin-fixture'

let ws: AdminFixture
let other: AdminFixture

beforeAll(async () => {
  ws = await createAdminWorkspace()
  other = await createAdminWorkspace()
})

/** What the API reports and the rules version, to show that a refused request changed nothing. */
async function state(f: AdminFixture) {
  return { alerts: await apiJson(f.admin.token, 'GET', '/alerts'), version: await rulesVersion(f.shop.siteId) }
}

describe('alerts API: create, read, update, delete', () => {
  it('creates an alert with defaults, lists it, reads it, changes it, toggles it and deletes it', async () => {
    const created = await api(ws.marketer.token, 'POST', '/alerts', validAlert())
    expect(created.status).toBe(201)
    const alert = await created.json<ApiAlert>()
    expect(alert).toMatchObject({
      name: 'Pricing readers',
      active: true,
      notifyOwner: true,
      notifyCreator: false,
      frequency: { count: 1, period: 'day' },
    })
    expect(created.headers.get('location')).toBe(`/api/v1/alerts/${alert.id}`)

    const list = await apiJson<{ alerts: ApiAlert[] }>(ws.sales.token, 'GET', '/alerts')
    expect(list.alerts.map((a) => a.id)).toEqual([alert.id])
    expect(await apiJson(ws.sales.token, 'GET', `/alerts/${alert.id}`)).toMatchObject({ id: alert.id, lastSentAt: null })

    const patched = await apiJson<ApiAlert>(ws.marketer.token, 'PATCH', `/alerts/${alert.id}`, {
      name: 'Pricing, renamed',
      frequency: { count: 3, period: 'week' },
      cc: ' a@shop.test , A@shop.test,b@shop.test ',
    })
    expect(patched).toMatchObject({
      name: 'Pricing, renamed',
      frequency: { count: 3, period: 'week' },
      cc: 'a@shop.test, b@shop.test',
      pages: alert.pages,
    })

    expect(await apiJson<ApiAlert>(ws.marketer.token, 'POST', `/alerts/${alert.id}/toggle`)).toMatchObject({ active: false })
    expect(await apiJson<ApiAlert>(ws.marketer.token, 'POST', `/alerts/${alert.id}/toggle`)).toMatchObject({ active: true })

    expect((await api(ws.admin.token, 'DELETE', `/alerts/${alert.id}`)).status).toBe(204)
    expect((await api(ws.admin.token, 'GET', `/alerts/${alert.id}`)).status).toBe(404)
  })
})

describe('alerts API: validation', () => {
  const long = (n: number) => 'x'.repeat(n)
  const cases: Array<[string, string, unknown]> = [
    ['body not JSON', 'body', '{"name":'],
    ['body not an object', 'body', [1, 2]],
    ['unknown field', 'colour', validAlert({ colour: 'red' })],
    ['name missing', 'name', { pages: [{ pattern: '/a', minSeconds: 0 }] }],
    ['name empty', 'name', validAlert({ name: '   ' })],
    ['name too long', 'name', validAlert({ name: long(121) })],
    ['name with a control character', 'name', validAlert({ name: 'a\u0007b' })],
    ['no page rows', 'pages', validAlert({ pages: [] })],
    ['21 page rows', 'pages', validAlert({ pages: Array.from({ length: 21 }, (_, i) => ({ pattern: `/p${i}`, minSeconds: 0 })) })],
    ['bare-word pattern', 'pages.0.pattern', validAlert({ pages: [{ pattern: 'pricing', minSeconds: 0 }] })],
    [
      'pattern with ***',
      'pages.1.pattern',
      validAlert({
        pages: [
          { pattern: '/a', minSeconds: 0 },
          { pattern: '/a/***', minSeconds: 0 },
        ],
      }),
    ],
    ['negative minimum', 'pages.0.minSeconds', validAlert({ pages: [{ pattern: '/a', minSeconds: -1 }] })],
    ['minimum over a day', 'pages.0.minSeconds', validAlert({ pages: [{ pattern: '/a', minSeconds: 86_401 }] })],
    ['fractional minimum', 'pages.0.minSeconds', validAlert({ pages: [{ pattern: '/a', minSeconds: 1.5 }] })],
    ['minimum as text', 'pages.0.minSeconds', validAlert({ pages: [{ pattern: '/a', minSeconds: '10' }] })],
    ['frequency count 0', 'frequency.count', validAlert({ frequency: { count: 0, period: 'day' } })],
    ['frequency count 101', 'frequency.count', validAlert({ frequency: { count: 101, period: 'day' } })],
    ['frequency period year', 'frequency.period', validAlert({ frequency: { count: 1, period: 'year' } })],
    ['bad CC address', 'cc', validAlert({ cc: 'sales@shop.test, not-an-address' })],
    ['CC over 255 characters', 'cc', validAlert({ cc: `${long(250)}@shop.test` })],
    ['CC with a line break', 'cc', validAlert({ cc: 'a@shop.test\r\nBcc: x@evil.test' })],
    ['nobody receives it', 'cc', validAlert({ notifyOwner: false, notifyCreator: false, cc: '' })],
    ['description over 2000 characters', 'description', validAlert({ description: long(2001) })],
    ['attachment format without template', 'attachmentTemplate', validAlert({ attachmentFormat: 'csv' })],
    ['attachment template without format', 'attachmentFormat', validAlert({ attachmentTemplate: '{{ contact.email }}' })],
    ['attachment format pdf', 'attachmentFormat', validAlert({ attachmentTemplate: 'x', attachmentFormat: 'pdf' })],
    [
      'attachment template that does not parse',
      'attachmentTemplate',
      validAlert({ attachmentTemplate: '{% if %}', attachmentFormat: 'txt' }),
    ],
    ['template over 100 KB', 'templateHtml', validAlert({ templateHtml: long(100 * 1024 + 1) })],
    ['template that does not parse', 'templateHtml', validAlert({ templateHtml: '<p>{{ contact.name </p>' })],
    ['active not a boolean', 'active', validAlert({ active: 'yes' })],
  ]

  it.each(cases)('refuses a new alert with %s: 400 naming %s, nothing changed', async (_, field, body) => {
    const before = await state(ws)
    const res = await api(ws.marketer.token, 'POST', '/alerts', body)
    expect(res.status).toBe(400)
    const refusal = await res.json<{ error: string; field: string; reason: unknown }>()
    expect(refusal).toMatchObject({ error: 'invalid alert', field })
    expect(typeof refusal.reason).toBe('string')
    expect(await state(ws)).toEqual(before)
  })

  it('refuses a change that breaks a rule of the whole alert, and keeps the alert as it was', async () => {
    const alert = await apiJson<ApiAlert>(ws.marketer.token, 'POST', '/alerts', validAlert({ notifyOwner: true, cc: '' }))
    const before = await state(ws)
    for (const [body, field] of [
      [{ notifyOwner: false }, 'cc'],
      [
        {
          pages: [
            { pattern: '/ok', minSeconds: 0 },
            { pattern: 'a b', minSeconds: 0 },
          ],
        },
        'pages.1.pattern',
      ],
      [{ frequency: { count: 2 } }, 'frequency.period'],
      [{ id: 'alr_other' }, 'id'],
      ['not json', 'body'],
    ] as const) {
      const res = await api(ws.marketer.token, 'PATCH', `/alerts/${alert.id}`, body)
      expect(res.status).toBe(400)
      expect(await res.json()).toMatchObject({ field })
    }
    expect(await state(ws)).toEqual(before)
    await api(ws.admin.token, 'DELETE', `/alerts/${alert.id}`)
  })

  it('refuses a test send to something that is not an address', async () => {
    const alert = await apiJson<ApiAlert>(ws.marketer.token, 'POST', '/alerts', validAlert())
    const res = await api(ws.marketer.token, 'POST', `/alerts/${alert.id}/test`, { to: 'nobody' })
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({ field: 'to' })
    await api(ws.admin.token, 'DELETE', `/alerts/${alert.id}`)
  })
})

describe('alerts API: roles', () => {
  it('lets a sales rep read but not create, change, toggle, test or delete (403, nothing changed)', async () => {
    const alert = await apiJson<ApiAlert>(ws.admin.token, 'POST', '/alerts', validAlert({ name: 'Owned by admin' }))
    const before = await state(ws)
    const attempts = [
      api(ws.sales.token, 'POST', '/alerts', validAlert()),
      api(ws.sales.token, 'PATCH', `/alerts/${alert.id}`, { name: 'Sales was here' }),
      api(ws.sales.token, 'POST', `/alerts/${alert.id}/toggle`),
      api(ws.sales.token, 'POST', `/alerts/${alert.id}/test`, { to: 'x@shop.test' }),
      api(ws.sales.token, 'DELETE', `/alerts/${alert.id}`),
    ]
    for (const res of await Promise.all(attempts)) {
      expect(res.status).toBe(403)
      expect(await res.json()).toMatchObject({ error: 'forbidden' })
    }
    expect(await state(ws)).toEqual(before)
    expect((await api(ws.sales.token, 'GET', `/alerts/${alert.id}/analytics`)).status).toBe(200)
    expect((await api(ws.sales.token, 'GET', '/outbox')).status).toBe(200)

    const { cookie } = await logIn(ws.sales.email, PASSWORD)
    expect((await web(cookie, 'POST', `/admin/alerts/${alert.id}/toggle`, { back: '/admin/alerts' })).status).toBe(403)
    expect((await web(cookie, 'GET', `/admin/alerts/${alert.id}`)).status).toBe(200)
    expect((await web(cookie, 'GET', '/admin/alerts/new')).status).toBe(403)
    expect((await web(cookie, 'GET', `/admin/alerts/${alert.id}/edit`)).status).toBe(403)
    expect(await state(ws)).toEqual(before)
    await api(ws.admin.token, 'DELETE', `/alerts/${alert.id}`)
  })
})

describe('alerts API: workspace isolation', () => {
  it("answers 404 for another workspace's alert on every route, and never lists it", async () => {
    const theirs = await apiJson<ApiAlert>(other.admin.token, 'POST', '/alerts', validAlert({ name: 'Theirs' }))
    const before = await state(other)
    const attempts = [
      api(ws.admin.token, 'GET', `/alerts/${theirs.id}`),
      api(ws.admin.token, 'PATCH', `/alerts/${theirs.id}`, { name: 'Mine now' }),
      api(ws.admin.token, 'POST', `/alerts/${theirs.id}/toggle`),
      api(ws.admin.token, 'POST', `/alerts/${theirs.id}/test`, { to: 'x@shop.test' }),
      api(ws.admin.token, 'GET', `/alerts/${theirs.id}/analytics`),
      api(ws.admin.token, 'DELETE', `/alerts/${theirs.id}`),
      api(ws.admin.token, 'GET', '/alerts/alr_does_not_exist'),
    ]
    for (const res of await Promise.all(attempts)) expect(res.status).toBe(404)
    const mine = await apiJson<{ alerts: ApiAlert[] }>(ws.admin.token, 'GET', '/alerts')
    expect(mine.alerts.map((a) => a.id)).not.toContain(theirs.id)
    expect(await state(other)).toEqual(before)

    const { cookie } = await logIn(ws.admin.email, PASSWORD)
    expect((await web(cookie, 'GET', `/admin/alerts/${theirs.id}`)).status).toBe(404)
    expect((await web(cookie, 'POST', `/admin/alerts/${theirs.id}/delete`, {})).status).toBe(404)
    expect(await state(other)).toEqual(before)
  })
})

describe('alerts API: changes reach the contact objects', () => {
  it('bumps rules_version on every change, and a contact object then runs the new rule', async () => {
    const site = ws.shop.siteId
    let version = await rulesVersion(site)
    const bumped = async () => {
      const now = await rulesVersion(site)
      expect(now).toBeGreaterThan(version ?? 0)
      version = now
    }

    const alert = await apiJson<ApiAlert>(
      ws.marketer.token,
      'POST',
      '/alerts',
      validAlert({ name: 'Docs', pages: [{ pattern: '/docs', minSeconds: 0 }], notifyOwner: true, cc: '' }),
    )
    await bumped()
    const first = await identifiedVisitor(ws.shop)
    await openPage(ws.shop, first.visitor, '/docs', 'heartbeat', 1_000)
    await runDurableObjectAlarm(contactStub(env, first.contact.id))
    expect(await contactStub(env, first.contact.id).ruleCounters(alert.id)).toMatchObject([{ sent: 1 }])

    // The same contact object, after the pattern moved: the old page no longer fires, the new one does.
    await apiJson(ws.marketer.token, 'PATCH', `/alerts/${alert.id}`, {
      pages: [{ pattern: '/guide/**', minSeconds: 0 }],
      frequency: { count: 5, period: 'day' },
    })
    await bumped()
    await openPage(ws.shop, first.visitor, '/docs', 'heartbeat', 1_000)
    await runDurableObjectAlarm(contactStub(env, first.contact.id))
    expect(await contactStub(env, first.contact.id).ruleCounters(alert.id)).toMatchObject([{ sent: 1 }])
    await openPage(ws.shop, first.visitor, '/guide/start', 'heartbeat', 1_000)
    await runDurableObjectAlarm(contactStub(env, first.contact.id))
    expect(await contactStub(env, first.contact.id).ruleCounters(alert.id)).toMatchObject([{ sent: 2 }])
    // Delivered before the switch below: delivery skips the jobs of an alert that is OFF by then.
    await waitForMail((m) => m.text.includes(first.email) && m.text.includes('/guide/start'))

    // Switched off: nothing fires.
    await apiJson(ws.marketer.token, 'POST', `/alerts/${alert.id}/toggle`)
    await bumped()
    await openPage(ws.shop, first.visitor, '/guide/next', 'heartbeat', 1_000)
    await runDurableObjectAlarm(contactStub(env, first.contact.id))
    expect(await contactStub(env, first.contact.id).ruleCounters(alert.id)).toMatchObject([{ sent: 2 }])

    // The alerts that fired went through delivery: the outbox and the analytics show them.
    const outbox = await waitForOutbox(ws.admin.token, alert.id, 2)
    expect(outbox.map((d) => d.status)).toEqual(['sent', 'sent'])
    expect(outbox[0]?.attempts).toMatchObject([{ attempt: 1, outcome: 'sent' }])
    expect(outbox[0]?.alertName).toBe('Docs')
    const analytics = await apiJson<{ days: Array<Record<string, number | string>>; counts: string }>(
      ws.sales.token,
      'GET',
      `/alerts/${alert.id}/analytics`,
    )
    expect(analytics.days).toHaveLength(30)
    expect(analytics.days[0]).toEqual({
      day: localDay(Date.now(), 'Europe/Warsaw'),
      fired: 2,
      sent: 2,
      held: 0,
      failed: 0,
      digested: 0,
      unknown: 0,
      pending: 0,
      skipped: 0,
    })
    expect(analytics.counts).toMatch(/alert_deliveries/)
    expect(typeof (await apiJson(ws.admin.token, 'GET', `/alerts/${alert.id}`)).lastSentAt).toBe('number')

    expect((await api(ws.marketer.token, 'DELETE', `/alerts/${alert.id}`)).status).toBe(204)
    await bumped()
    expect(await apiJson(ws.admin.token, 'GET', '/outbox')).toEqual({ deliveries: [] })
  })

  it('sends a test of the saved alert to one address', async () => {
    const alert = await apiJson<ApiAlert>(
      ws.marketer.token,
      'POST',
      '/alerts',
      validAlert({ name: 'Test me', description: 'Read this first' }),
    )
    const to = `tester-${Date.now()}@shop.test`
    expect(await apiJson(ws.marketer.token, 'POST', `/alerts/${alert.id}/test`, { to })).toEqual({ sent: true, to })
    const mail = await waitForMail((m) => m.to.includes(to))
    expect(mail.subject).toBe('[Pagebell test] Test me')
    expect(mail.text).toContain('Read this first')
    await api(ws.admin.token, 'DELETE', `/alerts/${alert.id}`)
  })
})

type OutboxRow = { alertId: string; alertName: string; status: string; attempts: Array<{ attempt: number; outcome: string }> }

async function waitForOutbox(token: string, alertId: string, count: number): Promise<OutboxRow[]> {
  const deadline = Date.now() + 10_000
  for (;;) {
    const { deliveries } = await apiJson<{ deliveries: OutboxRow[] }>(token, 'GET', `/outbox?alert=${alertId}`)
    if (deliveries.length >= count && deliveries.every((d) => d.status === 'sent')) return deliveries
    if (Date.now() > deadline) throw new Error(`outbox has ${JSON.stringify(deliveries)}`)
    await scheduler.wait(100)
  }
}
