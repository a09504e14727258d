// /admin/login and /admin/logout — the session cookie of the admin UI. Both forms must come
// from a Pagebell page (CSRF), as every other admin form. Login attempts are limited per
// account and per client (worker/auth/login-limits.ts): past a limit the form answers 429 with
// Retry-After and says when to try again, before the password is even checked.
import { Hono } from 'hono'
import { deleteCookie, getCookie } from 'hono/cookie'
import { formText, safeNext } from '../admin/form-fields'
import { renderPage } from '../admin/render'
import { loginScreen } from '../admin/ui/screens'
import { checkLogin } from '../auth/login'
import { admitLoginAttempt, loginSucceeded } from '../auth/login-limits'
import { endSession } from '../auth/sessions'
import { authenticate, crossSiteForm, sameOrigin, SESSION_COOKIE, startSessionCookie } from '../middleware/authenticate'

export const adminLogin = new Hono<{ Bindings: Env }>()

const isLocal = (url: string) => ['localhost', '127.0.0.1'].includes(new URL(url).hostname)

adminLogin.get('/', authenticate({ via: 'session' }), (c) => c.redirect('/admin/alerts'))

adminLogin.get('/login', (c) => {
  const screen = loginScreen({ next: safeNext(c.req.query('next') ?? ''), email: '', failed: false, demoHint: isLocal(c.req.url) })
  return renderPage(c, { title: 'Log in', section: 'login', user: null, body: screen })
})

adminLogin.post('/login', async (c) => {
  if (!sameOrigin(c.req.raw)) throw crossSiteForm()
  const form = await c.req.formData()
  const email = formText(form, 'email')
  const next = safeNext(formText(form, 'next'))
  const client = c.req.header('cf-connecting-ip') ?? null
  const admitted = await admitLoginAttempt(c.env, email, client, Date.now())
  if (!admitted.ok) {
    const screen = loginScreen({ next, email, failed: false, demoHint: isLocal(c.req.url), retryAfterSeconds: admitted.retryAfterSeconds })
    c.header('retry-after', String(admitted.retryAfterSeconds))
    return renderPage(c, { title: 'Log in', section: 'login', user: null, body: screen, status: 429 })
  }
  const user = await checkLogin(c.env, email, formText(form, 'password'))
  if (!user) {
    const screen = loginScreen({ next, email, failed: true, demoHint: isLocal(c.req.url) })
    return renderPage(c, { title: 'Log in', section: 'login', user: null, body: screen, status: 401 })
  }
  await loginSucceeded(c.env, email, client)
  await startSessionCookie(c, user)
  return c.redirect(next, 303)
})

adminLogin.post('/logout', async (c) => {
  if (!sameOrigin(c.req.raw)) throw crossSiteForm()
  await c.req.arrayBuffer()
  const secret = getCookie(c, SESSION_COOKIE)
  if (secret) await endSession(c.env, secret)
  deleteCookie(c, SESSION_COOKIE, { path: '/' })
  return c.redirect('/admin/login', 303)
})
