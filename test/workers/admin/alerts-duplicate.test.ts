// Duplicating an alert (POST /api/v1/alerts/{id}/duplicate and the Duplicate button): a copy with
// the same settings, named "… (copy)", OFF, made by the caller; it changes no rule until it is
// switched on.
import { beforeAll, describe, expect, it } from 'vitest'
import { LIMITS } from '../../../worker/alerts/alert-input'
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

type FullAlert = ApiAlert & {
  createdBy: string
  description: string
  notifyCreator: boolean
  notifyOwner: boolean
  attachmentFormat: string | null
}

let ws: AdminFixture
let other: AdminFixture

beforeAll(async () => {
  ws = await createAdminWorkspace()
  other = await createAdminWorkspace()
})

/** What a marketer set, without identity, name, state and bookkeeping. */
const BOOKKEEPING = ['id', 'name', 'active', 'createdBy', 'createdAt', 'updatedAt', 'lastSentAt']
const settings = (alert: object) => Object.fromEntries(Object.entries(alert).filter(([key]) => !BOOKKEEPING.includes(key)))

describe('duplicate an alert: API', () => {
  it('copies every setting, names it "… (copy)", leaves it OFF and the rules version as it was', async () => {
    const source = await apiJson<FullAlert>(
      ws.admin.token,
      'POST',
      '/alerts',
      validAlert({
        name: 'Pricing readers',
        pages: [
          { pattern: '/pricing/**', minSeconds: 30 },
          { pattern: 'shop.test/plans?tier=*', minSeconds: 0 },
        ],
        frequency: { count: 3, period: 'week' },
        notifyCreator: true,
        description: 'Call them.',
        attachmentTemplate: '{{ contact.email }}',
        attachmentFormat: 'csv',
      }),
    )
    const version = await rulesVersion(ws.shop.siteId)

    const res = await api(ws.marketer.token, 'POST', `/alerts/${source.id}/duplicate`)
    expect(res.status).toBe(201)
    const copy = await res.json<FullAlert>()
    expect(res.headers.get('location')).toBe(`/api/v1/alerts/${copy.id}`)
    expect(copy.id).not.toBe(source.id)
    expect(copy).toMatchObject({ name: 'Pricing readers (copy)', active: false, createdBy: ws.marketer.id })
    expect(settings(copy)).toEqual(settings(source))
    expect(await rulesVersion(ws.shop.siteId)).toBe(version)

    // The source is untouched, and both are listed.
    expect(await apiJson(ws.admin.token, 'GET', `/alerts/${source.id}`)).toEqual(source)
    const { alerts } = await apiJson<{ alerts: ApiAlert[] }>(ws.sales.token, 'GET', '/alerts')
    expect(alerts.map((a) => a.id)).toEqual(expect.arrayContaining([source.id, copy.id]))

    // Switched on, it is a rule like any other.
    await apiJson(ws.marketer.token, 'POST', `/alerts/${copy.id}/toggle`)
    expect(await rulesVersion(ws.shop.siteId)).toBeGreaterThan(version ?? 0)
  })

  it('keeps a long name within the limit, cut at a whole character', async () => {
    // 112 + 2 (the emoji is two UTF-16 units) + 6: the cut to 113 falls inside the emoji, which goes whole.
    const name = `${'é'.repeat(112)}😀${'x'.repeat(LIMITS.name - 114)}`
    const source = await apiJson<ApiAlert>(ws.admin.token, 'POST', '/alerts', validAlert({ name }))
    const copy = await apiJson<ApiAlert>(ws.admin.token, 'POST', `/alerts/${source.id}/duplicate`)
    expect(copy.name.length).toBeLessThanOrEqual(LIMITS.name)
    expect(copy.name).toBe(`${'é'.repeat(112)} (copy)`)
    // A copy of a copy is one more "(copy)", still within the limit.
    const again = await apiJson<ApiAlert>(ws.admin.token, 'POST', `/alerts/${copy.id}/duplicate`)
    expect(again.name.length).toBeLessThanOrEqual(LIMITS.name)
    expect(again.name.endsWith(' (copy)')).toBe(true)
  })

  it("answers 404 for another workspace's alert and 403 to a sales rep, copying nothing", async () => {
    const theirs = await apiJson<ApiAlert>(other.admin.token, 'POST', '/alerts', validAlert({ name: 'Theirs' }))
    const mine = await apiJson<ApiAlert>(ws.admin.token, 'POST', '/alerts', validAlert({ name: 'Mine' }))
    const before = [await apiJson(ws.admin.token, 'GET', '/alerts'), await apiJson(other.admin.token, 'GET', '/alerts')]
    expect((await api(ws.admin.token, 'POST', `/alerts/${theirs.id}/duplicate`)).status).toBe(404)
    expect((await api(ws.admin.token, 'POST', '/alerts/alr_nope/duplicate')).status).toBe(404)
    expect((await api(ws.sales.token, 'POST', `/alerts/${mine.id}/duplicate`)).status).toBe(403)
    expect([await apiJson(ws.admin.token, 'GET', '/alerts'), await apiJson(other.admin.token, 'GET', '/alerts')]).toEqual(before)
  })
})

describe('duplicate an alert: web UI', () => {
  it('the Duplicate button makes the copy and opens it, OFF, with a notice', async () => {
    const source = await apiJson<ApiAlert>(ws.admin.token, 'POST', '/alerts', validAlert({ name: 'Docs readers' }))
    const { cookie } = await logIn(ws.marketer.email, PASSWORD)
    const page = await (await web(cookie, 'GET', `/admin/alerts/${source.id}`)).text()
    expect(page).toContain(`action="/admin/alerts/${source.id}/duplicate"`)

    const res = await web(cookie, 'POST', `/admin/alerts/${source.id}/duplicate`, {})
    expect(res.status).toBe(303)
    const location = res.headers.get('location') ?? ''
    expect(location).toMatch(/^\/admin\/alerts\/alr_\w+\?notice=duplicated$/)
    const copyId = location.split('/')[3]?.split('?')[0] ?? ''
    expect(await apiJson(ws.admin.token, 'GET', `/alerts/${copyId}`)).toMatchObject({ name: 'Docs readers (copy)', active: false })
    const copyPage = await (await web(cookie, 'GET', location)).text()
    expect(copyPage).toContain('Copy created. It is OFF')
    expect(copyPage).toContain('Docs readers (copy)')
  })

  it('shows no Duplicate button to a sales rep, and refuses the post (403)', async () => {
    const source = await apiJson<ApiAlert>(ws.admin.token, 'POST', '/alerts', validAlert({ name: 'Not for sales' }))
    const { cookie } = await logIn(ws.sales.email, PASSWORD)
    expect(await (await web(cookie, 'GET', `/admin/alerts/${source.id}`)).text()).not.toContain('/duplicate')
    expect((await web(cookie, 'POST', `/admin/alerts/${source.id}/duplicate`, {})).status).toBe(403)
  })
})
