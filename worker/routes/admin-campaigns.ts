// /admin/campaigns — the campaigns screens of the web UI: the list, the builder (new and edit;
// its add / remove / move buttons post the draft back and get it re-rendered), one campaign with
// its summary and report, the activation page (the summary in words, then ON), switching OFF
// and deleting. Every change goes through the campaign service, as the REST API's do. Sales reps
// see the campaigns and their reports but get no builder and change nothing.
import { Hono, type Context } from 'hono'
import { CampaignDefinition } from '../../durable-objects/contracts/campaign'
import { createCampaign, removeCampaign, saveCampaign, switchCampaign } from '../campaigns/campaign-changes'
import { figuresOf } from '../campaigns/campaign-report'
import { summarizeCampaign } from '../campaigns/campaign-summary'
import { campaignNames, stepWords, summarySentence, triggerWords, type Names } from '../campaigns/campaign-words'
import type { Checked } from '../campaigns/checked'
import { runCampaignForContact } from '../campaigns/run-campaign'
import { formText } from '../admin/form-fields'
import { renderPage } from '../admin/render'
import { campaignBuilder } from '../admin/ui/campaign-builder'
import { TRIGGER_TYPES } from '../admin/ui/campaign-trigger-fields'
import { applyBuilderAction } from '../admin/ui/campaign-builder-actions'
import { CONDITION_TYPES, type Choices } from '../admin/ui/campaign-controls'
import { campaignDraft, campaignDraftFromForm, campaignInput, emptyCampaignDraft, type CampaignDraft } from '../admin/ui/campaign-draft'
import { saveDraft } from '../admin/ui/campaign-form-tree'
import { activationScreen, campaignScreen, campaignsScreen, type StepReportRow } from '../admin/ui/campaign-screens'
import { pageAlertShape } from '../db/queries/alert-shape'
import type { Html } from '../admin/ui/layout'
import { userLabel } from '../admin/ui/owner-choices'
import { createDb } from '../db/client'
import type { AuthUser } from '../db/queries/auth'
import { campaignRunTotals, campaignStepTotals } from '../db/queries/campaign-runs'
import { findCampaign, listCampaigns, listCampaignVersions, type StoredCampaign } from '../db/queries/campaigns'
import { findContactByEmail } from '../db/queries/contacts'
import { listLists } from '../db/queries/lists'
import { listUsers } from '../db/queries/users'
import type { Step } from '../../durable-objects/contracts/campaign'
import type { FieldError } from '../field-errors'
import { authenticate, type AuthEnv } from '../middleware/authenticate'
import { HttpError } from '../middleware/http-error'
import { ALERT_EDITORS, requireRole } from '../middleware/require-role'

export const adminCampaigns = new Hono<AuthEnv>()

adminCampaigns.use('*', authenticate({ via: 'session' }))
adminCampaigns.on('POST', ['/', '/*'], requireRole(...ALERT_EDITORS))
adminCampaigns.on('GET', ['/new', '/:id/edit', '/:id/activate'], requireRole(...ALERT_EDITORS))

const canEdit = (user: AuthUser) => ALERT_EDITORS.includes(user.role)

const gone = () => new HttpError(404, 'not found', 'no campaign with this id in your workspace')

async function loadCampaign(env: Env, workspaceId: string, id: string): Promise<StoredCampaign> {
  const found = await findCampaign(createDb(env.DB), workspaceId, id)
  if (!found) throw gone()
  return found
}

/** What the builder's pickers offer: the active users (owners, round-robin) and the smart lists. */
export async function builderChoices(env: Env, workspaceId: string): Promise<Choices> {
  const db = createDb(env.DB)
  const [users, lists] = await Promise.all([listUsers(db, workspaceId), listLists(db, workspaceId)])
  return {
    users: users.filter((u) => u.status === 'active').map((u) => ({ value: u.id, label: userLabel(u) })),
    lists: lists.map((l) => ({ value: l.id, label: l.definition.name })),
  }
}

adminCampaigns.get('/', async (c) => {
  const db = createDb(c.env.DB)
  const [rows, names, totals] = await Promise.all([
    listCampaigns(db, c.var.workspaceId),
    campaignNames(c.env, c.var.workspaceId),
    campaignRunTotals(db, c.var.workspaceId),
  ])
  const list = rows.map((stored) => ({
    stored,
    triggers: stored.definition.triggers.map((t) => triggerWords(t, names)),
    ...(totals.get(stored.campaign.id) ?? { started: 0, finished: 0 }),
    isAlert: pageAlertShape(stored.definition, stored.campaign.category) !== null,
  }))
  return renderPage(c, {
    title: 'Campaigns',
    section: 'campaigns',
    user: c.var.user,
    body: campaignsScreen({ rows: list, canEdit: canEdit(c.var.user), notice: c.req.query('notice') }),
  })
})

