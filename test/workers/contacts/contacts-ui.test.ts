// The contacts screens for admins and marketers: the list with labelled filters, empty states
// that say what to do, pages, bulk owner assignment through the form, the profile with its
// timeline and edit form (a refused field marked beside it, nothing saved), CSV export and erase;
// untrusted text shown escaped.
import { beforeAll, describe, expect, it } from 'vitest'
import { apiJson, createAdminWorkspace, logIn, PASSWORD, web, type AdminFixture } from '../admin/admin-fixture'
import { pageview, sendShop } from '../contact-object/shop-visitor'
import { newId } from '../support/collect'
import { identified, insertContacts, uniqueEmail } from './contacts-fixture'

let ws: AdminFixture
let admin: string | null
let marketer: string | null

beforeAll(async () => {
  ws = await createAdminWorkspace()
  admin = (await logIn(ws.admin.email, PASSWORD)).cookie
  marketer = (await logIn(ws.marketer.email, PASSWORD)).cookie
})

const page = async (cookie: string | null, path: string) => {
  const res = await web(cookie, 'GET', path)
  return { status: res.status, html: await res.text() }
}

type ApiContact = { owner: { id: string } | null; name: string; company: string; tags: string[] }

describe('contacts UI: the list', () => {
  it('says how contacts appear when there is none yet, and when no contact matches', async () => {
    const fresh = await createAdminWorkspace()
    const cookie = (await logIn(fresh.admin.email, PASSWORD)).cookie
    const empty = await page(cookie, '/admin/contacts')
    expect(empty.status).toBe(200)
    expect(empty.html).toContain('No contact yet.')
    expect(empty.html).toContain('href="/admin/sites"')
    expect(empty.html).toMatch(/<a href="\/admin\/contacts"\s+aria-current="page">Contacts<\/a>/)
    const none = await page(cookie, '/admin/contacts?q=nobody')
    expect(none.html).toContain('No contact matches these filters.')
    expect(none.html).toContain('value="nobody"')
  })

  it('shows contacts with labelled filters, and escapes what visitors typed', async () => {
    const email = uniqueEmail('xss')
    await identified(ws, email, { name: '<img src=x onerror=alert(1)>', company: 'Acme & Sons' })
    const list = await page(admin, '/admin/contacts')
    expect(list.html).toContain(email)
    expect(list.html).toContain('&lt;img src=x onerror=alert(1)&gt;')
    expect(list.html).not.toContain('<img src=x')
    expect(list.html).toContain('Acme &amp; Sons')
    for (const [id, label] of [
      ['contacts-q', 'Search'],
      ['contacts-owner', 'Owner'],
      ['contacts-since', 'Identified since'],
      ['contacts-visited', 'Visited a page'],
      ['contacts-days', 'in the last … days'],
    ]) {
      expect(list.html).toContain(`<label for="${id}">${label}</label>`)
      expect(list.html).toContain(`id="${id}"`)
    }
    expect(list.html).toContain(`aria-label="Select ${email}"`)
    expect(list.html).toContain('<label for="bulk-owner">Give the ticked contacts to</label>')
  })

  it('marks a refused filter beside its field', async () => {
    const res = await page(admin, '/admin/contacts?visited=pricing')
    expect(res.status).toBe(400)
    expect(res.html).toMatch(/id="contacts-visited"[^>]*class="field-invalid" aria-invalid="true"/)
    expect(res.html).toContain('start a path with `/`')
  })

  it('pages 50 at a time, with links that keep the filters', async () => {
    const fresh = await createAdminWorkspace()
    const cookie = (await logIn(fresh.admin.email, PASSWORD)).cookie
    await insertContacts(
      fresh,
      Array.from({ length: 52 }, (_, i) => ({ email: `p${String(i).padStart(2, '0')}@paged.test`, createdAt: 1_000_000 + i })),
    )
    const first = await page(cookie, '/admin/contacts?q=paged')
    expect(first.html).toContain('p51@paged.test')
    expect(first.html).not.toContain('p01@paged.test')
    const next = /href="(\/admin\/contacts\?q=paged&amp;cursor=[\w-]+)">Next page/.exec(first.html)?.[1]
    expect(next).toBeDefined()
    const second = await page(cookie, next!.replace(/&amp;/g, '&'))
    expect(second.html).toContain('p01@paged.test')
    expect(second.html).toContain('p00@paged.test')
    expect(second.html).not.toContain('p51@paged.test')
    expect(second.html).toContain('href="/admin/contacts?q=paged">← First page')
    expect(second.html).not.toContain('Next page')
  })

  it('gives the ticked contacts one owner through the bulk form, and asks to tick some first', async () => {
    const ids = await insertContacts(ws, [{ email: uniqueEmail('bulk1') }, { email: uniqueEmail('bulk2') }])
    const form = new URLSearchParams([
      ['ids', ids[0]!],
      ['ids', ids[1]!],
      ['ownerId', ws.sales.id],
      ['back', '/admin/contacts?q=bulk'],
    ])
    const res = await web(marketer, 'POST', '/admin/contacts/assign', form)
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('/admin/contacts?q=bulk&notice=contacts-assigned')
    for (const id of ids) expect((await apiJson<ApiContact>(ws.admin.token, 'GET', `/contacts/${id}`)).owner?.id).toBe(ws.sales.id)
    expect((await page(marketer, '/admin/contacts?notice=contacts-assigned')).html).toContain('Owner assigned.')

    const none = await web(marketer, 'POST', '/admin/contacts/assign', { ownerId: ws.sales.id, back: 'https://evil.test/' })
    expect(none.headers.get('location')).toBe('/admin/contacts?problem=select-contacts')
    expect((await page(marketer, '/admin/contacts?problem=select-contacts')).html).toContain('Tick at least one contact')
    // No owner chosen is not "nobody": nothing changes.
    const unchosen = await web(
      marketer,
      'POST',
      '/admin/contacts/assign',
      new URLSearchParams([
        ['ids', ids[0]!],
        ['ownerId', ''],
      ]),
    )
    expect(unchosen.headers.get('location')).toBe('/admin/contacts?problem=choose-owner')
    expect((await apiJson<ApiContact>(ws.admin.token, 'GET', `/contacts/${ids[0]}`)).owner?.id).toBe(ws.sales.id)
    const nobody = await web(
      marketer,
      'POST',
      '/admin/contacts/assign',
      new URLSearchParams([
        ['ids', ids[0]!],
        ['ownerId', 'none'],
      ]),
    )
    expect(nobody.status).toBe(303)
    expect((await apiJson<ApiContact>(ws.admin.token, 'GET', `/contacts/${ids[0]}`)).owner).toBeNull()
    // A form from another site is refused.
    expect((await web(marketer, 'POST', '/admin/contacts/assign', form, 'https://evil.test')).status).toBe(403)
  })

  it('exports the filtered list as CSV', async () => {
    const email = uniqueEmail('csvui')
    await insertContacts(ws, [{ email, name: '@SUM(A1)' }])
    const res = await web(admin, 'GET', `/admin/contacts/export.csv?q=${encodeURIComponent(email)}`)
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    const lines = (await res.text()).trim().split('\r\n')
    expect(lines).toHaveLength(2)
    expect(lines[1]).toContain(`"${email}","'@SUM(A1)"`)
  })
})

