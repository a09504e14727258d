// /admin/outbox — every alert sent or failed, with each attempt and its reason.
import { Hono } from 'hono'
import { renderPage } from '../admin/render'
import { outboxScreen } from '../admin/ui/screens'
import { createDb } from '../db/client'
import { recentDeliveries } from '../db/queries/outbox'
import { authenticate, type AuthEnv } from '../middleware/authenticate'

export const adminOutbox = new Hono<AuthEnv>()

adminOutbox.use('*', authenticate({ via: 'session' }))

adminOutbox.get('/', async (c) => {
  const rows = await recentDeliveries(createDb(c.env.DB), c.var.workspaceId, { limit: 100 })
  return renderPage(c, { title: 'Outbox', section: 'outbox', user: c.var.user, body: outboxScreen(rows) })
})
