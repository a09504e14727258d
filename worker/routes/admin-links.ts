// The admin pages reached without a session: /admin/forgot (ask for a reset link, answered the
// same whether or not the e-mail has an account, and limited per e-mail and per client),
// /admin/invite/<secret> and /admin/reset/<secret> (the links mailed by
// worker/auth/account-links.ts: choose a password, then one is logged in). Every form must come
// from a Pagebell page (CSRF), as the login form. The link pages send a Referer only to this
// origin (`same-origin`: `no-referrer` would also blank the Origin of their own form posts), so
// their secret never leaves in one; a link that no longer works answers 410 and says what to do.
import { Hono, type Context } from 'hono'
import { formText } from '../admin/form-fields'
import { renderPage } from '../admin/render'
import { forgotScreen, linkGoneScreen, setPasswordScreen } from '../admin/ui/account-screens'
import { errorsOf, noErrors } from '../admin/ui/form-controls'
import { LINK_PATHS, openLink, useAccountLink } from '../auth/account-links'
import { admitResetRequest, sendPasswordResets } from '../auth/password-reset'
import { publicOrigin } from '../auth/public-origin'
import type { LinkPurpose } from '../db/queries/account-links'
import type { AuthUser } from '../db/queries/auth'
import type { FieldError } from '../field-errors'
import { crossSiteForm, sameOrigin, startSessionCookie } from '../middleware/authenticate'
import { checkAcceptInvite, checkReset } from '../users/user-input'

type Public = Context<{ Bindings: Env }>

export const adminLinks = new Hono<{ Bindings: Env }>()

const errorsFor = (errors: FieldError[]) => (errors.length ? errorsOf(errors) : noErrors)

adminLinks.get('/forgot', (c) =>
  renderPage(c, { title: 'Forgot your password?', section: 'login', user: null, body: forgotScreen({ email: '', sent: false }) }),
)

adminLinks.post('/forgot', async (c) => {
  if (!sameOrigin(c.req.raw)) throw crossSiteForm()
  const email = formText(await c.req.formData(), 'email').trim()
  const now = Date.now()
  const admitted = await admitResetRequest(c.env, email, c.req.header('cf-connecting-ip') ?? null, now)
  if (!admitted.ok) {
    c.header('retry-after', String(admitted.retryAfterSeconds))
    const body = forgotScreen({ email, sent: false, retryAfterSeconds: admitted.retryAfterSeconds })
    return renderPage(c, { title: 'Forgot your password?', section: 'login', user: null, body, status: 429 })
  }
  // After the answer: its timing must not depend on whether the e-mail has an account.
  const origin = publicOrigin(c.env, c.req.url)
  c.executionCtx.waitUntil(
    sendPasswordResets(c.env, email, origin, now).catch((err: unknown) => console.error('password reset not sent', err)),
  )
  return renderPage(c, { title: 'Forgot your password?', section: 'login', user: null, body: forgotScreen({ email, sent: true }) })
})

const TITLES: Record<LinkPurpose, string> = { invite: 'Join your team', reset: 'Choose a new password' }

/** The link pages' routes under /admin (LINK_PATHS are the same, whole). */
const LINK_ROUTES: Record<LinkPurpose, string> = { invite: '/invite/:secret', reset: '/reset/:secret' }

function linkPage(c: Public, purpose: LinkPurpose, page: { email: string; name: string; secret: string }, errors: FieldError[] = []) {
  c.header('referrer-policy', 'same-origin')
  const body = setPasswordScreen({
    purpose,
    email: page.email,
    name: page.name,
    action: `${LINK_PATHS[purpose]}${page.secret}`,
    errors: errorsFor(errors),
    errorCount: errors.length,
  })
  return renderPage(c, { title: TITLES[purpose], section: 'login', user: null, body, status: errors.length ? 400 : 200 })
}

function gone(c: Public, purpose: LinkPurpose) {
  c.header('referrer-policy', 'same-origin')
  return renderPage(c, { title: TITLES[purpose], section: 'login', user: null, body: linkGoneScreen(purpose), status: 410 })
}

async function logInAs(c: Public, user: AuthUser, next: string) {
  await startSessionCookie(c, user)
  return c.redirect(next, 303)
}

/** The password typed twice, and for an invitation the name. */
function checkLinkForm(purpose: LinkPurpose, form: FormData) {
  const fields = { password: formText(form, 'password'), confirm: formText(form, 'confirm') }
  if (purpose === 'reset') {
    const checked = checkReset(fields)
    return checked.ok ? { ok: true as const, value: { password: checked.value.password } } : checked
  }
  const checked = checkAcceptInvite({ ...fields, name: formText(form, 'name') })
  return checked.ok ? { ok: true as const, value: { password: checked.value.password, name: checked.value.name } } : checked
}

for (const purpose of ['invite', 'reset'] as const) {
  adminLinks.get(LINK_ROUTES[purpose], async (c) => {
    const secret = c.req.param('secret') ?? ''
    const link = await openLink(c.env, secret, purpose)
    if (!link) return gone(c, purpose)
    return linkPage(c, purpose, { email: link.email, name: link.name, secret })
  })

  adminLinks.post(LINK_ROUTES[purpose], async (c) => {
    if (!sameOrigin(c.req.raw)) throw crossSiteForm()
    const secret = c.req.param('secret') ?? ''
    const form = await c.req.formData()
    const link = await openLink(c.env, secret, purpose)
    if (!link) return gone(c, purpose)
    const checked = checkLinkForm(purpose, form)
    if (!checked.ok) return linkPage(c, purpose, { email: link.email, name: formText(form, 'name') || link.name, secret }, checked.errors)
    const user = await useAccountLink(c.env, secret, purpose, checked.value)
    if (!user) return gone(c, purpose)
    return logInAs(c, user, `/admin/account?notice=${purpose === 'invite' ? 'welcome' : 'password-reset'}`)
  })
}
