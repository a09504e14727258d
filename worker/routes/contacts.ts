// /api/v1/contacts — the contacts of the caller's workspace over REST (a sales rep: only the
// contacts they own; another's is a 404): pages with search and filters, one contact, its
// activity timeline, CSV export; changing fields, tags and owner; assigning many to one owner;
// erasing one. Bodies and query strings are checked once, at the edge, by
// worker/contacts/contact-input.ts, which also writes the OpenAPI document.
import { Hono } from 'hono'
import { describeRoute, resolver } from 'hono-openapi'
import * as v from 'valibot'
import { assignContacts, changeContact } from '../contacts/contact-changes'
import { contactsCsv } from '../contacts/contact-csv'
import { eraseContact } from '../contacts/contact-erase'
import { ActivityQuery, AssignBody, ContactPatchBody, ContactsQuery } from '../contacts/contact-input'
import { ContactPage, ContactView, Timeline, contactJson } from '../contacts/contact-json'
import { findContacts } from '../contacts/contact-list'
import { contactScope } from '../contacts/contact-scope'
import { contactTimeline } from '../contacts/contact-timeline'
import { authenticate, type AuthEnv } from '../middleware/authenticate'
import { ErrorBody, HttpError } from '../middleware/http-error'
import { jsonBody } from '../middleware/json-body'
import { loadContact, noSuchContact } from '../middleware/load-contact'
import { queryParams } from '../middleware/query-params'
import { ALERT_EDITORS, requireRole } from '../middleware/require-role'

export const contacts = new Hono<AuthEnv>()

contacts.use('*', authenticate({ via: 'bearer' }))

const jsonOf = (schema: v.GenericSchema, description: string) => ({
  description,
  content: { 'application/json': { schema: resolver(schema) } },
})
const refused = (description: string) => jsonOf(ErrorBody, description)
const NOT_FOUND = refused('No contact with this id in your workspace (for a sales rep: among the contacts they own)')
const BAD_QUERY = refused('A bad filter, limit or cursor')
const tags = ['contacts']

contacts.get(
  '/',
  describeRoute({
    tags,
    summary: 'List contacts, newest first, with search and filters, a page at a time',
    description:
      'A sales rep gets only the contacts they own. `q` is found in the e-mail, name or company (case and accents ignored); filters combine (all must hold).',
    responses: { 200: jsonOf(ContactPage, 'One page of contacts'), 400: BAD_QUERY },
  }),
  queryParams(ContactsQuery),
  async (c) => {
    const found = await findContacts(c.env, c.var.user, c.req.valid('query'))
    if (!found.ok) throw HttpError.invalid('invalid query', found.errors)
    return c.json({ contacts: found.page.rows.map(contactJson), nextCursor: found.page.nextCursor })
  },
)

contacts.get(
  '/export',
  describeRoute({
    tags,
    summary: 'Every contact the filters find, as CSV',
    description:
      'The same filters as the list (without limit and cursor). Every cell is quoted; a cell starting with = + - @ is prefixed with an apostrophe so a spreadsheet never runs it.',
    responses: { 200: { description: 'text/csv, header first', content: { 'text/csv': { schema: { type: 'string' } } } }, 400: BAD_QUERY },
  }),
  queryParams(ContactsQuery),
  async (c) => {
    const csv = await contactsCsv(c.env, c.var.user, c.req.valid('query'))
    if (!csv.ok) throw HttpError.invalid('invalid query', csv.errors)
    return c.body(csv.body, 200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': 'attachment; filename="contacts.csv"',
      'cache-control': 'no-store',
    })
  },
)

