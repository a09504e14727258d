// /admin/account — one's own account (every role): change the password (the current one asked
// again), see where one is logged in and end those sessions, one or all the others. The pages
// reached without a session (forgotten password, invitation and reset links) are in
// admin-links.ts.
import { Hono, type Context } from 'hono'
import { formText } from '../admin/form-fields'
import { renderPage } from '../admin/render'
import { accountScreen } from '../admin/ui/account-screens'
import { errorsOf, noErrors } from '../admin/ui/form-controls'
import { changeOwnPassword } from '../auth/own-password'
import { revokeSession, revokeUserSessions, userSessions } from '../auth/sessions'
import type { FieldError } from '../field-errors'
import { authenticate, type AuthEnv } from '../middleware/authenticate'
import { checkReset } from '../users/user-input'

export const adminAccount = new Hono<AuthEnv>()

adminAccount.use('*', authenticate({ via: 'session' }))

const errorsFor = (errors: FieldError[]) => (errors.length ? errorsOf(errors) : noErrors)

async function accountPage(c: Context<AuthEnv>, errors: FieldError[] = [], status: 200 | 400 | 429 = 200) {
  const sessions = await userSessions(c.env, c.var.workspaceId, c.var.user.id)
  const body = accountScreen({
    user: c.var.user,
    sessions,
    currentId: c.var.sessionId,
    errors: errorsFor(errors),
    errorCount: errors.length,
    notice: c.req.query('notice'),
  })
  return renderPage(c, { title: 'Your account', section: 'account', user: c.var.user, body, status })
}

adminAccount.get('/', (c) => accountPage(c))

adminAccount.post('/password', async (c) => {
  const form = await c.req.formData()
  const checked = checkReset({ password: formText(form, 'password'), confirm: formText(form, 'confirm') })
  if (!checked.ok) return accountPage(c, checked.errors, 400)
  const changed = await changeOwnPassword(c.env, c.var.user, {
    current: formText(form, 'current'),
    password: checked.value.password,
    keepSession: c.var.sessionId,
    client: c.req.header('cf-connecting-ip') ?? null,
    now: Date.now(),
  })
  if (!changed.ok) {
    if (changed.retryAfterSeconds) c.header('retry-after', String(changed.retryAfterSeconds))
    return accountPage(c, [{ field: 'current', reason: changed.reason }], changed.retryAfterSeconds ? 429 : 400)
  }
  return c.redirect('/admin/account?notice=password-changed', 303)
})

adminAccount.post('/sessions/end-others', async (c) => {
  await c.req.arrayBuffer()
  await revokeUserSessions(c.env, c.var.workspaceId, c.var.user.id, c.var.sessionId)
  return c.redirect('/admin/account?notice=others-ended', 303)
})

adminAccount.post('/sessions/:sessionId/end', async (c) => {
  await c.req.arrayBuffer()
  const id = c.req.param('sessionId')
  await revokeSession(c.env, c.var.workspaceId, c.var.user.id, id)
  if (id === c.var.sessionId) return c.redirect('/admin/login', 303)
  return c.redirect('/admin/account?notice=session-ended', 303)
})
