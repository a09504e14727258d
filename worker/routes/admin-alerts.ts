// /admin/alerts — the alerts screens of the web UI: the list, the wizard (new and edit) with its
// "does this page match?" tester, the alert with its analytics and "Send test", switching,
// duplicating and deleting. Server-rendered; every form posts back here with the session cookie.
// A new alert about a form submitted is saved as a campaign (worker/alerts/form-alert.ts) and
// lands on the campaign's page; the list names those campaigns with links to them.
// Sales reps see the alerts but get no wizard and cannot change anything.
import { Hono, type Context } from 'hono'
import { formText, safeNext } from '../admin/form-fields'
import { renderPage } from '../admin/render'
import { alertWizard } from '../admin/ui/alert-wizard'
import { alertScreen, alertsScreen } from '../admin/ui/alert-screens'
import { matchResult, type MatchView } from '../admin/ui/match-result'
import { draftFromAlert, draftFromForm, draftToFormAlert, draftToInput, emptyDraft, type WizardDraft } from '../admin/wizard-form'
import { changeAlert, createAlert, duplicateAlert, removeAlert } from '../alerts/alert-changes'
import { checkNewAlert, type Checked } from '../alerts/alert-input'
import { checkFormAlert, createFormAlert, isFormAlert, type FormAlert } from '../alerts/form-alert'
import type { Checked as CampaignChecked } from '../campaigns/checked'
import { stepWords, triggerWords } from '../campaigns/campaign-words'
import { testMatch } from '../alerts/match-test'
import { admitTestSend } from '../alerts/test-sends'
import { outboxOwner } from '../contacts/contact-scope'
import { createDb } from '../db/client'
import { alertWindow, listAlerts, workspaceDomains, type AlertRow } from '../db/queries/alerts'
import type { AuthUser } from '../db/queries/auth'
import { listCampaigns, type StoredCampaign } from '../db/queries/campaigns'
import { recentDeliveries } from '../db/queries/outbox'
import { sendTestAlert } from '../delivery/send-test'
import type { FieldError } from '../field-errors'
import { authenticate, type AuthEnv } from '../middleware/authenticate'
import { HttpError } from '../middleware/http-error'
import { loadAlert, type AlertEnv } from '../middleware/load-alert'
import { ALERT_EDITORS, requireRole } from '../middleware/require-role'

export const adminAlerts = new Hono<AuthEnv>()

adminAlerts.use('*', authenticate({ via: 'session' }))
adminAlerts.on('POST', ['/', '/*'], requireRole(...ALERT_EDITORS))
adminAlerts.on('GET', ['/new', '/:id/edit'], requireRole(...ALERT_EDITORS))

const canEdit = (user: AuthUser) => ALERT_EDITORS.includes(user.role)

/** Null from a change means the alert went away meanwhile: the same 404 as the loader's. */
const gone = () => new HttpError(404, 'not found', 'no alert with this id in your workspace')

/** A form alert as the list shows it, in the activation summary's words (no user or list to name). */
function formAlertRow({ campaign, definition }: StoredCampaign) {
  const names = { users: new Map<string, string>(), lists: new Map<string, string>() }
  return {
    id: campaign.id,
    name: campaign.name,
    active: campaign.active,
    when: definition.triggers.map((t) => triggerWords(t, names)).join('; '),
    frequency: definition.frequency,
    steps: definition.steps.map((s) => stepWords(s, names)).join('; '),
  }
}

adminAlerts.get('/', async (c) => {
  const db = createDb(c.env.DB)
  const [rows, campaigns] = await Promise.all([listAlerts(db, c.var.workspaceId), listCampaigns(db, c.var.workspaceId)])
  return renderPage(c, {
    title: 'Alerts',
    section: 'alerts',
    user: c.var.user,
    body: alertsScreen({
      rows,
      formAlerts: campaigns.filter(isFormAlert).map(formAlertRow),
      canEdit: canEdit(c.var.user),
      notice: c.req.query('notice'),
    }),
  })
})

type Wizard = { title: string; action: string; heading: string; cancel: string; kinds: boolean }

type Tester = { url: string; view: MatchView }