contacts.post(
  '/assign',
  describeRoute({
    tags,
    summary: 'Give many contacts to one owner, or to nobody (admin, marketer)',
    responses: {
      200: jsonOf(v.object({ assigned: v.number() }), 'Assigned'),
      400: refused('A bad body or an unknown owner'),
      403: refused('Sales role'),
      404: refused('An id that is not a contact of your workspace (errors name each); nothing changed'),
    },
  }),
  requireRole(...ALERT_EDITORS),
  jsonBody(AssignBody, 'invalid assignment'),
  async (c) => {
    const result = await assignContacts(c.env, c.var.user, c.req.valid('json'))
    if (!result.ok) {
      if (result.status === 404)
        throw new HttpError(404, 'not found', result.errors[0]?.reason ?? 'no such contact', { errors: result.errors })
      throw HttpError.invalid('invalid assignment', result.errors)
    }
    return c.json({ assigned: result.assigned })
  },
)

contacts.get(
  '/:id',
  describeRoute({ tags, summary: 'Read a contact', responses: { 200: jsonOf(ContactView, 'The contact'), 404: NOT_FOUND } }),
  loadContact(),
  (c) => c.json(contactJson(c.var.contact)),
)

contacts.get(
  '/:id/activity',
  describeRoute({
    tags,
    summary: "The contact's timeline: pages with visible time, forms, custom events, alerts fired",
    description: "Read from the contact's own object: its last 50 events and the alerts it fired in the last 35 days, newest first.",
    responses: { 200: jsonOf(Timeline, 'Newest first'), 400: BAD_QUERY, 404: NOT_FOUND },
  }),
  loadContact(),
  queryParams(ActivityQuery),
  async (c) => {
    const items = await contactTimeline(c.env, c.var.contact, c.req.valid('query').limit)
    return c.json({ contactId: c.var.contact.id, items })
  },
)

contacts.patch(
  '/:id',
  describeRoute({
    tags,
    summary: 'Change name, company, phone, tags or owner',
    description: 'Admins and marketers change any contact; a sales rep changes the fields and tags of their own, not the owner.',
    responses: {
      200: jsonOf(ContactView, 'Changed'),
      400: refused('A bad body or an unknown owner'),
      403: refused('A sales rep changing the owner'),
      404: NOT_FOUND,
    },
  }),
  jsonBody(ContactPatchBody, 'invalid contact'),
  async (c) => {
    const patch = c.req.valid('json')
    if (patch.ownerId !== undefined && !ALERT_EDITORS.includes(c.var.user.role))
      throw new HttpError(403, 'forbidden', 'your role (sales) cannot change the owner of a contact; an admin or a marketer can')
    const changed = await changeContact(c.env, c.var.user, c.req.param('id'), patch)
    if (!changed) throw noSuchContact()
    if (!changed.ok) throw HttpError.invalid('invalid contact', changed.errors)
    return c.json(contactJson(changed.contact))
  },
)

const ERASE = {
  tags,
  description:
    "Deletes the contact's row and its object's storage, unlinks its visitors (a later event with the same e-mail makes a new contact) and scrubs its outbox rows (subject, recipients, stored job). Cannot be undone. See docs/contacts.md.",
}

async function erase(env: Env, user: Parameters<typeof contactScope>[0], id: string) {
  const report = await eraseContact(env, contactScope(user), id)
  if (!report) throw noSuchContact()
  return report
}

contacts.post(
  '/:id/erase',
  describeRoute({
    ...ERASE,
    summary: 'Erase a contact and its personal data (admin)',
    responses: {
      200: jsonOf(
        v.object({ contactId: v.string(), visitorLinks: v.number(), outboxRows: v.number() }),
        'Erased: what was unlinked and scrubbed',
      ),
      403: refused('Not an admin'),
      404: NOT_FOUND,
    },
  }),
  requireRole('admin'),
  async (c) => {
    await c.req.arrayBuffer()
    return c.json(await erase(c.env, c.var.user, c.req.param('id')))
  },
)

contacts.delete(
  '/:id',
  describeRoute({
    ...ERASE,
    summary: 'Erase a contact (admin): the same as POST /{id}/erase',
    responses: { 204: { description: 'Erased' }, 403: refused('Not an admin'), 404: NOT_FOUND },
  }),
  requireRole('admin'),
  async (c) => {
    await c.req.arrayBuffer()
    await erase(c.env, c.var.user, c.req.param('id'))
    return c.body(null, 204)
  },
)
