// /admin/contacts — the contacts screens: the list with its filters, CSV export and bulk owner
// assignment; a contact's profile with its timeline, the form that changes it and, for admins,
// erase. A sales rep sees and changes only their own contacts (and not their owner). Forms and
// query strings are checked by the same schemas as /api/v1/contacts.
import { Hono, type Context } from 'hono'
import * as v from 'valibot'
import { formText } from '../admin/form-fields'
import { renderPage } from '../admin/render'
import { contactDraft, contactScreen, type ContactDraft } from '../admin/ui/contact-screen'
import { BULK_NOBODY, contactsScreen, type ContactFilterDraft } from '../admin/ui/contacts-screen'
import { errorsOf, noErrors } from '../admin/ui/form-controls'
import { assignContacts, changeContact } from '../contacts/contact-changes'
import { contactsCsv } from '../contacts/contact-csv'
import { eraseContact } from '../contacts/contact-erase'
import { AssignBody, ContactPatchBody, ContactsQuery } from '../contacts/contact-input'
import { contactJson } from '../contacts/contact-json'
import { findContacts } from '../contacts/contact-list'
import { contactScope } from '../contacts/contact-scope'
import { contactTimeline } from '../contacts/contact-timeline'
import { createDb } from '../db/client'
import type { AuthUser } from '../db/queries/auth'
import type { ContactWithOwner } from '../db/queries/contacts'
import { workspaceUsers } from '../db/queries/workspaces'
import { fieldErrors, type FieldError } from '../field-errors'
import { authenticate, type AuthEnv } from '../middleware/authenticate'
import { HttpError } from '../middleware/http-error'
import { loadContact, noSuchContact, type ContactEnv } from '../middleware/load-contact'
import { ALERT_EDITORS, requireRole } from '../middleware/require-role'

export const adminContacts = new Hono<AuthEnv>()

adminContacts.use('*', authenticate({ via: 'session' }))
adminContacts.post('/assign', requireRole(...ALERT_EDITORS))
adminContacts.post('/:id/erase', requireRole('admin'))

const canAssign = (user: AuthUser) => ALERT_EDITORS.includes(user.role)

const FILTER_KEYS = ['q', 'owner', 'identifiedSince', 'visited', 'visitedDays'] as const

/** The filter as the query string has it (only the keys the form has, as text). */
function filterDraft(search: URLSearchParams): ContactFilterDraft {
  const get = (key: string) => (search.get(key) ?? '').trim()
  return {
    q: get('q'),
    owner: get('owner'),
    identifiedSince: get('identifiedSince'),
    visited: get('visited'),
    visitedDays: get('visitedDays'),
  }
}

/** The filters that are set, as a query string to carry into the next page, the export and back. */
function filterQuery(draft: ContactFilterDraft): URLSearchParams {
  const params = new URLSearchParams()
  for (const key of FILTER_KEYS) if (draft[key]) params.set(key, draft[key])
  return params
}

const withQuery = (path: string, params: URLSearchParams) => (params.size ? `${path}?${params.toString()}` : path)

/** The list's address a form came from, or the plain list: only /admin/contacts with its own filters. */
function backTo(value: string): URLSearchParams {
  if (!value.startsWith('/admin/contacts')) return new URLSearchParams()
  const url = new URL(value, 'https://pagebell.invalid')
  if (url.pathname !== '/admin/contacts') return new URLSearchParams()
  const params = filterQuery(filterDraft(url.searchParams))
  const cursor = url.searchParams.get('cursor')
  if (cursor) params.set('cursor', cursor)
  return params
}

adminContacts.get('/', async (c) => {
  const search = new URL(c.req.url).searchParams
  const draft = filterDraft(search)
  const filters = filterQuery(draft)
  const cursor = search.get('cursor') ?? ''
  const users = await workspaceUsers(createDb(c.env.DB), c.var.workspaceId)
  const raw: Record<string, string> = Object.fromEntries(filters)
  if (cursor) raw.cursor = cursor
  const parsed = v.safeParse(ContactsQuery, raw)
  let errors: FieldError[] = parsed.success ? [] : fieldErrors(parsed.issues)
  let rows: ContactWithOwner[] = []
  let nextCursor: string | null = null
  if (parsed.success) {
    const found = await findContacts(c.env, c.var.user, parsed.output)
    if (found.ok) ({ rows, nextCursor } = found.page)
    else errors = found.errors
  }
  const self = withQuery('/admin/contacts', cursor ? new URLSearchParams([...filters, ['cursor', cursor]]) : filters)
  const next = new URLSearchParams(filters)
  if (nextCursor) next.set('cursor', nextCursor)
  const body = contactsScreen({
    rows,
    users,
    draft,
    errors: errors.length ? errorsOf(errors) : noErrors,
    errorCount: errors.length,
    filtered: filters.size > 0,
    isSales: c.var.user.role === 'sales',
    canAssign: canAssign(c.var.user),
    self,
    exportHref: withQuery('/admin/contacts/export.csv', filters),
    nextPage: nextCursor ? withQuery('/admin/contacts', next) : null,
    firstPage: cursor ? withQuery('/admin/contacts', filters) : null,
    notice: c.req.query('notice'),
    problem: c.req.query('problem'),
  })
  return renderPage(c, { title: 'Contacts', section: 'contacts', user: c.var.user, body, status: errors.length ? 400 : 200 })
})

