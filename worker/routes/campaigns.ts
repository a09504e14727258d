// /api/v1/campaigns — the campaigns of the caller's workspace over REST (Authorization: Bearer).
// Bodies are the campaign contract's schemas (durable-objects/contracts/campaign.ts), checked at
// the edge (400) and by the campaign service (400 shape, 422 users, lists, URLs and list-edge
// clashes); the same schemas write the OpenAPI document. A refused request changes nothing.
// Everyone reads; creating, saving, switching, deleting and running need admin or marketer, as
// for alerts (a sales rep's token reads only).
import { Hono } from 'hono'
import { describeRoute } from 'hono-openapi'
import * as v from 'valibot'
import { createDb } from '../db/client'
import { findCampaign, listCampaigns, listCampaignVersions, type StoredCampaign } from '../db/queries/campaigns'
import { describeCampaign, createCampaign, removeCampaign, saveCampaign, switchCampaign } from '../campaigns/campaign-changes'
import {
  CampaignBody,
  CampaignDetailView,
  campaignJson,
  CampaignSummaryView,
  CampaignVersionView,
  CampaignView,
  versionInfo,
} from '../campaigns/campaign-json'
import type { Checked } from '../campaigns/checked'
import { campaignReport, CampaignReportView } from '../campaigns/campaign-report'
import { campaignStepTotals } from '../db/queries/campaign-runs'
import { runCampaignForContact } from '../campaigns/run-campaign'
import { authenticate, type AuthEnv } from '../middleware/authenticate'
import { HttpError } from '../middleware/http-error'
import { jsonBody } from '../middleware/json-body'
import { answer, FORBIDDEN, jsonOf, notFound, refused } from './campaign-responses'
import { ALERT_EDITORS, requireRole } from '../middleware/require-role'

export const campaigns = new Hono<AuthEnv>()

campaigns.use('*', authenticate({ via: 'bearer' }))
campaigns.on(['POST', 'PATCH', 'PUT', 'DELETE'], '*', requireRole(...ALERT_EDITORS))

const NOT_FOUND = refused('No campaign with this id in your workspace')
const UNPROCESSABLE = refused('Names a user, list or URL it may not, or takes a list edge another campaign has (field names it)')
const tags = ['campaigns']

const noSuchCampaign = notFound('campaign')
const outcome = <T>(checked: Checked<T> | null) => answer(checked, 'invalid campaign', noSuchCampaign)

/** The workspace's campaign with this id (another workspace's is the same as none: 404). */
async function loadCampaign(env: Env, workspaceId: string, id: string): Promise<StoredCampaign> {
  const found = await findCampaign(createDb(env.DB), workspaceId, id)
  if (!found) throw noSuchCampaign()
  return found
}

campaigns.get(
  '/',
  describeRoute({
    tags,
    summary: 'List campaigns, each at its current version',
    responses: { 200: jsonOf(v.object({ campaigns: v.array(CampaignView) }), 'The campaigns, oldest first') },
  }),
  async (c) => {
    const rows = await listCampaigns(createDb(c.env.DB), c.var.workspaceId)
    return c.json({ campaigns: rows.map(campaignJson) })
  },
)

campaigns.post(
  '/',
  describeRoute({
    tags,
    summary: 'Create a campaign, OFF, at version 1 (admin, marketer)',
    responses: { 201: jsonOf(CampaignView, 'Created'), 403: FORBIDDEN, 422: UNPROCESSABLE },
  }),
  jsonBody(CampaignBody, 'invalid campaign'),
  async (c) => {
    const created = outcome(await createCampaign(c.env, c.var.user, c.req.valid('json')))
    return c.json(campaignJson(created), 201, { location: `/api/v1/campaigns/${created.campaign.id}` })
  },
)

campaigns.get(
  '/:id',
  describeRoute({
    tags,
    summary: 'Read a campaign at its current version, with the list of its versions',
    responses: { 200: jsonOf(CampaignDetailView, 'The campaign'), 404: NOT_FOUND },
  }),
  async (c) => {
    const found = await loadCampaign(c.env, c.var.workspaceId, c.req.param('id'))
    const versions = await listCampaignVersions(createDb(c.env.DB), c.var.workspaceId, found.campaign.id)
    return c.json({ ...campaignJson(found), versions: versions.map(versionInfo) })
  },
)

campaigns.put(
  '/:id',
  describeRoute({
    tags,
    summary: 'Save a new version (admin, marketer): new runs use it, runs in progress finish on theirs',
    responses: { 200: jsonOf(CampaignView, 'Saved as the next version'), 403: FORBIDDEN, 404: NOT_FOUND, 422: UNPROCESSABLE },
  }),
  jsonBody(CampaignBody, 'invalid campaign'),
  async (c) => {
    const found = await loadCampaign(c.env, c.var.workspaceId, c.req.param('id'))
    return c.json(campaignJson(outcome(await saveCampaign(c.env, c.var.user, found, c.req.valid('json')))))
  },
)

