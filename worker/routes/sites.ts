// /api/v1/sites — the sites of the caller's workspace over REST: everyone reads them (with the
// key, the snippet and the install check), admins create, change and delete. Bodies are checked
// once, at the edge, by worker/sites/site-input.ts, which also writes the OpenAPI document; a
// refused body changes nothing. Lists are paged with an opaque cursor.
import { Hono } from 'hono'
import { describeRoute, resolver } from 'hono-openapi'
import type * as v from 'valibot'
import { createDb } from '../db/client'
import { listSites, type SiteRow } from '../db/queries/sites'
import { findWorkspace } from '../db/queries/workspaces'
import { authenticate, type AuthEnv } from '../middleware/authenticate'
import { ErrorBody, HttpError } from '../middleware/http-error'
import { jsonBody } from '../middleware/json-body'
import { loadSite, noSuchSite } from '../middleware/load-site'
import { queryParams } from '../middleware/query-params'
import { requireRole } from '../middleware/require-role'
import { changeSite, createSite, removeSite } from '../sites/site-changes'
import { NewSiteBody, SitePatchBody } from '../sites/site-input'
import { encodePageCursor } from '../page-cursor'
import { SitePage, SitesQuery, siteJson, SiteView } from '../sites/site-json'

export const sites = new Hono<AuthEnv>()

sites.use('*', authenticate({ via: 'bearer' }))
sites.on(['POST', 'PATCH', 'PUT', 'DELETE'], '*', requireRole('admin'))

const jsonOf = (schema: v.GenericSchema, description: string) => ({
  description,
  content: { 'application/json': { schema: resolver(schema) } },
})
const refused = (description: string) => jsonOf(ErrorBody, description)
const FORBIDDEN = refused('Not an admin')
const NOT_FOUND = refused('No site with this id in your workspace')
const tags = ['sites']

/** Renders sites as JSON: the snippet points at this worker and carries the workspace's privacy setting. */
async function viewer(c: { env: Env; var: { workspaceId: string }; req: { url: string } }) {
  const workspace = await findWorkspace(createDb(c.env.DB), c.var.workspaceId)
  const context = { scriptOrigin: new URL(c.req.url).origin, workspaceHonors: workspace?.honorPrivacySignals ?? false }
  return (row: SiteRow) => siteJson(row, context)
}

sites.get(
  '/',
  describeRoute({
    tags,
    summary: 'List sites, oldest first, a page at a time',
    responses: { 200: jsonOf(SitePage, 'One page of sites'), 400: refused('A bad limit or cursor') },
  }),
  queryParams(SitesQuery),
  async (c) => {
    const { limit, cursor } = c.req.valid('query')
    const page = await listSites(createDb(c.env.DB), c.var.workspaceId, { limit, after: cursor })
    const last = page.rows.at(-1)
    const json = await viewer(c)
    return c.json({ sites: page.rows.map(json), nextCursor: page.more && last ? encodePageCursor(last) : null })
  },
)

sites.get(
  '/:id',
  describeRoute({ tags, summary: 'Read a site', responses: { 200: jsonOf(SiteView, 'The site'), 404: NOT_FOUND } }),
  loadSite(),
  async (c) => c.json((await viewer(c))(c.var.site)),
)

sites.post(
  '/',
  describeRoute({
    tags,
    summary: 'Create a site (admin)',
    responses: { 201: jsonOf(SiteView, 'Created, with its key and snippet'), 403: FORBIDDEN },
  }),
  jsonBody(NewSiteBody, 'invalid site'),
  async (c) => {
    const created = await createSite(c.env, c.var.user, c.req.valid('json'))
    if (!created.ok) throw HttpError.invalid('invalid site', created.errors)
    return c.json((await viewer(c))(created.site), 201, { location: `/api/v1/sites/${created.site.id}` })
  },
)

sites.patch(
  '/:id',
  describeRoute({
    tags,
    summary: 'Change some fields (admin)',
    responses: { 200: jsonOf(SiteView, 'Changed'), 403: FORBIDDEN, 404: NOT_FOUND },
  }),
  loadSite(),
  jsonBody(SitePatchBody, 'invalid site'),
  async (c) => {
    const changed = await changeSite(c.env, c.var.workspaceId, c.var.site.id, c.req.valid('json'))
    if (!changed) throw noSuchSite()
    if (!changed.ok) throw HttpError.invalid('invalid site', changed.errors)
    return c.json((await viewer(c))(changed.site))
  },
)

sites.delete(
  '/:id',
  describeRoute({
    tags,
    summary: 'Delete a site (admin): its key stops working; contacts stay in the workspace',
    responses: { 204: { description: 'Deleted' }, 403: FORBIDDEN, 404: NOT_FOUND },
  }),
  async (c) => {
    await c.req.arrayBuffer()
    if (!(await removeSite(c.env, c.var.workspaceId, c.req.param('id')))) throw noSuchSite()
    return c.body(null, 204)
  },
)
