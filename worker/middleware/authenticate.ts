// Who is calling, and for which workspace. `via: 'bearer'` reads `Authorization: Bearer <token>`
// (REST API, 401); `via: 'session'` reads the session cookie (web UI: a page load without one
// goes to the login page) and refuses a state-changing request whose Origin is not this site
// (CSRF). Either way `c.var.user` and `c.var.workspaceId` are set; every query filters on the
// latter.
import { getCookie } from 'hono/cookie'
import { createMiddleware } from 'hono/factory'
import { tokenUser } from '../auth/api-tokens'
import { sessionUser } from '../auth/sessions'
import type { AuthUser } from '../db/queries/auth'
import { HttpError } from './http-error'

export type AuthEnv = { Bindings: Env; Variables: { user: AuthUser; workspaceId: string } }

export const SESSION_COOKIE = 'pb_session'

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/** True when the request comes from a page of this origin (Origin, else Referer, must match). */
export function sameOrigin(req: Request): boolean {
  const own = new URL(req.url).origin
  const origin = req.headers.get('origin')
  if (origin) return origin === own
  const referer = req.headers.get('referer')
  try {
    return referer !== null && new URL(referer).origin === own
  } catch {
    return false
  }
}

/** Thrown for a form posted from another site (or with neither Origin nor Referer). */
export const crossSiteForm = () => new HttpError(403, 'forbidden', 'refused: this form was not sent from a Pagebell page')

export const authenticate = (options: { via: 'bearer' | 'session' }) =>
  createMiddleware<AuthEnv>(async (c, next) => {
    if (options.via === 'bearer') {
      const [scheme, token] = (c.req.header('authorization') ?? '').split(/\s+/, 2)
      const found = scheme?.toLowerCase() === 'bearer' && token ? await tokenUser(c.env, token) : null
      if (!found) {
        throw new HttpError(401, 'unauthorized', 'send an API token as Authorization: Bearer <token>', {
          headers: { 'www-authenticate': 'Bearer' },
        })
      }
      c.executionCtx.waitUntil(found.touch())
      c.set('user', found.user)
      c.set('workspaceId', found.user.workspaceId)
      await next()
      return
    }
    const cookie = getCookie(c, SESSION_COOKIE)
    const user = cookie ? await sessionUser(c.env, cookie) : null
    if (!user) {
      if (!SAFE_METHODS.has(c.req.method)) throw new HttpError(401, 'unauthorized', 'your session has ended; log in again')
      const url = new URL(c.req.url)
      return c.redirect(`/admin/login?next=${encodeURIComponent(url.pathname + url.search)}`)
    }
    if (!SAFE_METHODS.has(c.req.method) && !sameOrigin(c.req.raw)) throw crossSiteForm()
    c.set('user', user)
    c.set('workspaceId', user.workspaceId)
    await next()
  })