describe('contacts UI: the profile', () => {
  it('shows the fields, how the contact was identified and the timeline', async () => {
    const email = uniqueEmail('prof')
    const { visitor, contactId } = await identified(ws, email, { name: 'Pro File', company: 'Profiles Inc' })
    await sendShop(ws.shop, visitor, [pageview(newId('visit'), '/features/<b>bold</b>')])
    const res = await page(admin, `/admin/contacts/${contactId}`)
    expect(res.status).toBe(200)
    expect(res.html).toContain('<h1>Pro File</h1>')
    expect(res.html).toContain('by an identify call in the page (not signed by your site&#39;s backend: not verified)')
    expect(res.html).toContain('Viewed a page')
    expect(res.html).toContain('/features/&lt;b&gt;bold&lt;/b&gt;')
    expect(res.html).toContain('Became a contact')
    expect(res.html).toContain('<label for="contact-owner">Owner</label>')
    expect(res.html).toContain('Erase contact')
    expect((await page(marketer, `/admin/contacts/${contactId}`)).html).not.toContain('Erase contact')
    expect((await page(admin, '/admin/contacts/no-such-contact')).status).toBe(404)
  })

  it('saves the edit form, or shows a refused field beside it and saves nothing', async () => {
    const { contactId } = await identified(ws, uniqueEmail('edit'), { name: 'Ed It' })
    const form = { name: 'Ed It', company: 'Edits Ltd', phone: '', tags: 'vip, vip, trial', ownerId: ws.marketer.id }
    const bad = await web(admin, 'POST', `/admin/contacts/${contactId}/edit`, { ...form, tags: `ok, ${'t'.repeat(51)}` })
    expect(bad.status).toBe(400)
    const html = await bad.text()
    expect(html).toMatch(/id="contact-tags"[^>]*class="field-invalid" aria-invalid="true"/)
    expect(html).toContain('a tag is at most 50 characters')
    expect(html).toContain('1 field needs attention')
    expect((await apiJson<ApiContact>(ws.admin.token, 'GET', `/contacts/${contactId}`)).company).toBe('')

    const ok = await web(admin, 'POST', `/admin/contacts/${contactId}/edit`, form)
    expect(ok.status).toBe(303)
    expect(ok.headers.get('location')).toBe(`/admin/contacts/${contactId}?notice=contact-saved`)
    expect(await apiJson<ApiContact>(ws.admin.token, 'GET', `/contacts/${contactId}`)).toMatchObject({
      company: 'Edits Ltd',
      tags: ['vip', 'trial'],
      owner: { id: ws.marketer.id },
    })
  })

  it('erases a contact for an admin (a marketer is refused)', async () => {
    const { contactId } = await identified(ws, uniqueEmail('gone'))
    expect((await web(marketer, 'POST', `/admin/contacts/${contactId}/erase`, {})).status).toBe(403)
    const res = await web(admin, 'POST', `/admin/contacts/${contactId}/erase`, {})
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('/admin/contacts?notice=contact-erased')
    expect((await page(admin, `/admin/contacts/${contactId}`)).status).toBe(404)
  })
})
