// The campaigns screens through the worker (the browser test drives the same screens in
// Chromium): the builder's buttons re-render the draft and save nothing; a refusal, the contract's
// or the service's, is shown beside the field its path names, even deep in a branch, and writes
// nothing; editing adds a version; a sales rep reads but gets no builder and changes nothing;
// names are shown escaped.
import { beforeAll, describe, expect, it } from 'vitest'
import { apiJson, createAdminWorkspace, logIn, PASSWORD, web, type AdminFixture } from './admin-fixture'

let ws: AdminFixture
let marketer: string | null
let sales: string | null

beforeAll(async () => {
  ws = await createAdminWorkspace()
  marketer = (await logIn(ws.marketer.email, PASSWORD)).cookie
  sales = (await logIn(ws.sales.email, PASSWORD)).cookie
})

type ApiCampaign = { id: string; name: string; version: number; steps: unknown[] }
const campaigns = async () => (await apiJson<{ campaigns: ApiCampaign[] }>(ws.admin.token, 'GET', '/campaigns')).campaigns

/** A builder form: a form-submitted trigger, the given name and fields (named by their path). */
const builderForm = (fields: Record<string, string>) =>
  new URLSearchParams({ name: 'Leads', category: '', 'triggers.0.type': 'form-submitted', runLimit: 'always', ...fields })

const post = async (cookie: string | null, path: string, form: URLSearchParams) => {
  const res = await web(cookie, 'POST', path, form)
  return { status: res.status, location: res.headers.get('location'), html: await res.text() }
}

/** The text of the error paragraph tied to a control (`<id>-error`), or null. */
const errorOf = (html: string, id: string) => new RegExp(`id="${id}-error"[^>]*>([^<]*)<`).exec(html)?.[1] ?? null

