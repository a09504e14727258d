// /api/v1/outbox — the workspace's recent alert deliveries, each with every attempt and where
// each recipient stands; and re-sending one that failed or whose outcome is unknown. A sales rep
// sees only the rows of the contacts they own.
import { Hono } from 'hono'
import { describeRoute, resolver } from 'hono-openapi'
import * as v from 'valibot'
import { outboxOwner } from '../contacts/contact-scope'
import { createDb } from '../db/client'
import { outboxEntry, recentDeliveries, type OutboxEntry } from '../db/queries/outbox'
import { alertDeliveries, deliveryAttempts } from '../db/schema'
import { resendDelivery } from '../delivery/outbox-resend'
import { authenticate, type AuthEnv } from '../middleware/authenticate'
import { ErrorBody, HttpError } from '../middleware/http-error'
import { queryParams } from '../middleware/query-params'
import { ALERT_EDITORS, requireRole } from '../middleware/require-role'

export const outbox = new Hono<AuthEnv>()

outbox.use('*', authenticate({ via: 'bearer' }))
outbox.on('POST', '*', requireRole(...ALERT_EDITORS))

/** Lenient, as it always was: anything but a number in range falls back or is clamped. */
const OutboxQuery = v.object({
  limit: v.optional(
    v.pipe(
      v.string(),
      v.description('How many deliveries, 1 to 200 (default 50).'),
      v.transform((s) => Math.min(Math.max(Number.parseInt(s, 10) || 50, 1), 200)),
    ),
    '50',
  ),
  alert: v.optional(v.pipe(v.string(), v.description('Only this alert'))),
})

const epochMs = v.pipe(v.number(), v.integer(), v.description('epoch ms'))

const RecipientView = v.object({
  address: v.string(),
  status: v.pipe(
    v.picklist(['pending', 'sending', 'sent', 'failed', 'unknown', 'digested']),
    v.description('failed = refused for good (reason in error); pending = to be retried; digested = folded into the hourly digest'),
  ),
  error: v.nullable(v.string()),
  at: epochMs,
})

const DeliveryView = v.pipe(
  v.object({
    id: v.string(),
    alertId: v.string(),
    alertName: v.string(),
    contactId: v.string(),
    alertKey: v.string(),
    status: v.pipe(
      v.picklist(alertDeliveries.status.enumValues),
      v.description('skipped = the alert was OFF when its turn came; unknown = interrupted mid-send, not re-sent on its own'),
    ),
    attempts: v.array(
      v.object({ attempt: v.number(), outcome: v.picklist(deliveryAttempts.outcome.enumValues), detail: v.string(), at: epochMs }),
    ),
    transport: v.string(),
    recipients: v.pipe(v.array(v.string()), v.description('Who the last attempt was addressed to')),
    recipientOutcomes: v.pipe(v.array(RecipientView), v.description('Where each recipient stands')),
    subject: v.string(),
    error: v.nullable(v.string()),
    nextAttemptAt: v.pipe(v.nullable(epochMs), v.description('When a pending delivery is tried next')),
    retryUntil: v.pipe(
      v.nullable(epochMs),
      v.description('Temporary failures are retried until then (24 h after the first attempt or a re-send)'),
    ),
    createdAt: epochMs,
    sentAt: v.nullable(epochMs),
  }),
  v.metadata({ ref: 'Delivery' }),
)

const deliveryJson = (d: OutboxEntry): v.InferOutput<typeof DeliveryView> => ({
  id: d.id,
  alertId: d.alertId,
  alertName: d.alertName,
  contactId: d.contactId,
  alertKey: d.alertKey,
  status: d.status,
  attempts: d.attemptLog.map((a) => ({ attempt: a.attempt, outcome: a.outcome, detail: a.detail, at: a.at })),
  transport: d.transport,
  recipients: d.recipients,
  recipientOutcomes: d.recipientOutcomes.map((o) => ({ address: o.address, status: o.status, error: o.error, at: o.at })),
  subject: d.subject,
  error: d.error,
  nextAttemptAt: d.status === 'pending' ? d.nextAttemptAt : null,
  retryUntil: d.retryUntil,
  createdAt: d.createdAt,
  sentAt: d.sentAt,
})

const jsonOf = (schema: v.GenericSchema, description: string) => ({
  description,
  content: { 'application/json': { schema: resolver(schema) } },
})

outbox.get(
  '/',
  describeRoute({
    tags: ['outbox'],
    summary: 'Recent deliveries with every attempt (a sales rep: those of the contacts they own)',
    responses: { 200: jsonOf(v.object({ deliveries: v.array(DeliveryView) }), 'Newest first') },
  }),
  queryParams(OutboxQuery),
  async (c) => {
    const { limit, alert } = c.req.valid('query')
    const rows = await recentDeliveries(createDb(c.env.DB), c.var.workspaceId, {
      alertId: alert || undefined,
      ownerId: outboxOwner(c.var.user),
      limit,
    })
    return c.json({ deliveries: rows.map(deliveryJson) })
  },
)

outbox.post(
  '/:id/resend',
  describeRoute({
    tags: ['outbox'],
    summary: 'Send a failed or unknown delivery again, same alert key (admin, marketer)',
    description:
      'The delivery goes back to pending with a fresh 24 h retry window and is queued again from the job stored on it, under the same alert key: an idempotent transport (HTTP API, webhook) never delivers it twice, and recipients already sent to are left out. Over SMTP an unknown delivery may have arrived, so a re-send may duplicate it.',
    responses: {
      202: jsonOf(DeliveryView, 'Queued again; the delivery as it is now'),
      403: jsonOf(ErrorBody, 'Sales role'),
      404: jsonOf(ErrorBody, 'No delivery with this id in your workspace'),
      409: jsonOf(ErrorBody, 'Not failed or unknown, or recorded without a stored job'),
    },
  }),
  async (c) => {
    await c.req.arrayBuffer()
    const db = createDb(c.env.DB)
    const result = await resendDelivery(
      { db, queue: c.env.ALERTS, now: Date.now() },
      { workspaceId: c.var.workspaceId, deliveryId: c.req.param('id'), requestedBy: c.var.user.email },
    )
    if (!result.ok) throw new HttpError(result.status, result.status === 404 ? 'not found' : 'conflict', result.reason)
    const row = await outboxEntry(db, c.var.workspaceId, c.req.param('id'))
    if (!row) throw new HttpError(404, 'not found', 'no delivery with this id in your workspace')
    return c.json(deliveryJson(row), 202)
  },
)
