// Finds the contact named by the route's `:id` among those the caller may see (a sales rep: only
// their own) and puts it in `c.var.contact`, or refuses with 404. Another workspace's or another
// rep's contact is the same as no contact, so ids cannot be probed.
import { createMiddleware } from 'hono/factory'
import { contactScope } from '../contacts/contact-scope'
import { createDb } from '../db/client'
import { findContact, type ContactWithOwner } from '../db/queries/contacts'
import type { AuthEnv } from './authenticate'
import { HttpError } from './http-error'

export type ContactEnv = AuthEnv & { Variables: { contact: ContactWithOwner } }

export const noSuchContact = () => new HttpError(404, 'not found', 'no contact with this id in your workspace')

export const loadContact = () =>
  createMiddleware<ContactEnv, '/:id'>(async (c, next) => {
    const contact = await findContact(createDb(c.env.DB), contactScope(c.var.user), c.req.param('id'))
    if (!contact) throw noSuchContact()
    c.set('contact', contact)
    await next()
  })
