// Lets only the given roles through; others are refused with 403 (rendered by the group's error
// view: JSON for the API, a page for the UI). Sales reps read alerts but do not change them.
import { createMiddleware } from 'hono/factory'
import type { Role } from '../db/schema'
import type { AuthEnv } from './authenticate'
import { HttpError } from './http-error'

export const requireRole = (...roles: Role[]) =>
  createMiddleware<AuthEnv>(async (c, next) => {
    const role = c.var.user.role
    if (!roles.includes(role)) throw new HttpError(403, 'forbidden', `your role (${role}) cannot do this; it needs ${roles.join(' or ')}`)
    await next()
  })

/** Who may create, change, switch and delete alerts. */
export const ALERT_EDITORS: Role[] = ['admin', 'marketer']
