// Who is calling, and for which workspace. `via: 'bearer'` reads `Authorization: Bearer <token>`
// (REST API, JSON 401); `via: 'session'` reads the session cookie (web UI: redirect to the
// login page) and refuses a state-changing request whose Origin is not this site (CSRF).
// Either way `c.var.user` and `c.var.workspaceId` are set; every query filters on the latter.
import { getCookie } from 'hono/cookie'
import { createMiddleware } from 'hono/factory'
import { secretHash } from '../admin/secret-token'
import { createDb } from '../db/client'
import { touchApiToken, userByApiToken, userBySession, type AuthUser } from '../db/queries/auth'

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

export const authenticate = (options: { via: 'bearer' | 'session' }) =>
  createMiddleware<AuthEnv>(async (c, next) => {
    const db = createDb(c.env.DB)
    if (options.via === 'bearer') {
      const [scheme, token] = (c.req.header('authorization') ?? '').split(/\s+/, 2)
      const found = scheme?.toLowerCase() === 'bearer' && token ? await userByApiToken(db, await secretHash(token)) : null
      if (!found) return c.json({ error: 'unauthorized', reason: 'send an API token as Authorization: Bearer <token>' }, 401, { 'www-authenticate': 'Bearer' })
      const { tokenId, ...user } = found
      c.executionCtx.waitUntil(touchApiToken(db, tokenId, Date.now()))
      c.set('user', user)
      c.set('workspaceId', user.workspaceId)
      return next()
    }
    const cookie = getCookie(c, SESSION_COOKIE)
    const user = cookie ? await userBySession(db, await secretHash(cookie), Date.now()) : null
    if (!user) {
      if (!SAFE_METHODS.has(c.req.method)) return c.text('Your session has ended. Log in again.', 401)
      const url = new URL(c.req.url)
      return c.redirect(`/admin/login?next=${encodeURIComponent(url.pathname + url.search)}`)
    }
    if (!SAFE_METHODS.has(c.req.method) && !sameOrigin(c.req.raw)) return c.text('Refused: this form was not sent from a Pagebell page.', 403)
    c.set('user', user)
    c.set('workspaceId', user.workspaceId)
    return next()
  })
