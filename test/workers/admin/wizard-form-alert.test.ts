// The alert wizard's "When a form is submitted": one model, no second alert system. The wizard
// saves a campaign (a form-submitted trigger, one send-alert step to its recipients, run every time
// within its frequency) switched ON, and lands on the campaign's page; bad input is refused beside
// its field and writes nothing; the page-visit wizard is unchanged; the alerts list links to the
// form alerts; and a visitor submitting the form with an e-mail through /api/collect makes the
// contact's object mail the owner, through the real queue and SMTP sink.
import { env } from 'cloudflare:test'
import { eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { contactStub } from '../../../durable-objects/contact-stub'
import { createDb } from '../../../worker/db/client'
import { findContactByEmail } from '../../../worker/db/queries/contacts'
import { campaigns as campaignTable, workspaces } from '../../../worker/db/schema'
import { settle } from '../campaigns/object-fixture'
import { readPage, sendShop } from '../contact-object/shop-visitor'
import { newId, waitForMail } from '../support/collect'
import { apiJson, createAdminWorkspace, logIn, PASSWORD, web, type AdminFixture } from './admin-fixture'

let ws: AdminFixture
let marketer: string | null

beforeAll(async () => {
  ws = await createAdminWorkspace()
  marketer = (await logIn(ws.marketer.email, PASSWORD)).cookie
})

type ApiCampaign = Record<string, unknown> & { id: string; active: boolean }

const alerts = async () => (await apiJson<{ alerts: unknown[] }>(ws.admin.token, 'GET', '/alerts')).alerts

/** Everything a refused form alert could have written: campaigns (every row, deleted too), alerts, the rules version. */
async function written() {
  const db = createDb(env.DB)
  const [rows, [workspace]] = await Promise.all([
    db.select().from(campaignTable).where(eq(campaignTable.workspaceId, ws.shop.workspaceId)),
    db.select({ rulesVersion: workspaces.rulesVersion }).from(workspaces).where(eq(workspaces.id, ws.shop.workspaceId)),
  ])
  return { rows, alerts: await alerts(), rulesVersion: workspace?.rulesVersion }
}

/**
 * The wizard's form for a form alert, as a browser posts it from /admin/alerts/new?when=form;
 * a field given as null is left out, as a browser leaves out an unticked box.
 */
const formAlert = (fields: Record<string, string | null> = {}) => {
  const all: Record<string, string | null> = {
    trigger: 'form',
    name: 'Demo requests',
    formMatch: 'one',
    formId: 'demo-form',
    formName: '',
    formAction: '',
    frequency: 'custom',
    count: '3',
    period: 'week',
    notifyOwner: 'on',
    notifyCreator: 'on',
    cc: 'boss@shop.test',
    active: 'on',
    action: 'save',
    ...fields,
  }
  return new URLSearchParams(Object.entries(all).flatMap(([key, value]) => (value === null ? [] : [[key, value]])))
}

const post = async (form: URLSearchParams) => {
  const res = await web(marketer, 'POST', '/admin/alerts/new', form)
  return { status: res.status, location: res.headers.get('location'), html: await res.text() }
}

const get = async (path: string) => (await web(marketer, 'GET', path)).text()

/** True when the input named `name` is marked invalid and the reason is shown as a field error. */
const refusedBeside = (html: string, name: string, reason: string) =>
  new RegExp(`<input[^>]*name="${name}"[^>]*aria-invalid="true"`).test(html) && html.includes(`<p class="error" role="alert">${reason}</p>`)

describe('alert wizard: a form alert', () => {
  it('offers "When a form is submitted" beside the page alert, whose form is unchanged', async () => {
    const pages = await get('/admin/alerts/new')
    expect(pages).toContain('href="/admin/alerts/new?when=form"')
    expect(pages).toContain('name="pattern"')
    expect(pages).not.toContain('name="formId"')
    const forms = await get('/admin/alerts/new?when=form')
    expect(forms).toMatch(/<a href="\/admin\/alerts\/new\?when=form"\s+aria-current="page">When a form is submitted<\/a>/)
    expect(forms).toContain('<input type="hidden" name="trigger" value="form" />')
    expect(forms).toContain('name="formId"')
    expect(forms).not.toContain('name="pattern"')
    // The e-mail's content is a page alert's: description, attachment, custom template.
    for (const name of ['description', 'attachmentFormat', 'attachmentTemplate', 'templateHtml']) expect(forms).toContain(`name="${name}"`)
  })

  it('saves a campaign ON with a form-submitted trigger and one send-alert step, and shows its page', async () => {
    const before = await written()
    const saved = await post(formAlert({ formName: '  Contact  ' }))
    expect(saved.status).toBe(303)
    const id = /^\/admin\/campaigns\/(cmp_\w+)\?notice=campaign-on$/.exec(saved.location ?? '')?.[1]
    expect(id).toBeDefined()

    const campaign = await apiJson<ApiCampaign>(ws.admin.token, 'GET', `/campaigns/${id}`)
    expect(campaign).toMatchObject({
      name: 'Demo requests',
      category: 'alert',
      active: true,
      version: 1,
      createdBy: ws.marketer.id,
      triggers: [{ type: 'form-submitted', form: { id: 'demo-form', name: 'Contact' } }],
      conditions: [],
      steps: [{ id: 'alert', type: 'send-alert', to: { owner: true, creator: true, addresses: [], cc: ['boss@shop.test'] } }],
      runLimit: { kind: 'always' },
      frequency: { count: 3, period: 'week' },
    })
    // No page alert besides it, and the contact objects reload (the set they evaluate changed).
    expect(await alerts()).toEqual(before.alerts)
    expect((await written()).rulesVersion).toBeGreaterThan(before.rulesVersion ?? Infinity)

    const page = await get(saved.location ?? '')
    expect(page).toContain('Campaign switched ON')
    expect(page).toContain('When a contact submits the form with id')
    const list = await get('/admin/alerts')
    expect(list).toContain('Form alerts are campaigns')
    expect(list).toContain(`<a href="/admin/campaigns/${id}">Demo requests</a>`)
  })

  it('saves it OFF when "Alert is ON" is unticked, and any form when asked', async () => {
    const saved = await post(formAlert({ name: 'Any form, later', formMatch: 'any', formId: 'ignored', active: null }))
    expect(saved.status).toBe(303)
    expect(saved.location).toMatch(/\?notice=campaign-created$/)
    const id = /cmp_\w+/.exec(saved.location ?? '')?.[0]
    const campaign = await apiJson<ApiCampaign>(ws.admin.token, 'GET', `/campaigns/${id}`)
    expect(campaign).toMatchObject({ active: false, triggers: [{ type: 'form-submitted' }] })
    expect(campaign.triggers).toEqual([{ type: 'form-submitted' }])
  })

  it.each([
    ['no name', { name: '  ' }, 'name', 'give the alert a name'],
    [
      '"this form" with nothing naming it',
      { formId: '', formName: ' ' },
      'formId',
      "give the form's id, name or action, or choose any form",
    ],
    ['a form id over 200 characters', { formId: 'x'.repeat(201) }, 'formId', 'at most 200 characters'],
    [
      'nobody to tell',
      { notifyOwner: null, notifyCreator: null, cc: '' },
      'cc',
      'choose at least one recipient: me, the contact owner or a CC address',
    ],
    ['a CC that is not an address', { cc: 'boss@shop.test, not-an-address' }, 'cc', 'not an e-mail address: "not-an-address"'],
    ['a frequency of 0', { count: '0' }, 'count', 'at least 1 alert per period'],
  ])('refuses %s beside its field and writes nothing', async (_, fields, input, reason) => {
    const before = await written()
    const refused = await post(formAlert(fields))
    expect(refused.status).toBe(400)
    // The reason is HTML-escaped in the page, as every typed text is.
    expect(refusedBeside(refused.html, input, reason.replaceAll('"', '&quot;').replaceAll("'", '&#39;'))).toBe(true)
    // What was typed stays, on the form-alert page.
    expect(refused.html).toContain('<input type="hidden" name="trigger" value="form" />')
    expect(await written()).toEqual(before)
  })

  it("mails the contact's owner when a visitor submits the form with an e-mail through /api/collect", async () => {
    const saved = await post(formAlert({ name: 'Quote form', formId: 'quote', notifyCreator: null, cc: '' }))
    expect(saved.status).toBe(303)
    const visitor = newId('v')
    const email = `${newId('lead')}@buyer.test`
    const visit = await readPage(ws.shop, visitor, '/quote')
    await sendShop(ws.shop, visitor, [{ id: newId('e'), type: 'form', visit, form: { id: 'quote' }, fields: { email, name: 'Lee Lead' } }])
    const contact = await findContactByEmail(createDb(env.DB), ws.shop.workspaceId, email)
    if (!contact) throw new Error('the form did not make a contact')
    await settle(contactStub(env, contact.id))

    const mail = await waitForMail((m) => m.text.includes(email))
    expect(mail.to).toEqual([`${ws.shop.ownerId}@shop.test`])
    expect(mail.subject).toBe('[Pagebell] Quote form')
  })

  it('carries the description, the attachment and the custom template it was given, as a page alert does', async () => {
    const saved = await post(
      formAlert({
        name: 'Trial form',
        formId: 'trial',
        notifyCreator: null,
        cc: '',
        description: 'A trial request: call within the hour.',
        attachmentFormat: 'csv',
        attachmentTemplate: '{{ contact.email }};{{ visit.url }}',
        templateHtml: '<p>Custom: {{ alert.description }} from {{ contact.email }}</p>',
      }),
    )
    expect(saved.status).toBe(303)
    const visitor = newId('v')
    const email = `${newId('lead')}@buyer.test`
    const visit = await readPage(ws.shop, visitor, '/trial')
    await sendShop(ws.shop, visitor, [{ id: newId('e'), type: 'form', visit, form: { id: 'trial' }, fields: { email } }])
    const contact = await findContactByEmail(createDb(env.DB), ws.shop.workspaceId, email)
    if (!contact) throw new Error('the form did not make a contact')
    await settle(contactStub(env, contact.id))

    const mail = await waitForMail((m) => m.subject === '[Pagebell] Trial form' && m.html.includes(email))
    expect(mail.html).toContain(`<p>Custom: A trial request: call within the hour. from ${email}</p>`)
    expect(mail.text).toContain('A trial request: call within the hour.')
    expect(mail.attachments).toHaveLength(1)
    expect(mail.attachments[0]?.contentType).toMatch(/^text\/csv/)
    expect(mail.attachments[0]?.content).toContain(email)
  })

  it('refuses an attachment without its format, or a template that does not parse, beside the field, writing nothing', async () => {
    const before = await written()
    const noFormat = await post(formAlert({ attachmentTemplate: '{{ contact.email }}', attachmentFormat: '' }))
    expect(noFormat.status).toBe(400)
    expect(noFormat.html).toContain('choose the attachment format (txt, csv, html or json)')
    const broken = await post(formAlert({ templateHtml: '<p>{% if %}</p>' }))
    expect(broken.status).toBe(400)
    expect(broken.html).toContain('the template does not parse')
    expect(await written()).toEqual(before)
  })
})
