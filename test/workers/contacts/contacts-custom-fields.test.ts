// A contact's custom fields, set by a campaign's "Set a contact field" step on `custom.<key>`,
// reach D1 from the contact's object and are shown: on the admin profile (escaped, like every
// text there) and in the contact's JSON of the REST API.
import { beforeAll, describe, expect, it } from 'vitest'
import { apiJson, createAdminWorkspace, logIn, PASSWORD, web, type AdminFixture } from '../admin/admin-fixture'
import { act, contactRow, eventually, newContact, track } from '../campaigns/object-fixture'

const PLAN = '<b onmouseover="x()">Pro</b> & co'

let ws: AdminFixture

beforeAll(async () => {
  ws = await createAdminWorkspace()
  const { id } = await apiJson<{ id: string }>(ws.marketer.token, 'POST', '/campaigns', {
    name: 'Signed up',
    triggers: [{ type: 'custom-event', name: 'signup' }],
    steps: [
      { id: 'plan', type: 'set-field', field: 'custom.plan', value: PLAN },
      { id: 'source', type: 'set-field', field: 'custom.source', value: 'webinar' },
    ],
  })
  await apiJson(ws.marketer.token, 'POST', `/campaigns/${id}/activate`)
})

describe('contacts: custom fields', () => {
  it('shows the custom fields a campaign set on the profile, escaped, and in the API', async () => {
    const contact = await newContact(ws.shop)
    const id = contact.contact.id
    await act(ws.shop, contact, [track('signup')])
    await eventually(async () => ((await contactRow(id)).customFields.source ? true : undefined), 10_000)

    expect(await apiJson(ws.admin.token, 'GET', `/contacts/${id}`)).toMatchObject({ customFields: { plan: PLAN, source: 'webinar' } })
    const list = await apiJson<{ contacts: Array<{ id: string; customFields: unknown }> }>(ws.admin.token, 'GET', '/contacts')
    expect(list.contacts.find((c) => c.id === id)?.customFields).toEqual({ plan: PLAN, source: 'webinar' })

    const { cookie } = await logIn(ws.admin.email, PASSWORD)
    const page = await (await web(cookie, 'GET', `/admin/contacts/${id}`)).text()
    expect(page).toContain('<dt>Custom fields</dt>')
    expect(page).toMatch(/<dt>plan<\/dt>\s*<dd>&lt;b onmouseover=&quot;x\(\)&quot;&gt;Pro&lt;\/b&gt; &amp; co<\/dd>/)
    expect(page).toMatch(/<dt>source<\/dt>\s*<dd>webinar<\/dd>/)
    expect(page).not.toContain('<b onmouseover')
  })

  it('says where custom fields come from when a contact has none', async () => {
    const contact = await newContact(ws.shop)
    expect(await apiJson(ws.admin.token, 'GET', `/contacts/${contact.contact.id}`)).toMatchObject({ customFields: {} })
    const { cookie } = await logIn(ws.admin.email, PASSWORD)
    const page = await (await web(cookie, 'GET', `/admin/contacts/${contact.contact.id}`)).text()
    expect(page).toContain("none (a campaign's “Set a contact field” step on custom.&lt;key&gt; sets them)")
  })
})
