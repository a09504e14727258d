// /admin — the web UI: log in, alerts (list, wizard, detail with analytics and send test),
// the outbox and API tokens. Server-rendered; every form posts back here with the session
// cookie, and `authenticate` refuses a change whose Origin is another site.
import { Hono, type Context } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import { html } from 'hono/html'
import { changeAlert, createAlert, removeAlert } from '../admin/alert-changes'
import { checkNewAlert, type FieldError } from '../admin/alert-input'
import { checkLogin, endSession, issueApiToken, startSession } from '../admin/credentials'
import { ADMIN_CSS, ADMIN_JS } from '../admin/ui/assets'
import { alertWizard } from '../admin/ui/alert-wizard'
import { CSP, page, type Html, type Section } from '../admin/ui/layout'
import { alertScreen, alertsScreen, loginScreen, outboxScreen, tokensScreen } from '../admin/ui/screens'
import { draftFromAlert, draftFromForm, draftToInput, emptyDraft, type WizardDraft } from '../admin/wizard-form'
import { createDb } from '../db/client'
import { alertAnalytics, findAlert, listAlerts } from '../db/queries/alerts'
import { deleteApiToken, listApiTokens } from '../db/queries/auth'
import { recentDeliveries } from '../db/queries/outbox'
import { sendTestAlert } from '../delivery/send-test'
import { authenticate, sameOrigin, SESSION_COOKIE, type AuthEnv } from '../middleware/authenticate'
import { ALERT_EDITORS, requireRole } from '../middleware/require-role'

export const admin = new Hono<AuthEnv>()

type C = Context<AuthEnv>

const render = (c: C, title: string, section: Section, body: Html, status: 200 | 400 | 401 | 403 | 404 = 200) => {
  c.header('content-security-policy', CSP)
  c.header('cache-control', 'no-store')
  return c.html(page(title, section, c.get('user') ?? null, body), status)
}

const form = async (c: C) => c.req.formData()
const text = (v: unknown) => (typeof v === 'string' ? v : '')

/** Only a path inside the admin UI, so a crafted `next` cannot send anyone elsewhere. */
const safeNext = (next: string) => (/^\/admin(\/[\w\-/]*)?(\?[\w=&%-]*)?$/.test(next) ? next : '/admin/alerts')

const isLocal = (url: string) => ['localhost', '127.0.0.1'].includes(new URL(url).hostname)

admin.get('/assets/admin.css', (c) => c.body(ADMIN_CSS, 200, { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'max-age=300' }))
admin.get('/assets/admin.js', (c) => c.body(ADMIN_JS, 200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'max-age=300' }))

admin.get('/login', (c) =>
  render(c, 'Log in', 'login', loginScreen({ next: safeNext(c.req.query('next') ?? ''), email: '', failed: false, demoHint: isLocal(c.req.url) })),
)

admin.post('/login', async (c) => {
  if (!sameOrigin(c.req.raw)) return c.text('Refused: this form was not sent from a Pagebell page.', 403)
  const body = await form(c)
  const email = text(body.get('email'))
  const next = safeNext(text(body.get('next')))
  const user = await checkLogin(c.env, email, text(body.get('password')))
  if (!user) return render(c, 'Log in', 'login', loginScreen({ next, email, failed: true, demoHint: isLocal(c.req.url) }), 401)
  const session = await startSession(c.env, user)
  setCookie(c, SESSION_COOKIE, session.secret, {
    httpOnly: true,
    sameSite: 'Lax',
    secure: new URL(c.req.url).protocol === 'https:',
    path: '/',
    maxAge: session.maxAgeSeconds,
  })
  return c.redirect(next, 303)
})

admin.post('/logout', async (c) => {
  if (!sameOrigin(c.req.raw)) return c.text('Refused: this form was not sent from a Pagebell page.', 403)
  await c.req.arrayBuffer()
  const secret = getCookie(c, SESSION_COOKIE)
  if (secret) await endSession(c.env, secret)
  deleteCookie(c, SESSION_COOKIE, { path: '/' })
  return c.redirect('/admin/login', 303)
})

