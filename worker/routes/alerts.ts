// /api/v1/alerts — the alerts of the caller's workspace over REST (Authorization: Bearer).
// Bodies are checked once, at the edge, by the schemas in worker/alerts/alert-input.ts, which
// also write the OpenAPI document; a refused body changes nothing. Sales reps may read;
// changing, switching, deleting and test sends need admin or marketer.
import { Hono } from 'hono'
import { describeRoute, resolver } from 'hono-openapi'
import * as v from 'valibot'
import { alertValues, changeAlert, createAlert, removeAlert } from '../alerts/alert-changes'
import { completeAlertChange, completeNewAlert, AlertPatchBody, NewAlertBody } from '../alerts/alert-input'
import { admitTestSend } from '../alerts/test-sends'
import { alertJson, AlertView } from '../alerts/alert-json'
import { createDb } from '../db/client'
import { alertAnalytics, listAlerts } from '../db/queries/alerts'
import { sendTestAlert } from '../delivery/send-test'
import { authenticate, type AuthEnv } from '../middleware/authenticate'
import { ErrorBody, HttpError } from '../middleware/http-error'
import { jsonBody } from '../middleware/json-body'
import { loadAlert } from '../middleware/load-alert'
import { queryParams } from '../middleware/query-params'
import { ALERT_EDITORS, requireRole } from '../middleware/require-role'

export const alerts = new Hono<AuthEnv>()

alerts.use('*', authenticate({ via: 'bearer' }))
alerts.on(['POST', 'PATCH', 'PUT', 'DELETE'], '*', requireRole(...ALERT_EDITORS))

const jsonOf = (schema: v.GenericSchema, description: string) => ({
  description,
  content: { 'application/json': { schema: resolver(schema) } },
})
const refused = (description: string) => jsonOf(ErrorBody, description)
const FORBIDDEN = refused('Sales role')
const NOT_FOUND = refused('No alert with this id in your workspace')
const tags = ['alerts']

alerts.get(
  '/',
  describeRoute({ tags, summary: 'List alerts', responses: { 200: jsonOf(v.object({ alerts: v.array(AlertView) }), 'The alerts') } }),
  async (c) => {
    const rows = await listAlerts(createDb(c.env.DB), c.var.workspaceId)
    return c.json({ alerts: rows.map((r) => alertJson(r.alert, r.lastSentAt)) })
  },
)

alerts.get(
  '/:id',
  describeRoute({ tags, summary: 'Read an alert', responses: { 200: jsonOf(AlertView, 'The alert'), 404: NOT_FOUND } }),
  loadAlert(),
  (c) => c.json(alertJson(c.var.alert, c.var.lastSentAt)),
)

alerts.post(
  '/',
  describeRoute({ tags, summary: 'Create an alert (admin, marketer)', responses: { 201: jsonOf(AlertView, 'Created'), 403: FORBIDDEN } }),
  jsonBody(NewAlertBody, 'invalid alert'),
  async (c) => {
    const checked = completeNewAlert(c.req.valid('json'))
    if (!checked.ok) throw HttpError.invalid('invalid alert', checked.errors)
    const row = await createAlert(c.env, c.var.user, checked.value)
    return c.json(alertJson(row), 201, { location: `/api/v1/alerts/${row.id}` })
  },
)

/** Null from a change means the alert went away meanwhile: the same 404 as the loader's. */
const gone = () => new HttpError(404, 'not found', 'no alert with this id in your workspace')

alerts.patch(
  '/:id',
  describeRoute({
    tags,
    summary: 'Change some fields (admin, marketer)',
    responses: { 200: jsonOf(AlertView, 'Changed'), 403: FORBIDDEN, 404: NOT_FOUND },
  }),
  loadAlert(),
  jsonBody(AlertPatchBody, 'invalid alert'),
  async (c) => {
    const checked = completeAlertChange(alertValues(c.var.alert), c.req.valid('json'))
    if (!checked.ok) throw HttpError.invalid('invalid alert', checked.errors)
    const row = await changeAlert(c.env, c.var.workspaceId, c.var.alert.id, checked.value)
    if (!row) throw gone()
    return c.json(alertJson(row, c.var.lastSentAt))
  },
)

alerts.delete(
  '/:id',
  describeRoute({
    tags,
    summary: 'Delete an alert and its outbox history (admin, marketer)',
    responses: { 204: { description: 'Deleted' }, 403: FORBIDDEN, 404: NOT_FOUND },
  }),
  async (c) => {
    await c.req.arrayBuffer()
    if (!(await removeAlert(c.env, c.var.workspaceId, c.req.param('id')))) throw gone()
    return c.body(null, 204)
  },
)

