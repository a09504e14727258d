// A deactivated user as an owner of contacts: never offered or accepted for a new assignment (the
// profile's and the bulk form's pickers leave them out; the API refuses them with a 400 naming
// the field and changes nothing), yet the contacts they already own still name them, marked as
// deactivated, in the list, the profile and the API, and keep them when a form is saved as it is.
import { env } from 'cloudflare:test'
import { beforeEach, describe, expect, it } from 'vitest'
import { DEACTIVATED_USER } from '../../../worker/users/owner-choice'
import { api, apiJson, createAdminWorkspace, logIn, PASSWORD, web, type AdminFixture } from '../admin/admin-fixture'
import { optionsOf } from '../users/users-fixture'
import { insertContacts, uniqueEmail } from './contacts-fixture'

type ApiContact = { name: string; owner: { id: string; email: string; name: string; status: string } | null }

let ws: AdminFixture

beforeEach(async () => {
  ws = await createAdminWorkspace()
})

const deactivate = (f: AdminFixture, id: string) => apiJson(f.admin.token, 'POST', `/users/${id}/deactivate`)

/** The contacts of the workspace as stored, to show that a refused request changed nothing. */
const stored = async (f: AdminFixture) =>
  (await env.DB.prepare('SELECT * FROM contacts WHERE workspace_id = ? ORDER BY id').bind(f.shop.workspaceId).all()).results

describe('contacts: a deactivated user as owner, in the API', () => {
  it('refuses a deactivated user as the new owner of one contact or of many, with a 400 naming ownerId, and changes nothing', async () => {
    const ids = await insertContacts(ws, [{ email: uniqueEmail('a') }, { email: uniqueEmail('b') }])
    await deactivate(ws, ws.sales.id)
    const before = await stored(ws)

    const one = await api(ws.admin.token, 'PATCH', `/contacts/${ids[0]}`, { ownerId: ws.sales.id, name: 'Renamed' })
    expect(one.status).toBe(400)
    expect(await one.json()).toMatchObject({ error: 'invalid contact', field: 'ownerId', reason: DEACTIVATED_USER })
    const many = await api(ws.marketer.token, 'POST', '/contacts/assign', { ids, ownerId: ws.sales.id })
    expect(many.status).toBe(400)
    expect(await many.json()).toMatchObject({ field: 'ownerId', reason: DEACTIVATED_USER })
    expect(await stored(ws)).toEqual(before)

    // Active again, the same user can be given contacts.
    await apiJson(ws.admin.token, 'POST', `/users/${ws.sales.id}/reactivate`)
    expect(await apiJson(ws.marketer.token, 'POST', '/contacts/assign', { ids, ownerId: ws.sales.id })).toEqual({ assigned: 2 })
  })

  it('shows a deactivated owner as deactivated, keeps them when a change leaves the owner as it is, and lets another owner be chosen', async () => {
    const [id] = await insertContacts(ws, [{ email: uniqueEmail('kept'), ownerId: ws.sales.id }])
    await deactivate(ws, ws.sales.id)

    const read = await apiJson<ApiContact>(ws.admin.token, 'GET', `/contacts/${id}`)
    expect(read.owner).toEqual({ id: ws.sales.id, email: ws.sales.email, name: ws.sales.name, status: 'deactivated' })
    const renamed = await apiJson<ApiContact>(ws.admin.token, 'PATCH', `/contacts/${id}`, { name: 'Kept', ownerId: ws.sales.id })
    expect(renamed).toMatchObject({ name: 'Kept', owner: { id: ws.sales.id, status: 'deactivated' } })

    const moved = await apiJson<ApiContact>(ws.admin.token, 'PATCH', `/contacts/${id}`, { ownerId: ws.marketer.id })
    expect(moved.owner).toMatchObject({ id: ws.marketer.id, status: 'active' })
    // Once moved away, the deactivated user is a new assignment again: refused.
    expect((await api(ws.admin.token, 'PATCH', `/contacts/${id}`, { ownerId: ws.sales.id })).status).toBe(400)
  })
})

describe('contacts: a deactivated user as owner, in the web UI', () => {
  it('leaves them out of the bulk and profile pickers, keeps them in the owner filter, and marks the contacts they still own', async () => {
    const [kept, other] = await insertContacts(ws, [
      { email: uniqueEmail('kept'), name: 'Kept Buyer', ownerId: ws.sales.id },
      { email: uniqueEmail('other'), name: 'Other Buyer', ownerId: ws.admin.id },
    ])
    await deactivate(ws, ws.sales.id)
    const { cookie } = await logIn(ws.admin.email, PASSWORD)
    const deactivatedLabel = `${ws.sales.name} (${ws.sales.email}, deactivated)`

    const list = await (await web(cookie, 'GET', '/admin/contacts')).text()
    expect([...optionsOf(list, 'bulk-owner').keys()]).not.toContain(ws.sales.id)
    expect([...optionsOf(list, 'bulk-owner').keys()]).toContain(ws.marketer.id)
    expect(optionsOf(list, 'contacts-owner').get(ws.sales.id)).toBe(deactivatedLabel)
    expect(list).toContain(`<td data-label="Owner">${deactivatedLabel}</td>`)

    // The profile of a contact the deactivated user still owns: named as such, and the picker keeps them as the current value only.
    const keptPage = await (await web(cookie, 'GET', `/admin/contacts/${kept}`)).text()
    expect(keptPage).toContain(`<dd>${deactivatedLabel}</dd>`)
    expect(optionsOf(keptPage, 'contact-owner').get(ws.sales.id)).toBe(deactivatedLabel)
    expect(keptPage).toMatch(new RegExp(`<option value="${ws.sales.id}"\\s+selected`))
    const otherPage = await (await web(cookie, 'GET', `/admin/contacts/${other}`)).text()
    expect([...optionsOf(otherPage, 'contact-owner').keys()]).not.toContain(ws.sales.id)

    // Saving the kept contact's form as it is keeps its owner; the bulk form refuses them.
    const save = await web(cookie, 'POST', `/admin/contacts/${kept}/edit`, {
      name: 'Kept B.',
      company: '',
      phone: '',
      tags: '',
      ownerId: ws.sales.id,
    })
    expect(save.status).toBe(303)
    expect(await apiJson<ApiContact>(ws.admin.token, 'GET', `/contacts/${kept}`)).toMatchObject({
      name: 'Kept B.',
      owner: { id: ws.sales.id },
    })
    const refused = await web(cookie, 'POST', `/admin/contacts/${other}/edit`, {
      name: 'Other',
      company: '',
      phone: '',
      tags: '',
      ownerId: ws.sales.id,
    })
    expect(refused.status).toBe(400)
    expect(await refused.text()).toContain('this user is deactivated')
    const bulk = await web(
      cookie,
      'POST',
      '/admin/contacts/assign',
      new URLSearchParams([
        ['ids', other!],
        ['ownerId', ws.sales.id],
      ]),
    )
    expect(bulk.status).toBe(400)
    expect((await apiJson<ApiContact>(ws.admin.token, 'GET', `/contacts/${other}`)).owner?.id).toBe(ws.admin.id)
  })
})