campaigns.delete(
  '/:id',
  describeRoute({
    tags,
    summary: 'Delete a campaign (admin, marketer): no new runs; runs inside stop at their next step',
    responses: { 204: { description: 'Deleted' }, 403: FORBIDDEN, 404: NOT_FOUND },
  }),
  async (c) => {
    await c.req.arrayBuffer()
    if (!(await removeCampaign(c.env, c.var.workspaceId, c.req.param('id')))) throw noSuchCampaign()
    return c.body(null, 204)
  },
)

const Activated = v.pipe(v.object({ campaign: CampaignView, summary: CampaignSummaryView }), v.metadata({ ref: 'CampaignActivation' }))

campaigns.post(
  '/:id/activate',
  describeRoute({
    tags,
    summary: 'Switch ON (admin, marketer), checked again; answers what it will do, in words',
    responses: { 200: jsonOf(Activated, 'ON, with its summary'), 403: FORBIDDEN, 404: NOT_FOUND, 422: UNPROCESSABLE },
  }),
  async (c) => {
    await c.req.arrayBuffer()
    const on = outcome(
      await switchCampaign(c.env, c.var.workspaceId, await loadCampaign(c.env, c.var.workspaceId, c.req.param('id')), true),
    )
    return c.json({ campaign: campaignJson(on), summary: await describeCampaign(c.env, c.var.workspaceId, on.definition) })
  },
)

campaigns.post(
  '/:id/deactivate',
  describeRoute({
    tags,
    summary: 'Switch OFF (admin, marketer): no new runs; runs inside stop at their next step',
    responses: { 200: jsonOf(CampaignView, 'OFF'), 403: FORBIDDEN, 404: NOT_FOUND },
  }),
  async (c) => {
    await c.req.arrayBuffer()
    return c.json(
      campaignJson(
        outcome(await switchCampaign(c.env, c.var.workspaceId, await loadCampaign(c.env, c.var.workspaceId, c.req.param('id')), false)),
      ),
    )
  },
)

campaigns.get(
  '/:id/versions',
  describeRoute({
    tags,
    summary: 'Every saved version of a campaign, newest first',
    responses: { 200: jsonOf(v.object({ versions: v.array(CampaignVersionView) }), 'The versions'), 404: NOT_FOUND },
  }),
  async (c) => {
    const found = await loadCampaign(c.env, c.var.workspaceId, c.req.param('id'))
    const versions = await listCampaignVersions(createDb(c.env.DB), c.var.workspaceId, found.campaign.id)
    return c.json({ versions })
  },
)

campaigns.get(
  '/:id/report',
  describeRoute({
    tags,
    summary: "The campaign's report: runs started, finished and held back (run limit, frequency), and per version each step's counts",
    responses: { 200: jsonOf(CampaignReportView, 'The report'), 404: NOT_FOUND },
  }),
  async (c) => {
    const db = createDb(c.env.DB)
    const found = await loadCampaign(c.env, c.var.workspaceId, c.req.param('id'))
    const [versions, totals] = await Promise.all([
      listCampaignVersions(db, c.var.workspaceId, found.campaign.id),
      campaignStepTotals(db, c.var.workspaceId, found.campaign.id),
    ])
    return c.json(campaignReport(found, versions, totals))
  },
)

const RunBody = v.pipe(
  v.strictObject(
    { contactId: v.pipe(v.string('the contact id is text'), v.minLength(1, 'name the contact'), v.maxLength(64)) },
    'the body is {"contactId": "..."}',
  ),
  v.metadata({ ref: 'CampaignRun' }),
)
const RunAccepted = v.object({ accepted: v.literal(true), campaignId: v.string(), version: v.number(), contactId: v.string() })

campaigns.post(
  '/:id/run',
  describeRoute({
    tags,
    summary: 'Run for one contact (admin, marketer): the campaign must be ON with a manual trigger; its run limit applies',
    responses: {
      202: jsonOf(RunAccepted, 'Handed to the contact'),
      403: FORBIDDEN,
      404: NOT_FOUND,
      409: refused('The campaign is OFF or has no manual trigger'),
      422: refused('No such contact in your workspace'),
    },
  }),
  jsonBody(RunBody, 'invalid run'),
  async (c) => {
    const campaign = await loadCampaign(c.env, c.var.workspaceId, c.req.param('id'))
    const { contactId } = c.req.valid('json')
    const run = await runCampaignForContact(c.env, { workspaceId: c.var.workspaceId, campaign, contactId, at: Date.now() })
    if (!run.ok) throw HttpError.invalid('invalid run', run.errors, run.status)
    return c.json({ accepted: true, ...run.value }, 202)
  },
)