describe('campaigns UI: the builder', () => {
  it('adds a step of the chosen type at the chosen place, focused, and saves nothing', async () => {
    const before = (await campaigns()).length
    const form = builderForm({ 'steps.0.id': 'first', 'steps.0.type': 'add-tag', 'steps.0.tag': 'lead' })
    form.set('action', 'add-step:steps')
    form.set('addType:steps', 'wait')
    form.set('addAt:steps', 'top')
    const page = await post(marketer, '/admin/campaigns/new', form)
    expect(page.status).toBe(200)
    // The wait is step 1 now and has the focus; the tag step follows with what was typed.
    expect(page.html).toMatch(/<select\s+id="f-steps-0-type"\s+name="steps\.0\.type"\s+autofocus/)
    expect(page.html).toMatch(/<option value="wait"\s+selected>/)
    expect(page.html).toContain('name="steps.1.tag"')
    expect(page.html).toContain('value="lead"')
    expect(await campaigns()).toHaveLength(before)
  })

  it('moves a step within its branch list and removes one', async () => {
    const form = builderForm({
      'steps.0.id': 'b',
      'steps.0.type': 'branch',
      'steps.0.condition.type': 'tag',
      'steps.0.condition.tag': 'vip',
      'steps.0.yes.0.id': 'one',
      'steps.0.yes.0.type': 'add-tag',
      'steps.0.yes.0.tag': 'first',
      'steps.0.yes.1.id': 'two',
      'steps.0.yes.1.type': 'add-tag',
      'steps.0.yes.1.tag': 'second',
      action: 'up:steps.0.yes.1',
    })
    const moved = await post(marketer, '/admin/campaigns/new', form)
    const order = [...moved.html.matchAll(/name="steps\.0\.yes\.(\d)\.tag"\s+value="(\w+)"/g)].map((m) => `${m[1]}:${m[2]}`)
    expect(order).toEqual(['0:second', '1:first'])
    // At the top now: the pressed button is gone, its neighbour has the focus.
    expect(moved.html).toMatch(/id="f-steps-0-yes-0-down"[^>]*autofocus/)
    form.set('action', 'remove-step:steps.0.yes.1')
    const removed = await post(marketer, '/admin/campaigns/new', form)
    expect(removed.html).not.toContain('value="second"')
    expect(removed.html).toMatch(/id="f-add:steps-0-yes"[^>]*autofocus/)
  })

  it("shows the service's refusal beside the field its path names, deep in a branch, and writes nothing", async () => {
    const before = (await campaigns()).length
    const page = await post(
      marketer,
      '/admin/campaigns/new',
      builderForm({
        'steps.0.id': 'rr',
        'steps.0.type': 'assign-round-robin',
        'steps.1.id': 'b',
        'steps.1.type': 'branch',
        'steps.1.condition.type': 'score',
        'steps.1.condition.min': '50',
        'steps.1.yes.0.id': 'own',
        'steps.1.yes.0.type': 'assign-owner',
        'steps.1.yes.0.userId': 'usr_not_here',
        'steps.2.id': 'w',
        'steps.2.type': 'wait',
        'steps.2.amount': 'soon',
        'steps.2.unit': 'hours',
        action: 'save',
      }),
    )
    expect(page.status).toBe(400)
    // The numbers and the contract first: the wait's amount, and a round-robin with nobody in it.
    expect(errorOf(page.html, 'f-steps-2-amount')).toBe('a whole number, like 50')
    expect(errorOf(page.html, 'f-steps-0-userIds')).not.toBeNull()
    expect(page.html).toMatch(/id="f-steps-0-userIds"\s+aria-invalid="true"/)

    // Fixed, the service refuses the user the branch's step names (422), beside that field.
    const named = await post(
      marketer,
      '/admin/campaigns/new',
      builderForm({
        'steps.0.id': 'rr',
        'steps.0.type': 'assign-round-robin',
        'steps.0.userIds': ws.sales.id,
        'steps.1.id': 'b',
        'steps.1.type': 'branch',
        'steps.1.condition.type': 'score',
        'steps.1.condition.min': '50',
        'steps.1.yes.0.id': 'own',
        'steps.1.yes.0.type': 'assign-owner',
        'steps.1.yes.0.userId': 'usr_not_here',
        action: 'save',
      }),
    )
    expect(named.status).toBe(422)
    expect(errorOf(named.html, 'f-steps-1-yes-0-userId')).toBe('no user with this id in your workspace')
    expect(named.html).toMatch(/id="f-steps-1-yes-0-userId"[^>]*aria-invalid="true"[^>]*autofocus/)
    expect(await campaigns()).toHaveLength(before)
  })

  it('saves a campaign OFF, and each edit as the next version listed on its page', async () => {
    const fields = { 'steps.0.id': 'tag', 'steps.0.type': 'add-tag', 'steps.0.tag': 'lead', action: 'save' }
    const created = await post(marketer, '/admin/campaigns/new', builderForm({ ...fields, name: 'Tag the leads' }))
    expect(created.status).toBe(303)
    const id = /\/admin\/campaigns\/(cmp_\w+)\?notice=campaign-created$/.exec(created.location ?? '')?.[1]
    expect(id).toBeDefined()
    const edited = await post(
      marketer,
      `/admin/campaigns/${id}/edit`,
      builderForm({ ...fields, name: 'Tag the leads', 'steps.0.tag': 'hot' }),
    )
    expect(edited.location).toBe(`/admin/campaigns/${id}?notice=campaign-saved`)
    const report = await (await web(marketer, 'GET', `/admin/campaigns/${id}`)).text()
    expect(report).toContain('add the tag &quot;hot&quot;')
    expect(report).toMatch(/<th scope="row">2 \(current\)<\/th>/)
    expect(report).toMatch(/<th scope="row">1<\/th>/)
    expect(report).toContain('<span class="pill off">OFF</span>')
  })
})

describe('campaigns UI: who may do what', () => {
  it('lets a sales rep read the list and a report, but not open the builder or change anything', async () => {
    const made = await apiJson<ApiCampaign>(ws.admin.token, 'POST', '/campaigns', {
      name: '<b>Bold</b> & co',
      triggers: [{ type: 'contact-created' }],
      steps: [{ id: 's', type: 'add-tag', tag: 'new' }],
    })
    const list = await (await web(sales, 'GET', '/admin/campaigns')).text()
    expect(list).toContain('&lt;b&gt;Bold&lt;/b&gt; &amp; co')
    expect(list).not.toContain('New campaign')
    expect((await web(sales, 'GET', `/admin/campaigns/${made.id}`)).status).toBe(200)
    expect((await web(sales, 'GET', '/admin/campaigns/new')).status).toBe(403)
    expect((await web(sales, 'GET', `/admin/campaigns/${made.id}/activate`)).status).toBe(403)
    expect((await web(sales, 'POST', `/admin/campaigns/${made.id}/activate`, {})).status).toBe(403)
    expect((await web(sales, 'POST', '/admin/scoring-rules/new', { name: 'x', 'on.type': 'form-submitted', points: '5' })).status).toBe(403)
    expect((await campaigns()).find((c) => c.id === made.id)?.version).toBe(1)
  })
})
