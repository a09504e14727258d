// A contact's custom fields, set by a campaign's "Set a contact field" step on `custom.<key>` or
// claimed by an `identify`'s traits beyond name, company and phone, reach D1 and the contact's
// object and are shown: on the admin profile (escaped, like every text there) and in the
// contact's JSON of the REST API. A trait the contact gets later reaches the campaigns as a
// changed field; an unsigned claim fills a field, never overwrites one.
import { beforeAll, describe, expect, it } from 'vitest'
import { apiJson, createAdminWorkspace, logIn, PASSWORD, web, type AdminFixture } from '../admin/admin-fixture'
import { act, contactRow, eventually, newContact, settle, track } from '../campaigns/object-fixture'
import { newId } from '../support/collect'

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

  it("keeps an identify's other traits as custom fields; a later one reaches the campaigns, and an unsigned one never overwrites", async () => {
    const { id: campaign } = await apiJson<{ id: string }>(ws.marketer.token, 'POST', '/campaigns', {
      name: 'Stage known',
      triggers: [{ type: 'contact-updated', field: 'custom.stage' }],
      steps: [{ id: 'tag', type: 'add-tag', tag: 'staged' }],
    })
    await apiJson(ws.marketer.token, 'POST', `/campaigns/${campaign}/activate`)
    const contact = await newContact(ws.shop)
    const id = contact.contact.id
    const identify = (traits: Record<string, string | number | boolean>) => ({
      id: newId('e'),
      type: 'identify' as const,
      email: contact.contact.email,
      traits,
    })
    await act(ws.shop, contact, [identify({ plan: 'pro', seats: 12, trial: true, 'not a key!': 'x', empty: ' ', name: 'Dana Buyer' })])
    expect((await contactRow(id)).customFields).toEqual({ plan: 'pro', seats: '12', trial: 'true' })
    // Name is a field of its own (and the contact had one: an unsigned claim leaves it).
    expect(await apiJson(ws.admin.token, 'GET', `/contacts/${id}`)).toMatchObject({
      name: contact.contact.name,
      customFields: { plan: 'pro', seats: '12', trial: 'true' },
    })

    // A trait the contact did not have reaches the campaigns; one it had stays as it was (the claim is unsigned).
    await act(ws.shop, contact, [identify({ stage: 'demo booked', plan: 'free' })])
    await settle(contact.stub)
    const row = await eventually(async () => {
      const found = await contactRow(id)
      return found.tags.includes('staged') ? found : undefined
    }, 10_000)
    expect(row.customFields).toEqual({ plan: 'pro', seats: '12', trial: 'true', stage: 'demo booked' })
  })

  it('says where custom fields come from when a contact has none', async () => {
    const contact = await newContact(ws.shop)
    expect(await apiJson(ws.admin.token, 'GET', `/contacts/${contact.contact.id}`)).toMatchObject({ customFields: {} })
    const { cookie } = await logIn(ws.admin.email, PASSWORD)
    const page = await (await web(cookie, 'GET', `/admin/contacts/${contact.contact.id}`)).text()
    expect(page).toContain(
      'none (an identify&#39;s traits beyond name, company and phone, or a campaign&#39;s “Set a contact field” step on custom.&lt;key&gt;, set them)',
    )
  })
})