const NO_TEST: Tester = { url: '', view: { result: null, minSeconds: [] } }

/** Step B's tester for the typed address and rows: what the matcher says (nothing while the address is empty). */
async function tester(env: Env, workspaceId: string, url: string, pages: WizardDraft['pages']): Promise<Tester> {
  const minSeconds = pages.map((p) => p.minSeconds)
  if (url.trim() === '') return { url, view: { result: null, minSeconds } }
  const domains = await workspaceDomains(createDb(env.DB), workspaceId)
  const result = testMatch(
    url,
    pages.map((p) => p.pattern),
    domains,
  )
  return { url, view: { result, minSeconds } }
}

// Typed against any context: the wizard serves routes with and without a loaded alert.
const wizardPage = (
  c: Context,
  user: AuthUser,
  wizard: Wizard,
  draft: WizardDraft,
  errors: FieldError[],
  status: 200 | 400 | 409 | 422 = 200,
  test: Tester = NO_TEST,
) =>
  renderPage(c, {
    title: wizard.title,
    section: 'alerts',
    user,
    body: alertWizard({
      action: wizard.action,
      kinds: wizard.kinds,
      heading: wizard.heading,
      cancel: wizard.cancel,
      draft,
      errors,
      me: user.email,
      tester: test,
    }),
    status,
  })

/**
 * A posted wizard: add/remove a page row or test an address (re-render), or check and hand the
 * alert to `save`. A new alert's wizard may post a form alert: it goes to `saveForm`, and what
 * the campaign service refuses is shown on the wizard too.
 */
async function wizardPost<E extends AuthEnv>(
  c: Context<E>,
  user: AuthUser,
  wizard: Wizard,
  save: (checked: Extract<Checked, { ok: true }>) => Promise<Response>,
  saveForm?: (alert: FormAlert) => Promise<CampaignChecked<StoredCampaign>>,
) {
  const form = await c.req.formData()
  const draft = draftFromForm(form)
  // Only a new alert can be about a form: an existing alert stays a page alert.
  if (!saveForm) draft.trigger = 'page'
  const action = formText(form, 'action') || 'save'
  if (action === 'add-row') draft.pages.push({ pattern: '', minSeconds: '0' })
  const remove = /^remove-row:(\d+)$/.exec(action)
  if (remove && draft.pages.length > 1) draft.pages.splice(Number(remove[1]), 1)
  // The test address and its answer stay on every re-rendered page.
  const test = await tester(c.env, user.workspaceId, formText(form, 'testUrl'), draft.pages)
  if (action !== 'save') return wizardPage(c, user, wizard, draft, [], 200, test)
  if (saveForm && draft.trigger === 'form') {
    const checkedForm = checkFormAlert(draftToFormAlert(draft))
    if (!checkedForm.ok) return wizardPage(c, user, wizard, draft, checkedForm.errors, 400, test)
    const saved = await saveForm(checkedForm.value)
    if (!saved.ok) return wizardPage(c, user, wizard, draft, saved.errors, saved.status, test)
    const { id, active } = saved.value.campaign
    return c.redirect(`/admin/campaigns/${id}?notice=${active ? 'campaign-on' : 'campaign-created'}`, 303)
  }
  const checked = checkNewAlert(draftToInput(draft))
  if (!checked.ok) return wizardPage(c, user, wizard, draft, checked.errors, 400, test)
  return save(checked)
}

const NEW_ALERT: Wizard = { title: 'New alert', action: '/admin/alerts/new', heading: 'New alert', cancel: '/admin/alerts', kinds: true }

adminAlerts.get('/new', (c) => wizardPage(c, c.var.user, NEW_ALERT, emptyDraft(c.req.query('when') === 'form' ? 'form' : 'page'), []))

/** The tester's answer alone, for the wizard's script: the posted rows and address, as the page would show them. */
adminAlerts.post('/match-test', async (c) => {
  const form = await c.req.formData()
  const draft = draftFromForm(form)
  const test = await tester(c.env, c.var.workspaceId, formText(form, 'testUrl'), draft.pages)
  c.header('cache-control', 'no-store')
  return c.html(matchResult(test.view))
})

