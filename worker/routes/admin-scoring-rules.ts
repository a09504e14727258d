// /admin/scoring-rules — lead-scoring rules in the web UI: the list, the form (new and edit),
// deleting. Changes go through the scoring-rule service, as the REST API's do. Sales reps see
// the rules and change nothing.
import { Hono, type Context } from 'hono'
import { ScoringRuleDefinition } from '../../durable-objects/contracts/campaign'
import type { Checked } from '../campaigns/checked'
import { createScoringRule, removeScoringRule, saveScoringRule } from '../campaigns/scoring-rule-changes'
import { formText } from '../admin/form-fields'
import { renderPage } from '../admin/render'
import { scoringDraft, scoringDraftFromForm, scoringInput, type ScoringDraft } from '../admin/ui/campaign-draft'
import { saveDraft } from '../admin/ui/campaign-form-tree'
import { scoringForm, scoringScreen } from '../admin/ui/scoring-screens'
import { createDb } from '../db/client'
import { findScoringRule, listScoringRules, type ScoringRuleRow } from '../db/queries/scoring-rules'
import type { FieldError } from '../field-errors'
import { authenticate, type AuthEnv } from '../middleware/authenticate'
import { HttpError } from '../middleware/http-error'
import { ALERT_EDITORS, requireRole } from '../middleware/require-role'

export const adminScoringRules = new Hono<AuthEnv>()

adminScoringRules.use('*', authenticate({ via: 'session' }))
adminScoringRules.on('POST', ['/', '/*'], requireRole(...ALERT_EDITORS))
adminScoringRules.on('GET', ['/new', '/:id'], requireRole(...ALERT_EDITORS))

const gone = () => new HttpError(404, 'not found', 'no scoring rule with this id in your workspace')

async function loadRule(env: Env, workspaceId: string, id: string): Promise<ScoringRuleRow> {
  const found = await findScoringRule(createDb(env.DB), workspaceId, id)
  if (!found) throw gone()
  return found
}

adminScoringRules.get('/', async (c) => {
  const rows = await listScoringRules(createDb(c.env.DB), c.var.workspaceId)
  return renderPage(c, {
    title: 'Scoring rules',
    section: 'campaigns',
    user: c.var.user,
    body: scoringScreen({ rows, canEdit: ALERT_EDITORS.includes(c.var.user.role), notice: c.req.query('notice') }),
  })
})

type Form = { title: string; action: string; heading: string; cancel: string; remove?: string }

const formPage = (c: Context<AuthEnv>, form: Form, draft: ScoringDraft, errors: FieldError[], status: 200 | 400 = 200) =>
  renderPage(c, { title: form.title, section: 'campaigns', user: c.var.user, body: scoringForm({ ...form, draft, errors }), status })

async function formPost(
  c: Context<AuthEnv>,
  form: Form,
  save: (d: ScoringRuleDefinition) => Promise<Checked<ScoringRuleRow> | null>,
  notice: string,
) {
  const posted = await c.req.formData()
  const draft = scoringDraftFromForm(posted)
  // "Change" (a new type chosen) shows that type's fields.
  if ((formText(posted, 'action') || 'save') !== 'save') return formPage(c, form, draft, [])
  return saveDraft({
    schema: ScoringRuleDefinition,
    converted: scoringInput(draft),
    save,
    refused: (errors) => formPage(c, form, draft, errors, 400),
    done: () => c.redirect(`/admin/scoring-rules?notice=${notice}`, 303),
    gone,
  })
}

const NEW_RULE: Form = {
  title: 'New scoring rule',
  action: '/admin/scoring-rules/new',
  heading: 'New scoring rule',
  cancel: '/admin/scoring-rules',
}

adminScoringRules.get('/new', (c) => formPage(c, NEW_RULE, { name: '', on: { type: 'form-submitted' }, points: '10', decayDays: '' }, []))

adminScoringRules.post('/new', (c) => formPost(c, NEW_RULE, (d) => createScoringRule(c.env, c.var.user, d), 'rule-created'))

const editForm = (row: ScoringRuleRow): Form => ({
  title: `Edit ${row.definition.name}`,
  action: `/admin/scoring-rules/${row.id}`,
  heading: `Edit “${row.definition.name}”`,
  cancel: '/admin/scoring-rules',
  remove: `/admin/scoring-rules/${row.id}/delete`,
})

adminScoringRules.get('/:id', async (c) => {
  const row = await loadRule(c.env, c.var.workspaceId, c.req.param('id'))
  return formPage(c, editForm(row), scoringDraft(row.definition), [])
})

adminScoringRules.post('/:id', async (c) => {
  const row = await loadRule(c.env, c.var.workspaceId, c.req.param('id'))
  return formPost(c, editForm(row), (d) => saveScoringRule(c.env, c.var.workspaceId, row.id, d), 'rule-saved')
})

adminScoringRules.post('/:id/delete', async (c) => {
  await c.req.arrayBuffer()
  if (!(await removeScoringRule(c.env, c.var.workspaceId, c.req.param('id')))) throw gone()
  return c.redirect('/admin/scoring-rules?notice=rule-deleted', 303)
})