type Builder = { title: string; action: string; heading: string; cancel: string; saveNote: string }

const KINDS = { triggers: TRIGGER_TYPES.map((t) => t.value), conditions: CONDITION_TYPES.map((t) => t.value) }

/** A campaigns-section page whose body needs the pickers' choices (the builder, the smart-list form). */
export async function pageWithChoices(
  c: Context<AuthEnv>,
  title: string,
  body: (choices: Choices) => Html,
  status: 200 | 400 | 409 | 422 = 200,
) {
  const choices = await builderChoices(c.env, c.var.workspaceId)
  return renderPage(c, { title, section: 'campaigns', user: c.var.user, body: body(choices), status })
}

const builderPage = (
  c: Context<AuthEnv>,
  builder: Builder,
  draft: CampaignDraft,
  errors: FieldError[],
  focus: string | null = null,
  status: 200 | 400 | 409 | 422 = 200,
) => pageWithChoices(c, builder.title, (choices) => campaignBuilder({ ...builder, draft, errors, focus, choices }), status)

/** A posted builder: a button other than Save changes the draft and re-renders it; Save checks and hands the definition to `save`. */
async function builderPost(
  c: Context<AuthEnv>,
  builder: Builder,
  save: (definition: CampaignDefinition) => Promise<Checked<StoredCampaign> | null>,
  notice: string,
) {
  const form = await c.req.formData()
  const draft = campaignDraftFromForm(form)
  const action = formText(form, 'action') || 'save'
  if (action !== 'save') {
    const focus = applyBuilderAction(draft, action, (name) => formText(form, name), KINDS)
    return builderPage(c, builder, draft, [], focus)
  }
  return saveDraft({
    schema: CampaignDefinition,
    converted: campaignInput(draft),
    save,
    refused: (errors, status) => builderPage(c, builder, draft, errors, null, status),
    done: (saved) => c.redirect(`/admin/campaigns/${saved.campaign.id}?notice=${notice}`, 303),
    gone,
  })
}

const NEW_CAMPAIGN: Builder = {
  title: 'New campaign',
  action: '/admin/campaigns/new',
  heading: 'New campaign',
  cancel: '/admin/campaigns',
  saveNote: 'It is saved OFF: you switch it ON on the next page, after reading what it will do.',
}

adminCampaigns.get('/new', (c) => builderPage(c, NEW_CAMPAIGN, emptyCampaignDraft(), []))

adminCampaigns.post('/new', (c) =>
  builderPost(c, NEW_CAMPAIGN, (definition) => createCampaign(c.env, c.var.user, definition), 'campaign-created'),
)

const editBuilder = ({ campaign }: StoredCampaign): Builder => ({
  title: `Edit ${campaign.name}`,
  action: `/admin/campaigns/${campaign.id}/edit`,
  heading: `Edit “${campaign.name}”`,
  cancel: `/admin/campaigns/${campaign.id}`,
  saveNote: `Saving makes version ${campaign.currentVersion + 1}. Contacts inside a run finish it on the version they started.`,
})

adminCampaigns.get('/:id/edit', async (c) => {
  const stored = await loadCampaign(c.env, c.var.workspaceId, c.req.param('id'))
  return builderPage(c, editBuilder(stored), campaignDraft(stored.definition), [])
})

adminCampaigns.post('/:id/edit', async (c) => {
  const stored = await loadCampaign(c.env, c.var.workspaceId, c.req.param('id'))
  return builderPost(c, editBuilder(stored), (definition) => saveCampaign(c.env, c.var.user, stored, definition), 'campaign-saved')
})

/** The steps top to bottom with their depth (a branch's steps one deeper), as the report lists them. */
function stepRows(
  steps: readonly Step[],
  names: Names,
  counts: Map<string, { reached: number; contacts: number }>,
  depth = 0,
): StepReportRow[] {
  return steps.flatMap((step) => {
    const row = { depth, words: stepWords(step, names), ...(counts.get(step.id) ?? { reached: 0, contacts: 0 }) }
    if (step.type !== 'branch') return [row]
    const arm = (words: string, steps: readonly Step[]): StepReportRow[] => [
      { depth: depth + 1, words, reached: 0, contacts: 0, heading: true },
      ...(steps.length > 0
        ? stepRows(steps, names, counts, depth + 2)
        : [{ depth: depth + 2, words: '(nothing)', reached: 0, contacts: 0, heading: true }]),
    ]
    // An empty "otherwise" is left out, as in the summary.
    return [row, ...arm('then:', step.yes), ...(step.no.length > 0 ? arm('otherwise:', step.no) : [])]
  })
}

/** What "Run for one contact" answered when it was refused, shown in its form. */
type RunForm = { email: string; error: string; status: 409 | 422 }

