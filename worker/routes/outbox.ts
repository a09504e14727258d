// /api/v1/outbox — the workspace's recent alert deliveries, each with every attempt.
import { Hono } from 'hono'
import { describeRoute, resolver } from 'hono-openapi'
import * as v from 'valibot'
import { createDb } from '../db/client'
import { recentDeliveries, type OutboxEntry } from '../db/queries/outbox'
import { alertDeliveries, deliveryAttempts } from '../db/schema'
import { authenticate, type AuthEnv } from '../middleware/authenticate'
import { queryParams } from '../middleware/query-params'

export const outbox = new Hono<AuthEnv>()

outbox.use('*', authenticate({ via: 'bearer' }))

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

const DeliveryView = v.pipe(
  v.object({
    id: v.string(),
    alertId: v.string(),
    alertName: v.string(),
    contactId: v.string(),
    alertKey: v.string(),
    status: v.picklist(alertDeliveries.status.enumValues),
    attempts: v.array(
      v.object({ attempt: v.number(), outcome: v.picklist(deliveryAttempts.outcome.enumValues), detail: v.string(), at: epochMs }),
    ),
    transport: v.string(),
    recipients: v.array(v.string()),
    subject: v.string(),
    error: v.nullable(v.string()),
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
  subject: d.subject,
  error: d.error,
  createdAt: d.createdAt,
  sentAt: d.sentAt,
})

outbox.get(
  '/',
  describeRoute({
    tags: ['outbox'],
    summary: 'Recent deliveries with every attempt',
    responses: {
      200: {
        description: 'Newest first',
        content: { 'application/json': { schema: resolver(v.object({ deliveries: v.array(DeliveryView) })) } },
      },
    },
  }),
  queryParams(OutboxQuery),
  async (c) => {
    const { limit, alert } = c.req.valid('query')
    const rows = await recentDeliveries(createDb(c.env.DB), c.var.workspaceId, { alertId: alert || undefined, limit })
    return c.json({ deliveries: rows.map(deliveryJson) })
  },
)
