// Finds the alert named by the route's `:id` in the caller's workspace and puts it in
// `c.var.alert` (with `c.var.lastSentAt`), or refuses with 404. Another workspace's alert is
// the same as no alert, so ids cannot be probed across workspaces.
import { createMiddleware } from 'hono/factory'
import { createDb } from '../db/client'
import { findAlert, type AlertRow } from '../db/queries/alerts'
import type { AuthEnv } from './authenticate'
import { HttpError } from './http-error'

export type AlertEnv = AuthEnv & { Variables: { alert: AlertRow; lastSentAt: number | null } }

export const loadAlert = () =>
  createMiddleware<AlertEnv, '/:id'>(async (c, next) => {
    const found = await findAlert(createDb(c.env.DB), c.var.workspaceId, c.req.param('id'))
    if (!found) throw new HttpError(404, 'not found', 'no alert with this id in your workspace')
    c.set('alert', found.alert)
    c.set('lastSentAt', found.lastSentAt)
    await next()
  })