adminAlerts.post('/new', (c) =>
  wizardPost(
    c,
    c.var.user,
    NEW_ALERT,
    async (checked) => {
      const row = await createAlert(c.env, c.var.user, checked.value)
      return c.redirect(`/admin/alerts/${row.id}?notice=created`, 303)
    },
    (alert) => createFormAlert(c.env, c.var.user, alert),
  ),
)

async function detailPage(c: Context<AlertEnv>, extra: { status?: 200 | 400 | 429; testTo?: string; testError?: string } = {}) {
  const db = createDb(c.env.DB)
  const { alert, lastSentAt } = c.var
  const [report, deliveries] = await Promise.all([
    alertWindow(db, c.var.workspaceId, alert.id, { days: 30, now: Date.now() }),
    // A sales rep sees only the rows of the contacts they own, as in the outbox.
    recentDeliveries(db, c.var.workspaceId, { alertId: alert.id, ownerId: outboxOwner(c.var.user), limit: 20 }),
  ])
  const body = alertScreen({
    alert,
    lastSentAt,
    report,
    deliveries,
    canEdit: canEdit(c.var.user),
    notice: c.req.query('notice'),
    testTo: extra.testTo ?? c.var.user.email,
    testError: extra.testError,
  })
  return renderPage(c, { title: alert.name, section: 'alerts', user: c.var.user, body, status: extra.status ?? 200 })
}

adminAlerts.get('/:id', loadAlert(), (c) => detailPage(c))

const editWizard = ({ id, name }: AlertRow): Wizard => {
  return {
    title: `Edit ${name}`,
    action: `/admin/alerts/${id}/edit`,
    heading: `Edit "${name}"`,
    cancel: `/admin/alerts/${id}`,
    kinds: false,
  }
}

adminAlerts.get('/:id/edit', loadAlert(), (c) => wizardPage(c, c.var.user, editWizard(c.var.alert), draftFromAlert(c.var.alert), []))

adminAlerts.post('/:id/edit', loadAlert(), (c) =>
  wizardPost(c, c.var.user, editWizard(c.var.alert), async (checked) => {
    const row = await changeAlert(c.env, c.var.workspaceId, c.var.alert.id, checked.value)
    if (!row) throw gone()
    return c.redirect(`/admin/alerts/${row.id}?notice=saved`, 303)
  }),
)

adminAlerts.post('/:id/toggle', loadAlert(), async (c) => {
  const back = safeNext(formText(await c.req.formData(), 'back'))
  const row = await changeAlert(c.env, c.var.workspaceId, c.var.alert.id, { active: !c.var.alert.active })
  if (!row) throw gone()
  return c.redirect(`${back}${back.includes('?') ? '&' : '?'}notice=${row.active ? 'turned-on' : 'turned-off'}`, 303)
})

adminAlerts.post('/:id/duplicate', loadAlert(), async (c) => {
  await c.req.arrayBuffer()
  const copy = await duplicateAlert(c.env, c.var.user, c.var.alert)
  return c.redirect(`/admin/alerts/${copy.id}?notice=duplicated`, 303)
})

adminAlerts.post('/:id/delete', async (c) => {
  await c.req.arrayBuffer()
  if (!(await removeAlert(c.env, c.var.workspaceId, c.req.param('id')))) throw gone()
  return c.redirect('/admin/alerts?notice=deleted', 303)
})

adminAlerts.post('/:id/test', loadAlert(), async (c) => {
  const to = formText(await c.req.formData(), 'to').trim()
  const admitted = await admitTestSend(c.env, c.var.workspaceId, Date.now())
  if (!admitted.ok) {
    c.header('retry-after', String(admitted.retryAfterSeconds))
    return detailPage(c, { status: 429, testTo: to, testError: `Not sent: ${admitted.reason}` })
  }
  const result = await sendTestAlert(c.env, { workspaceId: c.var.workspaceId, alertId: c.var.alert.id, to })
  if (result.ok) return c.redirect(`/admin/alerts/${c.var.alert.id}?notice=test-sent`, 303)
  return detailPage(c, { status: 400, testTo: to, testError: `Not sent: ${result.reason}` })
})