alerts.post(
  '/:id/toggle',
  describeRoute({
    tags,
    summary: 'Switch ON/OFF (admin, marketer)',
    responses: { 200: jsonOf(AlertView, 'The alert as it is now'), 403: FORBIDDEN, 404: NOT_FOUND },
  }),
  loadAlert(),
  async (c) => {
    await c.req.arrayBuffer()
    const row = await changeAlert(c.env, c.var.workspaceId, c.var.alert.id, { active: !c.var.alert.active })
    if (!row) throw gone()
    return c.json(alertJson(row, c.var.lastSentAt))
  },
)

const TestBody = v.pipe(
  v.strictObject({ to: v.pipe(v.string(), v.trim(), v.email('not an e-mail address')) }, 'the body is {"to": "address"}'),
  v.metadata({ ref: 'TestSend' }),
)
const TestSent = v.object({ sent: v.literal(true), to: v.string() })
const TestNotSent = v.object({ sent: v.literal(false), reason: v.string(), temporary: v.boolean() })

alerts.post(
  '/:id/test',
  describeRoute({
    tags,
    summary: 'Send the saved alert for a sample contact to one address (admin, marketer; 20 an hour per workspace)',
    responses: {
      200: jsonOf(TestSent, 'Sent'),
      403: FORBIDDEN,
      404: NOT_FOUND,
      429: refused('The workspace sent its 20 test e-mails this hour (Retry-After says when it may again)'),
      502: jsonOf(TestNotSent, 'Refused by the mail server'),
      503: jsonOf(TestNotSent, 'Temporary failure'),
    },
  }),
  loadAlert(),
  jsonBody(TestBody, 'invalid test'),
  async (c) => {
    const { to } = c.req.valid('json')
    const admitted = await admitTestSend(c.env, c.var.workspaceId, Date.now())
    if (!admitted.ok)
      throw new HttpError(429, 'rate limited', admitted.reason, { headers: { 'retry-after': String(admitted.retryAfterSeconds) } })
    const result = await sendTestAlert(c.env, { workspaceId: c.var.workspaceId, alertId: c.var.alert.id, to })
    if (result.ok) return c.json({ sent: true, to })
    return c.json({ sent: false, reason: result.reason, temporary: result.temporary }, result.temporary ? 503 : 502)
  },
)

const DAY_MS = 86_400_000

const ANALYTICS_COUNTS =
  'Outbox rows of this alert (alert_deliveries) by UTC day the alert fired and by status. fired = every alert the contact objects handed to delivery (after the frequency limit); sent = delivered; failed = gave up (reason in the outbox); digested = held back by the per-recipient hourly flood cap and sent in the digest; unknown = crashed mid-send, not re-sent; pending = still queued or sending. Visits held back by the frequency limit never reach the outbox and are not counted here.'

/** Lenient, as it always was: anything but a number in range falls back or is clamped. */
const AnalyticsQuery = v.object({
  days: v.optional(
    v.pipe(
      v.string(),
      v.description('How many days back, 1 to 366 (default 30).'),
      v.transform((s) => Math.min(Math.max(Number.parseInt(s, 10) || 30, 1), 366)),
    ),
    '30',
  ),
})

const AnalyticsDay = v.object({
  day: v.pipe(v.string(), v.isoDate()),
  fired: v.number(),
  sent: v.number(),
  failed: v.number(),
  digested: v.number(),
  unknown: v.number(),
  pending: v.number(),
})
const Analytics = v.object({ alertId: v.string(), since: v.number(), days: v.array(AnalyticsDay), counts: v.string() })

alerts.get(
  '/:id/analytics',
  describeRoute({
    tags,
    summary: 'Outbox rows per UTC day and status',
    responses: { 200: jsonOf(Analytics, 'Per day, newest first'), 404: NOT_FOUND },
  }),
  loadAlert(),
  queryParams(AnalyticsQuery),
  async (c) => {
    const since = Date.now() - c.req.valid('query').days * DAY_MS
    const rows = await alertAnalytics(createDb(c.env.DB), c.var.workspaceId, c.var.alert.id, since)
    return c.json({ alertId: c.var.alert.id, since, days: rows, counts: ANALYTICS_COUNTS })
  },
)