async function reportPage(c: Context<AuthEnv>, stored: StoredCampaign, run?: RunForm) {
  const db = createDb(c.env.DB)
  const { campaign, definition } = stored
  const [names, totals, versions] = await Promise.all([
    campaignNames(c.env, c.var.workspaceId),
    campaignStepTotals(db, c.var.workspaceId, campaign.id),
    listCampaignVersions(db, c.var.workspaceId, campaign.id),
  ])
  const current = new Map(totals.filter((t) => t.version === campaign.currentVersion).map((t) => [t.stepId, t]))
  const summary = summarizeCampaign(definition, names)
  const body = campaignScreen({
    stored,
    summary,
    sentence: summarySentence(summary),
    // The same figures as the REST report (campaign-report.ts), so the page and the API agree.
    ...figuresOf(totals),
    steps: stepRows(definition.steps, names, current),
    versions: versions.map((row) => ({
      version: row.version,
      savedBy: (row.createdBy && names.users.get(row.createdBy)) ?? '—',
      savedAt: row.createdAt,
      ...figuresOf(totals, row.version),
    })),
    canEdit: canEdit(c.var.user),
    notice: c.req.query('notice'),
    run: { email: run?.email ?? '', error: run?.error },
    alert: pageAlertShape(definition, campaign.category)
      ? { page: `/admin/alerts/${campaign.id}`, edit: `/admin/alerts/${campaign.id}/edit` }
      : undefined,
  })
  return renderPage(c, { title: campaign.name, section: 'campaigns', user: c.var.user, body, status: run?.status ?? 200 })
}

adminCampaigns.get('/:id', async (c) => reportPage(c, await loadCampaign(c.env, c.var.workspaceId, c.req.param('id'))))

/** "Run for one contact", named by e-mail; the campaign must be ON with a manual trigger, and its run limit applies. */
adminCampaigns.post('/:id/run', async (c) => {
  const email = formText(await c.req.formData(), 'email')
    .trim()
    .toLowerCase()
  const stored = await loadCampaign(c.env, c.var.workspaceId, c.req.param('id'))
  const contact = email ? await findContactByEmail(createDb(c.env.DB), c.var.workspaceId, email) : null
  if (!contact) return reportPage(c, stored, { email, error: 'No contact with this e-mail in your workspace.', status: 422 })
  const run = await runCampaignForContact(c.env, {
    workspaceId: c.var.workspaceId,
    campaign: stored,
    contactId: contact.id,
    at: Date.now(),
  })
  if (!run.ok) return reportPage(c, stored, { email, error: run.errors[0]?.reason ?? 'refused', status: run.status === 409 ? 409 : 422 })
  return c.redirect(`/admin/campaigns/${stored.campaign.id}?notice=campaign-run`, 303)
})

async function activationPage(c: Context<AuthEnv>, stored: StoredCampaign, errors: FieldError[], status: 200 | 409 | 422 | 400 = 200) {
  const summary = summarizeCampaign(stored.definition, await campaignNames(c.env, c.var.workspaceId))
  return renderPage(c, {
    title: `Switch ON ${stored.campaign.name}`,
    section: 'campaigns',
    user: c.var.user,
    body: activationScreen({ stored, summary, sentence: summarySentence(summary), errors }),
    status,
  })
}

adminCampaigns.get('/:id/activate', async (c) => {
  const stored = await loadCampaign(c.env, c.var.workspaceId, c.req.param('id'))
  // Already ON (a second tab, the back button): its page says so.
  if (stored.campaign.active) return c.redirect(`/admin/campaigns/${stored.campaign.id}`, 303)
  return activationPage(c, stored, [])
})

adminCampaigns.post('/:id/activate', async (c) => {
  await c.req.arrayBuffer()
  const stored = await loadCampaign(c.env, c.var.workspaceId, c.req.param('id'))
  const switched = await switchCampaign(c.env, c.var.workspaceId, stored, true)
  if (!switched) throw gone()
  if (!switched.ok) return activationPage(c, stored, switched.errors, switched.status)
  return c.redirect(`/admin/campaigns/${stored.campaign.id}?notice=campaign-on`, 303)
})

adminCampaigns.post('/:id/deactivate', async (c) => {
  await c.req.arrayBuffer()
  const stored = await loadCampaign(c.env, c.var.workspaceId, c.req.param('id'))
  const switched = await switchCampaign(c.env, c.var.workspaceId, stored, false)
  if (!switched?.ok) throw gone()
  return c.redirect(`/admin/campaigns/${stored.campaign.id}?notice=campaign-off`, 303)
})

adminCampaigns.post('/:id/delete', async (c) => {
  await c.req.arrayBuffer()
  if (!(await removeCampaign(c.env, c.var.workspaceId, c.req.param('id')))) throw gone()
  return c.redirect('/admin/campaigns?notice=campaign-deleted', 303)
})
