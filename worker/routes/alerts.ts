// /api/v1/alerts — the alerts of the caller's workspace over REST (Authorization: Bearer).
// Bodies are checked once, at the edge, by the schemas in worker/alerts/alert-input.ts, which
// also write the OpenAPI document; a refused body changes nothing. Sales reps may read;
// changing, switching, duplicating, deleting, test sends and the match tester need admin or marketer.
import { Hono } from 'hono'
import { describeRoute, resolver } from 'hono-openapi'
import * as v from 'valibot'
import { changeAlert, createAlert, duplicateAlert, removeAlert } from '../alerts/alert-changes'
import { alertValues } from '../db/queries/alerts'
import { completeAlertChange, completeNewAlert, AlertPatchBody, LIMITS, NewAlertBody } from '../alerts/alert-input'
import { testMatch } from '../alerts/match-test'
import { analyticsChart } from '../admin/ui/analytics-chart'
import { admitTestSend } from '../alerts/test-sends'
import { alertJson, AlertView } from '../alerts/alert-json'
import { createDb } from '../db/client'
import { alertWindow, listAlerts, workspaceDomains } from '../db/queries/alerts'
import { MAX_PATTERN_LENGTH } from '../../durable-objects/rules/url-pattern'
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

const MatchTestBody = v.pipe(
  v.strictObject(
    {
      url: v.pipe(
        v.string('the address is text'),
        v.maxLength(4096, 'the address is at most 4,096 characters'),
        v.description('A page address (https://www.example.com/pricing), or a path (/pricing) tried on the first domain of your sites.'),
      ),
      patterns: v.pipe(
        v.array(
          v.pipe(v.string('each pattern is text'), v.maxLength(MAX_PATTERN_LENGTH + 100, 'a pattern is at most 2,048 characters')),
          'patterns is a list of URL patterns',
        ),
        v.minLength(1, 'give at least one pattern'),
        v.maxLength(LIMITS.rows, `at most ${LIMITS.rows} patterns, as an alert has rows`),
        v.description("An alert's page patterns, as typed: an invalid one is reported in its row, not refused."),
      ),
    },
    'the body is {"url": "...", "patterns": ["..."]}',
  ),
  v.metadata({ ref: 'MatchTestInput' }),
)

const MatchTestView = v.pipe(
  v.object({
    url: v.pipe(v.string(), v.description('The address as tested.')),
    matches: v.pipe(v.boolean(), v.description("Some row matches: the alert fires on this page (after that row's minimum time).")),
    fromYourSites: v.pipe(
      v.boolean(),
      v.description('The address is on a domain of one of your sites; if not, its pages send no events and never trigger anything.'),
    ),
    rows: v.array(
      v.object({
        pattern: v.string(),
        valid: v.boolean(),
        matches: v.boolean(),
        reason: v.pipe(v.string(), v.description('"matches", or what differs (domain, path, query), or why the pattern is invalid.')),
        notes: v.pipe(v.array(v.string()), v.description('What the matcher assumed or ignored for this row.')),
      }),
    ),
    notes: v.pipe(v.array(v.string()), v.description('What the matcher does with the address (www., #fragment, case, trailing /).')),
  }),
  v.metadata({ ref: 'MatchTest' }),
)

alerts.post(
  '/match-test',
  describeRoute({
    tags,
    summary: "Does a page address match these patterns? The product's own matcher, with the reasons (admin, marketer)",
    responses: { 200: jsonOf(MatchTestView, 'The verdict, per row and overall'), 400: refused('Not a page address'), 403: FORBIDDEN },
  }),
  jsonBody(MatchTestBody, 'invalid test'),
  async (c) => {
    const { url, patterns } = c.req.valid('json')
    const result = testMatch(url, patterns, await workspaceDomains(createDb(c.env.DB), c.var.workspaceId))
    if (!result.ok) throw HttpError.invalid('invalid test', [{ field: result.field, reason: result.reason }])
    return c.json(result.test)
  },
)

