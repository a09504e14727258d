// /api/v1/lists — the smart lists of the caller's workspace over REST (Authorization: Bearer).
// Bodies are the contract's ListDefinition, checked at the edge (400) and by the list service
// (422: users or lists it names, a list depending on itself); a list still used by a campaign
// or another list is not deleted (409). A refused request changes nothing. Everyone reads;
// changes need admin or marketer, as for alerts and campaigns.
import { Hono } from 'hono'
import { describeRoute } from 'hono-openapi'
import * as v from 'valibot'
import { ListBody, listJson, ListView } from '../campaigns/campaign-json'
import type { Checked } from '../campaigns/checked'
import { createList, removeList, saveList } from '../campaigns/list-changes'
import { createDb } from '../db/client'
import { findList, listLists } from '../db/queries/lists'
import { authenticate, type AuthEnv } from '../middleware/authenticate'
import { jsonBody } from '../middleware/json-body'
import { answer, FORBIDDEN, jsonOf, notFound, refused } from './campaign-responses'
import { ALERT_EDITORS, requireRole } from '../middleware/require-role'

export const lists = new Hono<AuthEnv>()

lists.use('*', authenticate({ via: 'bearer' }))
lists.on(['POST', 'PATCH', 'PUT', 'DELETE'], '*', requireRole(...ALERT_EDITORS))

const NOT_FOUND = refused('No list with this id in your workspace')
const UNPROCESSABLE = refused('Names a user or list it may not, or depends on itself (field names it)')
const tags = ['lists']

const noSuchList = notFound('list')
const outcome = <T>(checked: Checked<T> | null) => answer(checked, 'invalid list', noSuchList)

lists.get(
  '/',
  describeRoute({
    tags,
    summary: 'List smart lists',
    responses: { 200: jsonOf(v.object({ lists: v.array(ListView) }), 'The lists, oldest first') },
  }),
  async (c) => c.json({ lists: (await listLists(createDb(c.env.DB), c.var.workspaceId)).map(listJson) }),
)

lists.post(
  '/',
  describeRoute({
    tags,
    summary: 'Create a smart list (admin, marketer)',
    responses: { 201: jsonOf(ListView, 'Created'), 403: FORBIDDEN, 422: UNPROCESSABLE },
  }),
  jsonBody(ListBody, 'invalid list'),
  async (c) => {
    const row = outcome(await createList(c.env, c.var.user, c.req.valid('json')))
    return c.json(listJson(row), 201, { location: `/api/v1/lists/${row.id}` })
  },
)

lists.get(
  '/:id',
  describeRoute({ tags, summary: 'Read a smart list', responses: { 200: jsonOf(ListView, 'The list'), 404: NOT_FOUND } }),
  async (c) => {
    const row = await findList(createDb(c.env.DB), c.var.workspaceId, c.req.param('id'))
    if (!row) throw noSuchList()
    return c.json(listJson(row))
  },
)

lists.put(
  '/:id',
  describeRoute({
    tags,
    summary: 'Replace a smart list (admin, marketer): its version goes up and contact objects recompute membership',
    responses: { 200: jsonOf(ListView, 'Saved'), 403: FORBIDDEN, 404: NOT_FOUND, 422: UNPROCESSABLE },
  }),
  jsonBody(ListBody, 'invalid list'),
  async (c) => c.json(listJson(outcome(await saveList(c.env, c.var.workspaceId, c.req.param('id'), c.req.valid('json'))))),
)

lists.delete(
  '/:id',
  describeRoute({
    tags,
    summary: 'Delete a smart list nothing uses any more (admin, marketer)',
    responses: {
      204: { description: 'Deleted' },
      403: FORBIDDEN,
      404: NOT_FOUND,
      409: refused('A campaign or another list still uses it'),
    },
  }),
  async (c) => {
    await c.req.arrayBuffer()
    outcome(await removeList(c.env, c.var.workspaceId, c.req.param('id')))
    return c.body(null, 204)
  },
)
