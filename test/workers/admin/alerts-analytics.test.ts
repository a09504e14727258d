// Alert analytics end to end: a burst of visits against "once a day" — one alert sent, the rest
// held back by the frequency limit — reaches D1 from the contact's object in its scheduled write
// (not on the collect path), and shows up per local day in the API, the alert's page (an SVG
// chart and the table of the same numbers) and the API's SVG.
import { env, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test'
import { eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { contactStub } from '../../../durable-objects/contact-stub'
import { FLUSH_HELD_AFTER_MS } from '../../../durable-objects/held-counts'
import { localDay } from '../../../durable-objects/rules/calendar'
import { createDb } from '../../../worker/db/client'
import { quarterHourOf, writeHeldCounts } from '../../../worker/db/queries/alert-held-counts'
import type { AnalyticsDay } from '../../../worker/db/queries/alerts'
import { alertHeldCounts } from '../../../worker/db/schema'
import { identifiedVisitor, openPage } from '../contact-object/shop-visitor'
import { api, apiJson, createAdminWorkspace, logIn, PASSWORD, validAlert, web, type AdminFixture, type ApiAlert } from './admin-fixture'

type Analytics = { timeZone: string; days: AnalyticsDay[]; totals: Omit<AnalyticsDay, 'day'>; counts: string }

let ws: AdminFixture
let alert: ApiAlert
let contactId: string
let visitorId: string
let today: string

const heldRows = () => createDb(env.DB).select().from(alertHeldCounts).where(eq(alertHeldCounts.alertId, alert.id))

/** The analytics once the sent alert's delivery is recorded (the queue consumer runs on its own). */
async function analyticsOnceDelivered(): Promise<Analytics> {
  const deadline = Date.now() + 10_000
  for (;;) {
    const report = await apiJson<Analytics>(ws.sales.token, 'GET', `/alerts/${alert.id}/analytics`)
    if (report.totals.sent === 1 || Date.now() > deadline) return report
    await scheduler.wait(100)
  }
}

beforeAll(async () => {
  ws = await createAdminWorkspace()
  alert = await apiJson<ApiAlert>(
    ws.marketer.token,
    'POST',
    '/alerts',
    validAlert({ name: 'Docs <readers>', pages: [{ pattern: '/docs/**', minSeconds: 0 }], frequency: { count: 1, period: 'day' } }),
  )
  const visitor = await identifiedVisitor(ws.shop)
  contactId = visitor.contact.id
  visitorId = visitor.visitor
  const burstAt = Date.now()
  today = localDay(burstAt, 'Europe/Warsaw')
  // Three pages at once: the first is sent, "once a day" holds the two others back.
  for (const path of ['/docs/a', '/docs/b', '/docs/c']) await openPage(ws.shop, visitorId, path, 'heartbeat', 1_000)
})

describe('alert analytics: visits held back by the frequency limit', () => {
  it('are counted by the object at once, written to D1 by its alarm a minute later, not by the collect requests', async () => {
    const stub = contactStub(env, contactId)
    expect(await stub.ruleCounters(alert.id)).toMatchObject([{ sent: 1, held: 2 }])
    expect(await heldRows()).toEqual([])
    const alarm = await runInDurableObject(stub, (_, state) => state.storage.getAlarm())
    expect(alarm).toBeLessThanOrEqual(Date.now() + FLUSH_HELD_AFTER_MS)

    expect(await runDurableObjectAlarm(stub)).toBe(true)
    const rows = await heldRows()
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ alertId: alert.id, contactId, workspaceId: ws.shop.workspaceId, held: 2 })
    expect(localDay((rows[0]?.quarterHour ?? 0) * 15 * 60_000, 'Europe/Warsaw')).toBe(today)
  })

  it('appear in the API per day of the workspace time zone, with every day of the window and the totals', async () => {
    const report = await analyticsOnceDelivered()
    expect(report.timeZone).toBe('Europe/Warsaw')
    expect(report.days).toHaveLength(30)
    expect(report.days[0]).toEqual({ day: today, fired: 3, sent: 1, held: 2, digested: 0, failed: 0, unknown: 0, pending: 0, skipped: 0 })
    expect(report.days.slice(1).every((d) => d.fired === 0)).toBe(true)
    expect(report.totals).toEqual({ fired: 3, sent: 1, held: 2, digested: 0, failed: 0, unknown: 0, pending: 0, skipped: 0 })
    expect(report.counts).toContain('held = visits held back by the frequency limit')
    const week = await apiJson<Analytics>(ws.sales.token, 'GET', `/alerts/${alert.id}/analytics?days=7`)
    expect(week.days.map((d) => d.day)[0]).toBe(today)
    expect(week.days).toHaveLength(7)
  })

  it('are drawn in the SVG chart of the alert page, with the table of the same numbers beside it', async () => {
    await analyticsOnceDelivered()
    const { cookie } = await logIn(ws.sales.email, PASSWORD)
    const page = await (await web(cookie, 'GET', `/admin/alerts/${alert.id}`)).text()

    const svg = /<svg[\s\S]*?<\/svg>/.exec(page)?.[0] ?? ''
    expect(svg).toMatch(/role="img"/)
    expect(svg).toMatch(/aria-labelledby="alert-chart-title alert-chart-desc"/)
    expect(svg).toContain('<title id="alert-chart-title">Docs &lt;readers&gt;: fired per day')
    expect(svg).toContain('Fired 3: 1 sent, 2 held back by the frequency limit, 0 folded into a digest, 0 failed')
    expect(svg.match(/<g data-day=/g)).toHaveLength(30)
    const bar = barOf(svg, today)
    expect(bar.title).toBe(`${today}: fired 3 (1 sent, 2 held back by the frequency limit)`)
    // Stacked from the bottom: sent (green) then held back (slate), the held segment twice as tall.
    expect(bar.segments.map((s) => s.fill)).toEqual(['#1f8a3b', '#6b7ba3'])
    const [sent, held] = bar.segments
    expect(held!.height).toBeCloseTo(2 * sent!.height, 0)
    expect(sent!.y).toBeCloseTo(held!.y + held!.height, 0)

    const row = new RegExp(`<tr data-day="${today}">([\\s\\S]*?)</tr>`).exec(page)?.[1] ?? ''
    expect([...row.matchAll(/<td class="num">(\d+)<\/td>/g)].map((m) => Number(m[1]))).toEqual([3, 1, 2, 0, 0, 0])
    expect(page).toMatch(/data-total="held">\s*<dt>Held back<\/dt>\s*<dd>2<\/dd>/)
  })

  it('are served as a standalone SVG by the API', async () => {
    const res = await api(ws.sales.token, 'GET', `/alerts/${alert.id}/analytics/chart?days=14`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8')
    const svg = await res.text()
    expect(svg.startsWith('<?xml')).toBe(true)
    expect(svg).toContain('xmlns="http://www.w3.org/2000/svg"')
    expect(svg.match(/<g data-day=/g)).toHaveLength(14)
    expect(barOf(svg, today).title).toContain('fired 3')
  })

  it('keep counting in later bursts: the object writes its new total, D1 keeps the larger number', async () => {
    const stub = contactStub(env, contactId)
    await openPage(ws.shop, visitorId, '/docs/d', 'heartbeat', 1_000)
    expect(await stub.ruleCounters(alert.id)).toMatchObject([{ sent: 1, held: 3 }])
    expect(await runDurableObjectAlarm(stub)).toBe(true)
    const held = (await heldRows()).reduce((n, r) => n + r.held, 0)
    expect(held).toBe(3)
    expect((await apiJson<Analytics>(ws.sales.token, 'GET', `/alerts/${alert.id}/analytics`)).totals).toMatchObject({ fired: 4, held: 3 })
  })
})

describe('held counts in D1', () => {
  it('writeHeldCounts: a repeated or older number changes nothing; a larger one raises the row', async () => {
    const db = createDb(env.DB)
    const quarterHour = quarterHourOf(Date.UTC(2026, 0, 5, 10, 0))
    const write = (held: number) => writeHeldCounts(db, ws.shop.workspaceId, 'ctc_idempotent', [{ alertId: alert.id, quarterHour, held }])
    const stored = async () =>
      (await heldRows()).filter((r) => r.contactId === 'ctc_idempotent').map((r) => ({ quarterHour: r.quarterHour, held: r.held }))
    await write(2)
    await write(2)
    expect(await stored()).toEqual([{ quarterHour, held: 2 }])
    await write(1)
    expect(await stored()).toEqual([{ quarterHour, held: 2 }])
    await write(5)
    expect(await stored()).toEqual([{ quarterHour, held: 5 }])
  })

  it("writeHeldCounts: skips an alert that is gone or another workspace's, without failing", async () => {
    const other = await createAdminWorkspace()
    const theirs = await apiJson<ApiAlert>(other.admin.token, 'POST', '/alerts', validAlert())
    const db = createDb(env.DB)
    await writeHeldCounts(db, ws.shop.workspaceId, 'ctc_stray', [
      { alertId: 'alr_deleted_meanwhile', quarterHour: 1, held: 1 },
      { alertId: theirs.id, quarterHour: 1, held: 1 },
    ])
    expect(await db.select().from(alertHeldCounts).where(eq(alertHeldCounts.contactId, 'ctc_stray'))).toEqual([])
  })

  it('are deleted with their alert', async () => {
    const doomed = await apiJson<ApiAlert>(ws.marketer.token, 'POST', '/alerts', validAlert({ name: 'Doomed' }))
    const db = createDb(env.DB)
    await writeHeldCounts(db, ws.shop.workspaceId, 'ctc_doomed', [{ alertId: doomed.id, quarterHour: 7, held: 3 }])
    expect((await api(ws.marketer.token, 'DELETE', `/alerts/${doomed.id}`)).status).toBe(204)
    expect(await db.select().from(alertHeldCounts).where(eq(alertHeldCounts.alertId, doomed.id))).toEqual([])
  })
})

type Segment = { fill: string; y: number; height: number }

/** The bar of `day` in an SVG: its title and its coloured segments, bottom first. */
function barOf(svg: string, day: string): { title: string; segments: Segment[] } {
  const group = new RegExp(`<g data-day="${day}"[^>]*>([\\s\\S]*?)</g>`).exec(svg)?.[1] ?? ''
  const title = /<title>([^<]*)<\/title>/.exec(group)?.[1] ?? ''
  const segments = [
    ...group.matchAll(/<rect\s+x="[\d.]+"\s+y="([\d.]+)"\s+width="[\d.]+"\s+height="([\d.]+)"\s+fill="(#[0-9a-f]{6})"/g),
  ].map((m) => ({ y: Number(m[1]), height: Number(m[2]), fill: m[3] ?? '' }))
  return { title, segments }
}
