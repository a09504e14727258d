// Finds the site named by the route's `:id` in the caller's workspace and puts it in
// `c.var.site`, or refuses with 404. Another workspace's site is the same as no site, so ids
// cannot be probed across workspaces.
import { createMiddleware } from 'hono/factory'
import { createDb } from '../db/client'
import { findSite, type SiteRow } from '../db/queries/sites'
import type { AuthEnv } from './authenticate'
import { HttpError } from './http-error'

export type SiteEnv = AuthEnv & { Variables: { site: SiteRow } }

export const noSuchSite = () => new HttpError(404, 'not found', 'no site with this id in your workspace')

export const loadSite = () =>
  createMiddleware<SiteEnv, '/:id'>(async (c, next) => {
    const site = await findSite(createDb(c.env.DB), c.var.workspaceId, c.req.param('id'))
    if (!site) throw noSuchSite()
    c.set('site', site)
    await next()
  })