alerts.post(
  '/:id/duplicate',
  describeRoute({
    tags,
    summary: 'Copy an alert: the same settings, named "… (copy)", OFF (admin, marketer)',
    responses: { 201: jsonOf(AlertView, 'The copy'), 403: FORBIDDEN, 404: NOT_FOUND },
  }),
  loadAlert(),
  async (c) => {
    await c.req.arrayBuffer()
    const row = await duplicateAlert(c.env, c.var.user, c.var.alert)
    return c.json(alertJson(row), 201, { location: `/api/v1/alerts/${row.id}` })
  },
)

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

const ANALYTICS_COUNTS =
  "Per local day of the workspace time zone (timeZone), every day of the window, newest first. fired = every time a contact met the alert's condition = held + the outbox rows (alert_deliveries) it made. held = visits held back by the frequency limit (alert_held_counts, written by the contact objects within about a minute); sent = delivered; digested = held back by the per-recipient hourly flood cap and sent in the digest; failed = gave up (reason in the outbox); unknown = interrupted mid-send, not re-sent; pending = queued, sending or waiting for a retry; skipped = the alert was OFF when its turn came."

/** Lenient, as it always was: anything but a number in range falls back or is clamped. */
const AnalyticsQuery = v.object({
  days: v.optional(
    v.pipe(
      v.string(),
      v.description('How many days back, today included, 1 to 366 (default 30).'),
      v.transform((s) => Math.min(Math.max(Number.parseInt(s, 10) || 30, 1), 366)),
    ),
    '30',
  ),
})

const counts = {
  fired: v.number(),
  sent: v.number(),
  held: v.number(),
  digested: v.number(),
  failed: v.number(),
  unknown: v.number(),
  pending: v.number(),
  skipped: v.number(),
}
const AnalyticsDay = v.object({ day: v.pipe(v.string(), v.isoDate()), ...counts })
const Analytics = v.pipe(
  v.object({
    alertId: v.string(),
    timeZone: v.pipe(
      v.string(),
      v.description('The IANA zone the days are in (UTC when the workspace names one the runtime does not know).'),
    ),
    since: v.pipe(
      v.number(),
      v.description('Rows from this instant on (epoch ms) were read; only the whole days of the window are reported.'),
    ),
    days: v.array(AnalyticsDay),
    totals: v.object(counts),
    counts: v.string(),
  }),
  v.metadata({ ref: 'AlertAnalytics' }),
)

alerts.get(
  '/:id/analytics',
  describeRoute({
    tags,
    summary: 'Fired, sent, held back, in a digest, failed: per day in the workspace time zone',
    responses: { 200: jsonOf(Analytics, 'Every day of the window, newest first, and the totals'), 404: NOT_FOUND },
  }),
  loadAlert(),
  queryParams(AnalyticsQuery),
  async (c) => {
    const report = await alertWindow(createDb(c.env.DB), c.var.workspaceId, c.var.alert.id, {
      days: c.req.valid('query').days,
      now: Date.now(),
    })
    const { timeZone, since, days, totals } = report
    return c.json({ alertId: c.var.alert.id, timeZone, since, days, totals, counts: ANALYTICS_COUNTS })
  },
)

alerts.get(
  '/:id/analytics/chart',
  describeRoute({
    tags,
    summary: "The same days as an SVG bar chart (the one the alert's page shows)",
    responses: { 200: { description: 'image/svg+xml', content: { 'image/svg+xml': { schema: { type: 'string' } } } }, 404: NOT_FOUND },
  }),
  loadAlert(),
  queryParams(AnalyticsQuery),
  async (c) => {
    const report = await alertWindow(createDb(c.env.DB), c.var.workspaceId, c.var.alert.id, {
      days: c.req.valid('query').days,
      now: Date.now(),
    })
    const svg = analyticsChart({ ...report, name: c.var.alert.name, id: 'chart', standalone: true })
    return c.body(`<?xml version="1.0" encoding="UTF-8"?>\n${await svg}`, 200, {
      'content-type': 'image/svg+xml; charset=utf-8',
      'cache-control': 'no-store',
      'content-security-policy': "default-src 'none'",
    })
  },
)
