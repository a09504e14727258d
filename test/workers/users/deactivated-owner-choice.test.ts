// A deactivated user is never chosen as the default owner of a site's new contacts: the sites
// API refuses them with a 400 naming defaultOwnerId and changes nothing, the site form does not
// offer them; a site that had them before keeps them (named as deactivated) until someone
// chooses another. The same rule for contacts: test/workers/contacts/contacts-deactivated-owner.test.ts.
import { env } from 'cloudflare:test'
import { beforeEach, describe, expect, it } from 'vitest'
import { DEACTIVATED_USER } from '../../../worker/users/owner-choice'
import { api, apiJson, createAdminWorkspace, logIn, optionsOf, PASSWORD, web, type AdminFixture } from './users-fixture'

type ApiSite = { id: string; name: string; defaultOwnerId: string | null }

let ws: AdminFixture

beforeEach(async () => {
  ws = await createAdminWorkspace()
})

const newSite = (overrides: Record<string, unknown> = {}) => ({ name: 'Store', allowedDomains: ['store.test'], ...overrides })

const stored = async (f: AdminFixture) =>
  (await env.DB.prepare('SELECT * FROM sites WHERE workspace_id = ? ORDER BY id').bind(f.shop.workspaceId).all()).results

describe('sites: a deactivated user as default owner', () => {
  it('is refused with a 400 naming defaultOwnerId when a site is created or changed, and nothing changes', async () => {
    const site = await apiJson<ApiSite>(ws.admin.token, 'POST', '/sites', newSite({ defaultOwnerId: ws.marketer.id }))
    await apiJson(ws.admin.token, 'POST', `/users/${ws.sales.id}/deactivate`)
    const before = await stored(ws)

    const created = await api(ws.admin.token, 'POST', '/sites', newSite({ defaultOwnerId: ws.sales.id }))
    expect(created.status).toBe(400)
    expect(await created.json()).toMatchObject({ error: 'invalid site', field: 'defaultOwnerId', reason: DEACTIVATED_USER })
    const changed = await api(ws.admin.token, 'PATCH', `/sites/${site.id}`, { defaultOwnerId: ws.sales.id })
    expect(changed.status).toBe(400)
    expect(await changed.json()).toMatchObject({ field: 'defaultOwnerId', reason: DEACTIVATED_USER })
    expect(await stored(ws)).toEqual(before)
  })

  it('stays on a site that had them, named as deactivated, through changes that leave it as it is; the form offers them only there', async () => {
    const kept = await apiJson<ApiSite>(ws.admin.token, 'POST', '/sites', newSite({ name: 'Kept', defaultOwnerId: ws.sales.id }))
    const other = await apiJson<ApiSite>(ws.admin.token, 'POST', '/sites', newSite({ name: 'Other', defaultOwnerId: ws.admin.id }))
    await apiJson(ws.admin.token, 'POST', `/users/${ws.sales.id}/deactivate`)

    const renamed = await apiJson<ApiSite>(ws.admin.token, 'PATCH', `/sites/${kept.id}`, { name: 'Kept (EU)', defaultOwnerId: ws.sales.id })
    expect(renamed).toMatchObject({ name: 'Kept (EU)', defaultOwnerId: ws.sales.id })

    const { cookie } = await logIn(ws.admin.email, PASSWORD)
    const label = `${ws.sales.name} (${ws.sales.email}, deactivated)`
    expect(await (await web(cookie, 'GET', `/admin/sites/${kept.id}`)).text()).toContain(`<dd>${label}</dd>`)
    expect(optionsOf(await (await web(cookie, 'GET', `/admin/sites/${kept.id}/edit`)).text(), 'site-owner').get(ws.sales.id)).toBe(label)
    for (const path of [`/admin/sites/${other.id}/edit`, '/admin/sites/new']) {
      const choices = optionsOf(await (await web(cookie, 'GET', path)).text(), 'site-owner')
      expect([...choices.keys()], path).toContain(ws.marketer.id)
      expect([...choices.keys()], path).not.toContain(ws.sales.id)
    }
  })
})
