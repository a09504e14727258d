// Who is calling, and for which workspace. `via: 'bearer'` reads `Authorization: Bearer <token>`
// (REST API, 401) and refuses, with 403, a request the token's scope does not cover
// (worker/auth/token-scopes.ts: the one place scopes are enforced); `via: 'session'` reads the
// session cookie (web UI: a page load without one goes to the login page) and refuses a
// state-changing request whose Origin is not this site (CSRF). Either way `c.var.user` and
// `c.var.workspaceId` are set; every query filters on the latter. Only an active user's session
// or token is accepted, so deactivating a user shuts it out on its next request.
import type { Context } from 'hono'
import { getCookie, setCookie } from 'hono/cookie'
import { createMiddleware } from 'hono/factory'
import { tokenUser } from '../auth/api-tokens'
import { sessionUser, startSession } from '../auth/sessions'
import { scopeNeeded, scopeRefusal, type TokenScope } from '../auth/token-scopes'
import type { AuthUser } from '../db/queries/auth'
import { HttpError } from './http-error'

export type AuthEnv = {
  Bindings: Env
  Variables: {
    user: AuthUser
    workspaceId: string
    /** The session of a web request (to tell "this device" among the user's sessions). */
    sessionId?: string
    /** The scope of an API request's token; null for a token without one (its user's role decides). */
    scope?: TokenScope | null
  }
}

export const SESSION_COOKIE = 'pb_session'

/** Logs `user` in on this browser: a new session and its cookie (login, setup, invitation links). */
export async function startSessionCookie(c: Context<{ Bindings: Env }>, user: AuthUser): Promise<void> {
  const session = await startSession(c.env, user, c.req.header('user-agent') ?? '')
  setCookie(c, SESSION_COOKIE, session.secret, {
    httpOnly: true,
    sameSite: 'Lax',
    secure: new URL(c.req.url).protocol === 'https:',
    path: '/',
    maxAge: session.maxAgeSeconds,
  })
}

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
      const refusal = scopeRefusal(found.scope, c.req.method, c.req.path)
      if (refusal) {
        throw new HttpError(403, 'forbidden', refusal, {
          headers: { 'www-authenticate': `Bearer error="insufficient_scope", scope="${scopeNeeded(c.req.method, c.req.path)}"` },
        })
      }
      c.executionCtx.waitUntil(found.touch())
      c.set('user', found.user)
      c.set('workspaceId', found.user.workspaceId)
      c.set('scope', found.scope)
      await next()
      return
    }
    const cookie = getCookie(c, SESSION_COOKIE)
    const session = cookie ? await sessionUser(c.env, cookie) : null
    if (!session) {
      if (!SAFE_METHODS.has(c.req.method)) throw new HttpError(401, 'unauthorized', 'your session has ended; log in again')
      const url = new URL(c.req.url)
      return c.redirect(`/admin/login?next=${encodeURIComponent(url.pathname + url.search)}`)
    }
    if (!SAFE_METHODS.has(c.req.method) && !sameOrigin(c.req.raw)) throw crossSiteForm()
    if (session.touch) c.executionCtx.waitUntil(session.touch())
    c.set('user', session.user)
    c.set('workspaceId', session.user.workspaceId)
    c.set('sessionId', session.sessionId)
    await next()
  })
