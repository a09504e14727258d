// /api/v1/outbox — the workspace's recent alert deliveries, each with every attempt.
import { Hono } from 'hono'
import { createDb } from '../db/client'
import { recentDeliveries } from '../db/queries/outbox'
import { authenticate, type AuthEnv } from '../middleware/authenticate'

export const outboxApi = new Hono<AuthEnv>()

outboxApi.use('*', authenticate({ via: 'bearer' }))

outboxApi.get('/', async (c) => {
  const limit = Math.min(Math.max(Number.parseInt(c.req.query('limit') ?? '50', 10) || 50, 1), 200)
  const rows = await recentDeliveries(createDb(c.env.DB), c.var.workspaceId, { alertId: c.req.query('alert') || undefined, limit })
  return c.json({
    deliveries: rows.map((d) => ({
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
    })),
  })
})
