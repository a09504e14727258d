// /admin/outbox — every alert sent, failed or still trying, with each attempt, each recipient
// and its reason; "Re-send" for a failed or unknown one (admins and marketers). A sales rep sees
// only the rows of the contacts they own.
import { Hono } from 'hono'
import { formText, safeNext } from '../admin/form-fields'
import { renderPage } from '../admin/render'
import { outboxScreen } from '../admin/ui/screens'
import { outboxOwner } from '../contacts/contact-scope'
import { createDb } from '../db/client'
import { recentDeliveries } from '../db/queries/outbox'
import { resendDelivery } from '../delivery/outbox-resend'
import { authenticate, type AuthEnv } from '../middleware/authenticate'
import { HttpError } from '../middleware/http-error'
import { ALERT_EDITORS, requireRole } from '../middleware/require-role'

export const adminOutbox = new Hono<AuthEnv>()

adminOutbox.use('*', authenticate({ via: 'session' }))
adminOutbox.on('POST', '/*', requireRole(...ALERT_EDITORS))

adminOutbox.get('/', async (c) => {
  const rows = await recentDeliveries(createDb(c.env.DB), c.var.workspaceId, { ownerId: outboxOwner(c.var.user), limit: 100 })
  const body = outboxScreen({ rows, canResend: ALERT_EDITORS.includes(c.var.user.role), notice: c.req.query('notice') })
  return renderPage(c, { title: 'Outbox', section: 'outbox', user: c.var.user, body })
})

adminOutbox.post('/:id/resend', async (c) => {
  const back = safeNext(formText(await c.req.formData(), 'back') || '/admin/outbox')
  const result = await resendDelivery(
    { db: createDb(c.env.DB), queue: c.env.ALERTS, now: Date.now() },
    { workspaceId: c.var.workspaceId, deliveryId: c.req.param('id'), requestedBy: c.var.user.email },
  )
  if (!result.ok) throw new HttpError(result.status, result.status === 404 ? 'not found' : 'conflict', result.reason)
  return c.redirect(`${back}${back.includes('?') ? '&' : '?'}notice=resent`, 303)
})
