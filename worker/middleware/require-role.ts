// Lets only the given roles through; others get 403 (JSON under /api/, text elsewhere).
// Sales reps read alerts but do not change them.
import { createMiddleware } from 'hono/factory'
import type { Role } from '../db/schema'
import type { AuthEnv } from './authenticate'

export const requireRole = (...roles: Role[]) =>
  createMiddleware<AuthEnv>(async (c, next) => {
    const role = c.var.user.role
    if (roles.includes(role)) return next()
    const reason = `your role (${role}) cannot do this; it needs ${roles.join(' or ')}`
    return c.req.path.startsWith('/api/') ? c.json({ error: 'forbidden', reason }, 403) : c.text(`Forbidden: ${reason}.`, 403)
  })

/** Who may create, change, switch and delete alerts. */
export const ALERT_EDITORS: Role[] = ['admin', 'marketer']
