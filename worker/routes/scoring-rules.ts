// /api/v1/scoring-rules — the lead-scoring rules of the caller's workspace over REST
// (Authorization: Bearer). Bodies are the contract's ScoringRuleDefinition, checked at the edge
// and for their page pattern (400); a refused request changes nothing. Everyone reads; changes
// need admin or marketer, as for alerts and campaigns.
import { Hono } from 'hono'
import { describeRoute } from 'hono-openapi'
import * as v from 'valibot'
import { ScoringRuleBody, scoringRuleJson, ScoringRuleView } from '../campaigns/campaign-json'
import type { Checked } from '../campaigns/checked'
import { createScoringRule, removeScoringRule, saveScoringRule } from '../campaigns/scoring-rule-changes'
import { createDb } from '../db/client'
import { findScoringRule, listScoringRules } from '../db/queries/scoring-rules'
import { authenticate, type AuthEnv } from '../middleware/authenticate'
import { jsonBody } from '../middleware/json-body'
import { answer, FORBIDDEN, jsonOf, notFound, refused } from './campaign-responses'
import { ALERT_EDITORS, requireRole } from '../middleware/require-role'

export const scoringRules = new Hono<AuthEnv>()

scoringRules.use('*', authenticate({ via: 'bearer' }))
scoringRules.on(['POST', 'PATCH', 'PUT', 'DELETE'], '*', requireRole(...ALERT_EDITORS))

const NOT_FOUND = refused('No scoring rule with this id in your workspace')
const tags = ['scoring rules']

const noSuchRule = notFound('scoring rule')
const outcome = <T>(checked: Checked<T> | null) => answer(checked, 'invalid scoring rule', noSuchRule)

scoringRules.get(
  '/',
  describeRoute({
    tags,
    summary: 'List lead-scoring rules',
    responses: { 200: jsonOf(v.object({ scoringRules: v.array(ScoringRuleView) }), 'The rules, oldest first') },
  }),
  async (c) => c.json({ scoringRules: (await listScoringRules(createDb(c.env.DB), c.var.workspaceId)).map(scoringRuleJson) }),
)

scoringRules.post(
  '/',
  describeRoute({
    tags,
    summary: 'Create a lead-scoring rule (admin, marketer)',
    responses: { 201: jsonOf(ScoringRuleView, 'Created'), 403: FORBIDDEN },
  }),
  jsonBody(ScoringRuleBody, 'invalid scoring rule'),
  async (c) => {
    const row = outcome(await createScoringRule(c.env, c.var.user, c.req.valid('json')))
    return c.json(scoringRuleJson(row), 201, { location: `/api/v1/scoring-rules/${row.id}` })
  },
)

scoringRules.get(
  '/:id',
  describeRoute({ tags, summary: 'Read a lead-scoring rule', responses: { 200: jsonOf(ScoringRuleView, 'The rule'), 404: NOT_FOUND } }),
  async (c) => {
    const row = await findScoringRule(createDb(c.env.DB), c.var.workspaceId, c.req.param('id'))
    if (!row) throw noSuchRule()
    return c.json(scoringRuleJson(row))
  },
)

scoringRules.put(
  '/:id',
  describeRoute({
    tags,
    summary: 'Replace a lead-scoring rule (admin, marketer)',
    responses: { 200: jsonOf(ScoringRuleView, 'Saved'), 403: FORBIDDEN, 404: NOT_FOUND },
  }),
  jsonBody(ScoringRuleBody, 'invalid scoring rule'),
  async (c) => c.json(scoringRuleJson(outcome(await saveScoringRule(c.env, c.var.workspaceId, c.req.param('id'), c.req.valid('json'))))),
)

scoringRules.delete(
  '/:id',
  describeRoute({
    tags,
    summary: 'Delete a lead-scoring rule (admin, marketer)',
    responses: { 204: { description: 'Deleted' }, 403: FORBIDDEN, 404: NOT_FOUND },
  }),
  async (c) => {
    await c.req.arrayBuffer()
    if (!(await removeScoringRule(c.env, c.var.workspaceId, c.req.param('id')))) throw noSuchRule()
    return c.body(null, 204)
  },
)