// Everything below needs a session.
admin.use('*', authenticate({ via: 'session' }))
admin.on('POST', ['/alerts/*', '/alerts'], requireRole(...ALERT_EDITORS))
admin.on('GET', ['/alerts/new', '/alerts/:id/edit'], requireRole(...ALERT_EDITORS))

const canEdit = (c: C) => ALERT_EDITORS.includes(c.var.user.role)

admin.get('/', (c) => c.redirect('/admin/alerts'))

admin.get('/alerts', async (c) => {
  const rows = await listAlerts(createDb(c.env.DB), c.var.workspaceId)
  return render(c, 'Alerts', 'alerts', alertsScreen({ rows, canEdit: canEdit(c), notice: c.req.query('notice') }))
})

/** Add/remove a page row (re-render), or check and save. */
async function wizardPost(c: C, draft: WizardDraft, action: string, save: (values: ReturnType<typeof checkNewAlert>) => Promise<Response | null>, view: (errors: FieldError[]) => Html) {
  if (action === 'add-row') draft.pages.push({ pattern: '', minSeconds: '0' })
  const remove = /^remove-row:(\d+)$/.exec(action)
  if (remove && draft.pages.length > 1) draft.pages.splice(Number(remove[1]), 1)
  if (action !== 'save') return render(c, 'Alert', 'alerts', view([]))
  const checked = checkNewAlert(draftToInput(draft))
  const saved = await save(checked)
  return saved ?? render(c, 'Alert', 'alerts', view(checked.ok ? [] : checked.errors), 400)
}

admin.get('/alerts/new', (c) =>
  render(c, 'New alert', 'alerts', alertWizard({ action: '/admin/alerts/new', draft: emptyDraft(), errors: [], me: c.var.user.email, heading: 'New alert', cancel: '/admin/alerts' })),
)

admin.post('/alerts/new', async (c) => {
  const body = await form(c)
  const draft = draftFromForm(body)
  const view = (errors: FieldError[]) => alertWizard({ action: '/admin/alerts/new', draft, errors, me: c.var.user.email, heading: 'New alert', cancel: '/admin/alerts' })
  return wizardPost(c, draft, text(body.get('action')) || 'save', async (checked) => {
    if (!checked.ok) return null
    const row = await createAlert(c.env, c.var.user, checked.value)
    return c.redirect(`/admin/alerts/${row.id}?notice=created`, 303)
  }, view)
})

async function detail(c: C, extra: { status?: 200 | 400; testTo?: string; testError?: string } = {}) {
  const db = createDb(c.env.DB)
  const workspaceId = c.var.workspaceId
  const found = await findAlert(db, workspaceId, c.req.param('id') ?? '')
  if (!found) return render(c, 'Not found', 'alerts', notFound(), 404)
  const [days, deliveries] = await Promise.all([
    alertAnalytics(db, workspaceId, found.alert.id, Date.now() - 30 * 86_400_000),
    recentDeliveries(db, workspaceId, { alertId: found.alert.id, limit: 20 }),
  ])
  const body = alertScreen({ ...found, days, deliveries, canEdit: canEdit(c), notice: c.req.query('notice'), testTo: extra.testTo ?? c.var.user.email, testError: extra.testError })
  return render(c, found.alert.name, 'alerts', body, extra.status ?? 200)
}

const notFound = () => html`<h1>Not found</h1><p>There is no such alert in your workspace. <a href="/admin/alerts">All alerts</a></p>`

admin.get('/alerts/:id', (c) => detail(c))

admin.get('/alerts/:id/edit', async (c) => {
  const found = await findAlert(createDb(c.env.DB), c.var.workspaceId, c.req.param('id'))
  if (!found) return render(c, 'Not found', 'alerts', notFound(), 404)
  const a = found.alert
  return render(c, `Edit ${a.name}`, 'alerts', alertWizard({ action: `/admin/alerts/${a.id}/edit`, draft: draftFromAlert(a), errors: [], me: c.var.user.email, heading: `Edit "${a.name}"`, cancel: `/admin/alerts/${a.id}` }))
})

