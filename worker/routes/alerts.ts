// /api/v1/alerts — the alerts of the caller's workspace over REST (Authorization: Bearer).
// Bodies are checked once here (worker/admin/alert-input.ts); a refused body changes nothing.
// Sales reps may read; changing, switching, deleting and test sends need admin or marketer.
import { Hono } from 'hono'
import * as v from 'valibot'
import { alertValues, changeAlert, createAlert, removeAlert } from '../admin/alert-changes'
import { checkAlertChange, checkNewAlert, type FieldError } from '../admin/alert-input'
import { createDb } from '../db/client'
import { alertAnalytics, findAlert, listAlerts, type AlertRow } from '../db/queries/alerts'
import { sendTestAlert } from '../delivery/send-test'
import { authenticate, type AuthEnv } from '../middleware/authenticate'
import { ALERT_EDITORS, requireRole } from '../middleware/require-role'

export const alertsApi = new Hono<AuthEnv>()

alertsApi.use('*', authenticate({ via: 'bearer' }))
alertsApi.on(['POST', 'PATCH', 'PUT', 'DELETE'], '*', requireRole(...ALERT_EDITORS))

/** The API's view of an alert: its values, with the frequency as one object, and bookkeeping. */
export function alertJson(row: AlertRow, lastSentAt: number | null = null) {
  const { frequencyCount, frequencyPeriod, ...values } = alertValues(row)
  return { id: row.id, ...values, frequency: { count: frequencyCount, period: frequencyPeriod }, createdBy: row.createdBy, createdAt: row.createdAt, updatedAt: row.updatedAt, lastSentAt }
}

const invalid = (errors: FieldError[]) => ({ error: 'invalid alert', field: errors[0]?.field ?? 'body', reason: errors[0]?.reason ?? 'invalid', errors })

async function readJson(req: Request): Promise<{ ok: true; body: unknown } | { ok: false }> {
  try {
    return { ok: true, body: JSON.parse(await req.text()) }
  } catch {
    return { ok: false }
  }
}

const NOT_JSON = { error: 'invalid alert', field: 'body', reason: 'the body is not JSON' }
const NOT_FOUND = { error: 'not found', reason: 'no alert with this id in your workspace' }

alertsApi.get('/', async (c) => {
  const rows = await listAlerts(createDb(c.env.DB), c.var.workspaceId)
  return c.json({ alerts: rows.map((r) => alertJson(r.alert, r.lastSentAt)) })
})

alertsApi.get('/:id', async (c) => {
  const found = await findAlert(createDb(c.env.DB), c.var.workspaceId, c.req.param('id'))
  return found ? c.json(alertJson(found.alert, found.lastSentAt)) : c.json(NOT_FOUND, 404)
})

alertsApi.post('/', async (c) => {
  const read = await readJson(c.req.raw)
  if (!read.ok) return c.json(NOT_JSON, 400)
  const checked = checkNewAlert(read.body)
  if (!checked.ok) return c.json(invalid(checked.errors), 400)
  const row = await createAlert(c.env, c.var.user, checked.value)
  return c.json(alertJson(row), 201, { location: `/api/v1/alerts/${row.id}` })
})

alertsApi.patch('/:id', async (c) => {
  const read = await readJson(c.req.raw)
  const found = await findAlert(createDb(c.env.DB), c.var.workspaceId, c.req.param('id'))
  if (!found) return c.json(NOT_FOUND, 404)
  if (!read.ok) return c.json(NOT_JSON, 400)
  const checked = checkAlertChange(alertValues(found.alert), read.body)
  if (!checked.ok) return c.json(invalid(checked.errors), 400)
  const row = await changeAlert(c.env, c.var.workspaceId, found.alert.id, checked.value)
  return row ? c.json(alertJson(row, found.lastSentAt)) : c.json(NOT_FOUND, 404)
})

alertsApi.delete('/:id', async (c) => {
  await c.req.arrayBuffer()
  return (await removeAlert(c.env, c.var.workspaceId, c.req.param('id'))) ? c.body(null, 204) : c.json(NOT_FOUND, 404)
})

/** Flips ON/OFF; returns the alert as it is now. */
alertsApi.post('/:id/toggle', async (c) => {
  await c.req.arrayBuffer()
  const found = await findAlert(createDb(c.env.DB), c.var.workspaceId, c.req.param('id'))
  if (!found) return c.json(NOT_FOUND, 404)
  const row = await changeAlert(c.env, c.var.workspaceId, found.alert.id, { active: !found.alert.active })
  return row ? c.json(alertJson(row, found.lastSentAt)) : c.json(NOT_FOUND, 404)
})

const TestBody = v.strictObject({ to: v.pipe(v.string(), v.trim(), v.email('not an e-mail address')) }, 'the body is {"to": "address"}')

alertsApi.post('/:id/test', async (c) => {
  const read = await readJson(c.req.raw)
  const parsed = read.ok ? v.safeParse(TestBody, read.body) : null
  if (!parsed?.success) return c.json({ error: 'invalid test', field: 'to', reason: parsed ? parsed.issues[0].message : 'the body is not JSON' }, 400)
  const workspaceId = c.var.workspaceId
  const found = await findAlert(createDb(c.env.DB), workspaceId, c.req.param('id'))
  if (!found) return c.json(NOT_FOUND, 404)
  const result = await sendTestAlert(c.env, { workspaceId, alertId: found.alert.id, to: parsed.output.to })
  if (result.ok) return c.json({ sent: true, to: parsed.output.to })
  return c.json({ sent: false, reason: result.reason, temporary: result.temporary }, result.temporary ? 503 : 502)
})

const DAY_MS = 86_400_000

alertsApi.get('/:id/analytics', async (c) => {
  const days = Math.min(Math.max(Number.parseInt(c.req.query('days') ?? '30', 10) || 30, 1), 366)
  const db = createDb(c.env.DB)
  const found = await findAlert(db, c.var.workspaceId, c.req.param('id'))
  if (!found) return c.json(NOT_FOUND, 404)
  const since = Date.now() - days * DAY_MS
  const rows = await alertAnalytics(db, c.var.workspaceId, found.alert.id, since)
  return c.json({ alertId: found.alert.id, since, days: rows, counts: ANALYTICS_COUNTS })
})

export const ANALYTICS_COUNTS =
  'Outbox rows of this alert (alert_deliveries) by UTC day the alert fired and by status. fired = every alert the contact objects handed to delivery (after the frequency limit); sent = delivered; failed = gave up (reason in the outbox); digested = held back by the per-recipient hourly flood cap and sent in the digest; unknown = crashed mid-send, not re-sent; pending = still queued or sending. Visits held back by the frequency limit never reach the outbox and are not counted here.'
