// The campaigns screens through the worker (the browser test drives the same screens in
// Chromium): the builder's buttons re-render the draft and save nothing; a refusal, the contract's
// or the service's, is shown beside the field its path names, even deep in a branch, and writes
// nothing; editing adds a version; a campaign runs by hand for a contact named by e-mail; a
// sales rep reads but gets no builder and changes nothing;
// names are shown escaped.
import { env, runDurableObjectAlarm } from 'cloudflare:test'
import { beforeAll, describe, expect, it } from 'vitest'
import { contactStub } from '../../../durable-objects/contact-stub'
import { identified, uniqueEmail } from '../contacts/contacts-fixture'
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

  it("adds and removes a page-visited trigger's page rows, each refused beside itself", async () => {
    const form = builderForm({
      'triggers.0.type': 'page-visited',
      'triggers.0.pages.0.pattern': '/pricing/**',
      'triggers.0.pages.0.minSeconds': '30',
      action: 'add-page:0',
    })
    const added = await post(marketer, '/admin/campaigns/new', form)
    expect(added.html).toMatch(/id="f-triggers-0-pages-1-pattern"[^>]*autofocus/)
    form.set('triggers.0.pages.1.pattern', '')
    form.set('triggers.0.pages.1.minSeconds', 'long')
    form.set('action', 'save')
    const refused = await post(marketer, '/admin/campaigns/new', form)
    expect(refused.status).toBe(400)
    expect(errorOf(refused.html, 'f-triggers-0-pages-1-minSeconds')).toBe('a whole number, like 50')
    expect(errorOf(refused.html, 'f-triggers-0-pages-1-pattern')).toBe('a URL pattern is required')
    form.set('action', 'remove-page:0.0')
    const removed = await post(marketer, '/admin/campaigns/new', form)
    expect(removed.html).not.toContain('value="/pricing/**"')
    expect(removed.html).toContain('value="long"')
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

describe('campaigns UI: run by hand', () => {
  it('runs an ON campaign with a manual trigger for the contact named by e-mail, and says why not for anyone else', async () => {
    const made = await apiJson<ApiCampaign>(ws.admin.token, 'POST', '/campaigns', {
      name: 'Hand-picked',
      triggers: [{ type: 'manual' }],
      steps: [{ id: 'tag', type: 'add-tag', tag: 'picked' }],
    })
    const offPage = await (await web(marketer, 'GET', `/admin/campaigns/${made.id}`)).text()
    expect(offPage).not.toContain('Run for one contact')
    await apiJson(ws.admin.token, 'POST', `/campaigns/${made.id}/activate`)
    const email = uniqueEmail('picked')
    const { contactId } = await identified(ws, email)

    const unknown = await post(marketer, `/admin/campaigns/${made.id}/run`, new URLSearchParams({ email: 'nobody@buyer.test' }))
    expect(unknown.status).toBe(422)
    expect(errorOf(unknown.html, 'run-email')).toBe('No contact with this e-mail in your workspace.')
    expect(unknown.html).toContain('value="nobody@buyer.test"')

    const ran = await post(marketer, `/admin/campaigns/${made.id}/run`, new URLSearchParams({ email: email.toUpperCase() }))
    expect(ran.location).toBe(`/admin/campaigns/${made.id}?notice=campaign-run`)
    const stub = contactStub(env, contactId)
    for (let i = 0; i < 5 && !(await stub.campaignState()).runs.some((r) => r.campaignId === made.id && r.status === 'done'); i++)
      await runDurableObjectAlarm(stub)
    expect((await stub.campaignState()).state?.tags).toContain('picked')
  })
})

describe('campaigns UI: switching, deleting', () => {
  it('switches ON after the summary, OFF, and deletes; a list a campaign names is not deleted, and the page says which', async () => {
    const list = await apiJson<{ id: string }>(ws.admin.token, 'POST', '/lists', { name: 'Warm', conditions: [{ type: 'score', min: 20 }] })
    const made = await apiJson<ApiCampaign>(ws.admin.token, 'POST', '/campaigns', {
      name: 'Warm welcome',
      triggers: [{ type: 'list-entered', listId: list.id }],
      steps: [{ id: 't', type: 'add-tag', tag: 'warm' }],
    })
    const summary = await (await web(marketer, 'GET', `/admin/campaigns/${made.id}/activate`)).text()
    expect(summary).toContain('When a contact enters the list &quot;Warm&quot;: add the tag &quot;warm&quot;.')
    expect((await post(marketer, `/admin/campaigns/${made.id}/activate`, new URLSearchParams())).location).toBe(
      `/admin/campaigns/${made.id}?notice=campaign-on`,
    )
    // ON already: the activation page leads back to the campaign.
    expect((await web(marketer, 'GET', `/admin/campaigns/${made.id}/activate`)).headers.get('location')).toBe(`/admin/campaigns/${made.id}`)

    const inUse = await post(marketer, `/admin/lists/${list.id}/delete`, new URLSearchParams())
    expect(inUse.status).toBe(409)
    expect(inUse.html).toContain('the list is still used by the campaign &quot;Warm welcome&quot;')

    expect((await post(marketer, `/admin/campaigns/${made.id}/deactivate`, new URLSearchParams())).location).toBe(
      `/admin/campaigns/${made.id}?notice=campaign-off`,
    )
    expect((await post(marketer, `/admin/campaigns/${made.id}/delete`, new URLSearchParams())).location).toBe(
      '/admin/campaigns?notice=campaign-deleted',
    )
    expect((await campaigns()).some((c) => c.id === made.id)).toBe(false)
    expect((await web(marketer, 'GET', `/admin/campaigns/${made.id}`)).status).toBe(404)
    expect((await post(marketer, `/admin/lists/${list.id}/delete`, new URLSearchParams())).location).toBe(
      '/admin/lists?notice=list-deleted',
    )
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

/** The fields a browser would post from the page's builder form: inputs (checked ones only for boxes), selects, textareas. */
/** A textarea's text as the browser reads it: the escapes the page wrote are undone. */
const decodeText = (text: string) =>
  text.replace(/&(lt|gt|quot|#39|amp);/g, (_, name: string) => ({ lt: '<', gt: '>', quot: '"', '#39': "'", amp: '&' })[name] ?? '')

async function formFields(html: string): Promise<URLSearchParams> {
  const fields = new URLSearchParams()
  let select: string | null = null
  let textarea: { name: string; text: string } | null = null
  const rewritten = new HTMLRewriter()
    .on('form.builder input', {
      element(el) {
        const name = el.getAttribute('name')
        const type = el.getAttribute('type') ?? 'text'
        if (!name || ((type === 'checkbox' || type === 'radio') && !el.hasAttribute('checked'))) return
        fields.append(name, el.getAttribute('value') ?? 'on')
      },
    })
    .on('form.builder select', { element: (el) => void (select = el.getAttribute('name')) })
    .on('form.builder option[selected]', {
      element(el) {
        if (select) fields.append(select, el.getAttribute('value') ?? '')
      },
    })
    .on('form.builder textarea', {
      element(el) {
        textarea = { name: el.getAttribute('name') ?? '', text: '' }
        el.onEndTag(() => {
          if (textarea) fields.append(textarea.name, decodeText(textarea.text.replace(/^\n/, '')))
        })
      },
      text(chunk) {
        if (textarea) textarea.text += chunk.text
      },
    })
    .transform(new Response(html))
  await rewritten.text()
  // A select with no option marked selected posts its first; the builder marks every chosen one.
  fields.delete('action')
  return fields
}

describe('campaigns UI: an alert among the campaigns', () => {
  it("lists a page alert as a campaign whose page points to the alert's own, with its versions", async () => {
    const alert = await apiJson<{ id: string }>(ws.admin.token, 'POST', '/alerts', {
      name: 'Pricing readers',
      pages: [{ pattern: '/pricing/**', minSeconds: 30 }],
      frequency: { count: 1, period: 'day' },
    })
    await apiJson(ws.admin.token, 'PATCH', `/alerts/${alert.id}`, { cc: 'team@shop.test' })
    expect((await campaigns()).map((c) => c.id)).toContain(alert.id)
    const page = await (await web(marketer, 'GET', `/admin/campaigns/${alert.id}`)).text()
    expect(page).toContain('This campaign is an alert')
    expect(page).toContain(`href="/admin/alerts/${alert.id}"`)
    expect(page).toContain(`href="/admin/alerts/${alert.id}/edit"`)
    // No run counts: an alert's sends are counted on its own page, not as campaign runs.
    expect(page).not.toContain('Runs started')
    expect(page).toMatch(/<th scope="row">2 \(current\)<\/th>/)
  })
})

describe('campaigns UI: what is read can be saved back', () => {
  it('renders every trigger, condition and step type in the builder and saves them back unchanged', async () => {
    const list = await apiJson<{ id: string }>(ws.admin.token, 'POST', '/lists', {
      name: 'Hot',
      conditions: [{ type: 'score', min: 50 }],
    })
    const definition = {
      name: 'Everything',
      category: 'Tests',
      triggers: [
        {
          type: 'page-visited',
          pages: [
            { pattern: '/pricing/**', minSeconds: 30 },
            { pattern: '/plans', minSeconds: 0 },
          ],
        },
        { type: 'form-submitted', form: { id: 'contact-form' } },
        { type: 'contact-created' },
        { type: 'contact-updated', field: 'company', to: 'Acme' },
        { type: 'tag-added', tag: 'vip' },
        { type: 'tag-removed', tag: 'cold' },
        { type: 'score-crossed', threshold: 80, direction: 'down' },
        { type: 'custom-event', name: 'trial-started', prop: { key: 'plan', op: 'equals', value: 'team' } },
        { type: 'list-entered', listId: list.id },
        { type: 'manual' },
      ],
      conditions: [
        { type: 'field', field: 'custom.stage', op: 'starts-with', value: 'qual' },
        { type: 'tag', tag: 'customer', present: false },
        { type: 'score', min: 10, max: 90 },
        { type: 'owner', is: 'user', userId: ws.sales.id },
        { type: 'list', listId: list.id, member: true },
        { type: 'visited', pattern: '/docs/**', withinDays: 7 },
      ],
      steps: [
        { id: 'rr', type: 'assign-round-robin', userIds: [ws.sales.id, ws.marketer.id], notify: false },
        { id: 'w', type: 'wait', seconds: 2 * 86_400 },
        { id: 'wu', type: 'wait-until', weekday: 1, hour: 9 },
        {
          id: 'b',
          type: 'branch',
          condition: { type: 'owner', is: 'set' },
          yes: [
            {
              id: 'alert',
              type: 'send-alert',
              to: { owner: true, creator: true, addresses: ['a@shop.test'], cc: ['b@shop.test'] },
              subject: 'Hot',
              description: 'Hot lead: call "today" & <quickly>.',
              attachment: { format: 'csv', template: '{{ contact.email }};{{ visit.url }}' },
              templateHtml: '<p>{{ alert.description }} — {{ contact.email }}</p>',
            },
            { id: 'own', type: 'assign-owner', userId: ws.marketer.id, notify: true },
          ],
          no: [
            { id: 'sc', type: 'change-score', by: -5 },
            { id: 'sf', type: 'set-field', field: 'custom.stage', value: 'nurture' },
          ],
        },
        { id: 'tg', type: 'add-tag', tag: 'seen' },
        { id: 'rt', type: 'remove-tag', tag: 'cold' },
        { id: 'wh', type: 'webhook', url: 'https://hooks.shop.test/pagebell' },
        { id: 'ch', type: 'chat', url: 'https://chat.shop.test/hook' },
      ],
      runLimit: { kind: 'per-entry', count: 2 },
      frequency: { count: 3, period: 'week' },
    }
    const made = await apiJson<ApiCampaign>(ws.admin.token, 'POST', '/campaigns', definition)
    const edit = await (await web(marketer, 'GET', `/admin/campaigns/${made.id}/edit`)).text()
    const fields = await formFields(edit)
    fields.set('action', 'save')
    const saved = await post(marketer, `/admin/campaigns/${made.id}/edit`, fields)
    expect(saved.status, errorOf(saved.html, 'f-name') ?? saved.html.slice(saved.html.indexOf('class="problem"'), 2000)).toBe(303)
    const after = await apiJson<ApiCampaign & typeof definition>(ws.admin.token, 'GET', `/campaigns/${made.id}`)
    expect(after.version).toBe(2)
    const { name, category, triggers, conditions, steps, runLimit, frequency } = after
    expect({ name, category, triggers, conditions, steps, runLimit, frequency }).toEqual(definition)
  })

  it('saves scoring rules and smart lists back unchanged from their edit pages', async () => {
    const rules = [
      { name: 'Pricing', on: { type: 'page-visited', pattern: '/pricing/**' }, points: 10, decayDays: 30 },
      { name: 'Demo form', on: { type: 'form-submitted', form: { name: 'demo' } }, points: 50, decayDays: null },
      { name: 'Trial', on: { type: 'custom-event', name: 'trial-started' }, points: -5, decayDays: null },
    ]
    for (const rule of rules) {
      const made = await apiJson<{ id: string }>(ws.admin.token, 'POST', '/scoring-rules', rule)
      const fields = await formFields(await (await web(marketer, 'GET', `/admin/scoring-rules/${made.id}`)).text())
      fields.set('action', 'save')
      expect((await post(marketer, `/admin/scoring-rules/${made.id}`, fields)).location).toBe('/admin/scoring-rules?notice=rule-saved')
      const {
        id: _,
        createdBy: __,
        createdAt: ___,
        updatedAt: ____,
        ...after
      } = await apiJson<Record<string, unknown>>(ws.admin.token, 'GET', `/scoring-rules/${made.id}`)
      expect(after).toEqual(rule)
    }
    const list = {
      name: 'Engaged',
      conditions: [
        { type: 'visited', pattern: '/docs/**', withinDays: 14 },
        { type: 'tag', tag: 'x', present: true },
      ],
    }
    const made = await apiJson<{ id: string }>(ws.admin.token, 'POST', '/lists', list)
    const fields = await formFields(await (await web(marketer, 'GET', `/admin/lists/${made.id}`)).text())
    fields.set('action', 'save')
    expect((await post(marketer, `/admin/lists/${made.id}`, fields)).location).toBe('/admin/lists?notice=list-saved')
    const after = await apiJson<typeof list & { version: number }>(ws.admin.token, 'GET', `/lists/${made.id}`)
    expect({ name: after.name, conditions: after.conditions, version: after.version }).toEqual({ ...list, version: 2 })
  })
})