admin.post('/alerts/:id/edit', async (c) => {
  const workspaceId = c.var.workspaceId
  const found = await findAlert(createDb(c.env.DB), workspaceId, c.req.param('id'))
  if (!found) return render(c, 'Not found', 'alerts', notFound(), 404)
  const id = found.alert.id
  const body = await form(c)
  const draft = draftFromForm(body)
  const view = (errors: FieldError[]) =>
    alertWizard({ action: `/admin/alerts/${id}/edit`, draft, errors, me: c.var.user.email, heading: `Edit "${found.alert.name}"`, cancel: `/admin/alerts/${id}` })
  return wizardPost(c, draft, text(body.get('action')) || 'save', async (checked) => {
    if (!checked.ok) return null
    const row = await changeAlert(c.env, workspaceId, id, checked.value)
    return row ? c.redirect(`/admin/alerts/${id}?notice=saved`, 303) : render(c, 'Not found', 'alerts', notFound(), 404)
  }, view)
})

admin.post('/alerts/:id/toggle', async (c) => {
  const body = await form(c)
  const found = await findAlert(createDb(c.env.DB), c.var.workspaceId, c.req.param('id'))
  if (!found) return render(c, 'Not found', 'alerts', notFound(), 404)
  const row = await changeAlert(c.env, c.var.workspaceId, found.alert.id, { active: !found.alert.active })
  const back = safeNext(text(body.get('back')))
  return c.redirect(`${back}${back.includes('?') ? '&' : '?'}notice=${row?.active ? 'turned-on' : 'turned-off'}`, 303)
})

admin.post('/alerts/:id/delete', async (c) => {
  await c.req.arrayBuffer()
  const removed = await removeAlert(c.env, c.var.workspaceId, c.req.param('id'))
  return removed ? c.redirect('/admin/alerts?notice=deleted', 303) : render(c, 'Not found', 'alerts', notFound(), 404)
})

admin.post('/alerts/:id/test', async (c) => {
  const to = text((await form(c)).get('to')).trim()
  const found = await findAlert(createDb(c.env.DB), c.var.workspaceId, c.req.param('id'))
  if (!found) return render(c, 'Not found', 'alerts', notFound(), 404)
  const result = await sendTestAlert(c.env, { workspaceId: c.var.workspaceId, alertId: found.alert.id, to })
  if (result.ok) return c.redirect(`/admin/alerts/${found.alert.id}?notice=test-sent`, 303)
  return detail(c, { status: 400, testTo: to, testError: `Not sent: ${result.reason}` })
})

admin.get('/outbox', async (c) => {
  const rows = await recentDeliveries(createDb(c.env.DB), c.var.workspaceId, { limit: 100 })
  return render(c, 'Outbox', 'outbox', outboxScreen(rows))
})

async function tokensPage(c: C, extra: { created?: { name: string; secret: string }; error?: string; status?: 200 | 400 } = {}) {
  const tokens = await listApiTokens(createDb(c.env.DB), c.var.workspaceId, c.var.user.id)
  return render(c, 'API tokens', 'tokens', tokensScreen({ tokens, notice: c.req.query('notice'), ...extra }), extra.status ?? 200)
}

admin.get('/tokens', (c) => tokensPage(c))

admin.post('/tokens', async (c) => {
  const name = text((await form(c)).get('name')).trim()
  if (!name || name.length > 80 || /\p{Cc}/u.test(name)) return tokensPage(c, { error: 'Give the token a name (1 to 80 characters).', status: 400 })
  const { secret } = await issueApiToken(c.env, c.var.user, name)
  return tokensPage(c, { created: { name, secret } })
})

admin.post('/tokens/:id/delete', async (c) => {
  await c.req.arrayBuffer()
  await deleteApiToken(createDb(c.env.DB), c.var.workspaceId, c.var.user.id, c.req.param('id'))
  return c.redirect('/admin/tokens?notice=token-deleted', 303)
})