adminContacts.get('/export.csv', async (c) => {
  const parsed = v.safeParse(ContactsQuery, Object.fromEntries(filterQuery(filterDraft(new URL(c.req.url).searchParams))))
  if (!parsed.success) throw HttpError.invalid('invalid query', fieldErrors(parsed.issues))
  const csv = await contactsCsv(c.env, c.var.user, parsed.output)
  if (!csv.ok) throw HttpError.invalid('invalid query', csv.errors)
  return c.body(csv.body, 200, {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': 'attachment; filename="contacts.csv"',
    'cache-control': 'no-store',
  })
})

adminContacts.post('/assign', async (c) => {
  const form = await c.req.formData()
  const back = backTo(formText(form, 'back'))
  const ids = form.getAll('ids').filter((id): id is string => typeof id === 'string')
  if (ids.length === 0) {
    back.set('problem', 'select-contacts')
    return c.redirect(withQuery('/admin/contacts', back), 303)
  }
  const owner = formText(form, 'ownerId')
  if (!owner) {
    back.set('problem', 'choose-owner')
    return c.redirect(withQuery('/admin/contacts', back), 303)
  }
  const parsed = v.safeParse(AssignBody, { ids, ownerId: owner === BULK_NOBODY ? null : owner })
  if (!parsed.success) throw HttpError.invalid('invalid assignment', fieldErrors(parsed.issues))
  const result = await assignContacts(c.env, c.var.user, parsed.output)
  if (!result.ok)
    throw new HttpError(result.status, result.status === 404 ? 'not found' : 'invalid assignment', result.errors[0]?.reason ?? 'refused')
  back.set('notice', 'contacts-assigned')
  return c.redirect(withQuery('/admin/contacts', back), 303)
})

async function profile(c: Context<ContactEnv, string>, edit: { draft?: ContactDraft; errors: FieldError[] }) {
  const { user, contact } = c.var
  const json = contactJson(contact)
  const [users, timeline] = await Promise.all([workspaceUsers(createDb(c.env.DB), user.workspaceId), contactTimeline(c.env, contact)])
  const body = contactScreen({
    contact: json,
    timeline,
    users,
    draft: edit.draft ?? contactDraft(json),
    errors: edit.errors.length ? errorsOf(edit.errors) : noErrors,
    errorCount: edit.errors.length,
    canAssign: canAssign(user),
    canErase: user.role === 'admin',
    notice: c.req.query('notice'),
  })
  return renderPage(c, {
    title: contact.name || contact.email,
    section: 'contacts',
    user,
    body,
    status: edit.errors.length ? 400 : 200,
  })
}

adminContacts.get('/:id', loadContact(), (c) => profile(c, { errors: [] }))

const tagsOf = (line: string) =>
  line
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean)

adminContacts.post('/:id/edit', loadContact(), async (c) => {
  const form = await c.req.formData()
  const draft: ContactDraft = {
    name: formText(form, 'name'),
    company: formText(form, 'company'),
    phone: formText(form, 'phone'),
    tags: formText(form, 'tags'),
    ownerId: formText(form, 'ownerId'),
  }
  const input: Record<string, unknown> = { name: draft.name, company: draft.company, phone: draft.phone, tags: tagsOf(draft.tags) }
  // A sales rep's form has no owner field: their contacts stay theirs.
  if (canAssign(c.var.user)) input.ownerId = draft.ownerId || null
  const parsed = v.safeParse(ContactPatchBody, input)
  if (!parsed.success) return profile(c, { draft, errors: fieldErrors(parsed.issues) })
  const changed = await changeContact(c.env, c.var.user, c.var.contact.id, parsed.output)
  if (!changed) throw noSuchContact()
  if (!changed.ok) return profile(c, { draft, errors: changed.errors })
  return c.redirect(`/admin/contacts/${c.var.contact.id}?notice=contact-saved`, 303)
})

adminContacts.post('/:id/erase', async (c) => {
  await c.req.arrayBuffer()
  if (!(await eraseContact(c.env, contactScope(c.var.user), c.req.param('id')))) throw noSuchContact()
  return c.redirect('/admin/contacts?notice=contact-erased', 303)
})
