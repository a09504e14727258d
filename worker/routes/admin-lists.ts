// /admin/lists — smart lists in the web UI: the list, the form (new and edit; conditions added
// and removed by posting the form back), deleting. Changes go through the list service, as the
// REST API's do. Sales reps see the lists and change nothing.
import { Hono, type Context } from 'hono'
import { ListDefinition } from '../../durable-objects/contracts/campaign'
import { campaignNames, conditionWords } from '../campaigns/campaign-words'
import { createList, removeList, saveList } from '../campaigns/list-changes'
import { formText } from '../admin/form-fields'
import { renderPage } from '../admin/render'
import { applyBuilderAction } from '../admin/ui/campaign-builder-actions'
import { CONDITION_TYPES } from '../admin/ui/campaign-controls'
import { emptyCampaignDraft, listDraft, listDraftFromForm, listInput, type ListDraft } from '../admin/ui/campaign-draft'
import { saveDraft } from '../admin/ui/campaign-form-tree'
import { listForm, listsScreen } from '../admin/ui/list-screens'
import { createDb } from '../db/client'
import { findList, listLists, type ListRow } from '../db/queries/lists'
import type { Checked } from '../campaigns/checked'
import type { FieldError } from '../field-errors'
import { authenticate, type AuthEnv } from '../middleware/authenticate'
import { HttpError } from '../middleware/http-error'
import { ALERT_EDITORS, requireRole } from '../middleware/require-role'
import { pageWithChoices } from './admin-campaigns'

export const adminLists = new Hono<AuthEnv>()

adminLists.use('*', authenticate({ via: 'session' }))
adminLists.on('POST', ['/', '/*'], requireRole(...ALERT_EDITORS))
adminLists.on('GET', ['/new', '/:id'], requireRole(...ALERT_EDITORS))

const gone = () => new HttpError(404, 'not found', 'no smart list with this id in your workspace')

async function loadList(env: Env, workspaceId: string, id: string): Promise<ListRow> {
  const found = await findList(createDb(env.DB), workspaceId, id)
  if (!found) throw gone()
  return found
}

adminLists.get('/', async (c) => {
  const [rows, names] = await Promise.all([listLists(createDb(c.env.DB), c.var.workspaceId), campaignNames(c.env, c.var.workspaceId)])
  const list = rows.map((row) => ({ row, words: row.definition.conditions.map((cond) => conditionWords(cond, names)) }))
  return renderPage(c, {
    title: 'Smart lists',
    section: 'campaigns',
    user: c.var.user,
    body: listsScreen({ rows: list, canEdit: ALERT_EDITORS.includes(c.var.user.role), notice: c.req.query('notice') }),
  })
})

type Form = { title: string; action: string; heading: string; cancel: string; remove?: string }

const formPage = (
  c: Context<AuthEnv>,
  form: Form,
  draft: ListDraft,
  errors: FieldError[],
  focus: string | null = null,
  status: 200 | 400 | 409 | 422 = 200,
) => pageWithChoices(c, form.title, (choices) => listForm({ ...form, draft, errors, focus, choices }), status)

const KINDS = { triggers: [], conditions: CONDITION_TYPES.map((t) => t.value) }

async function formPost(c: Context<AuthEnv>, form: Form, save: (d: ListDefinition) => Promise<Checked<ListRow> | null>, notice: string) {
  const posted = await c.req.formData()
  const draft = listDraftFromForm(posted)
  const action = formText(posted, 'action') || 'save'
  if (action !== 'save') {
    // The campaign builder's add / remove condition buttons, on a campaign draft holding just these conditions.
    const holder = { ...emptyCampaignDraft(), conditions: draft.conditions }
    const focus = applyBuilderAction(holder, action, (name) => formText(posted, name), KINDS)
    return formPage(c, form, { ...draft, conditions: holder.conditions }, [], focus)
  }
  return saveDraft({
    schema: ListDefinition,
    converted: listInput(draft),
    save,
    refused: (errors, status) => formPage(c, form, draft, errors, null, status),
    done: () => c.redirect(`/admin/lists?notice=${notice}`, 303),
    gone,
  })
}

const NEW_LIST: Form = { title: 'New smart list', action: '/admin/lists/new', heading: 'New smart list', cancel: '/admin/lists' }

adminLists.get('/new', (c) => formPage(c, NEW_LIST, { name: '', conditions: [{ type: 'score' }] }, []))

adminLists.post('/new', (c) => formPost(c, NEW_LIST, (d) => createList(c.env, c.var.user, d), 'list-created'))

const editForm = (row: ListRow): Form => ({
  title: `Edit ${row.definition.name}`,
  action: `/admin/lists/${row.id}`,
  heading: `Edit “${row.definition.name}”`,
  cancel: '/admin/lists',
  remove: `/admin/lists/${row.id}/delete`,
})

adminLists.get('/:id', async (c) => {
  const row = await loadList(c.env, c.var.workspaceId, c.req.param('id'))
  return formPage(c, editForm(row), listDraft(row.definition), [])
})

adminLists.post('/:id', async (c) => {
  const row = await loadList(c.env, c.var.workspaceId, c.req.param('id'))
  return formPost(c, editForm(row), (d) => saveList(c.env, c.var.workspaceId, row.id, d), 'list-saved')
})

adminLists.post('/:id/delete', async (c) => {
  await c.req.arrayBuffer()
  const row = await loadList(c.env, c.var.workspaceId, c.req.param('id'))
  const removed = await removeList(c.env, c.var.workspaceId, row.id)
  if (!removed) throw gone()
  if (!removed.ok) return formPage(c, editForm(row), listDraft(row.definition), removed.errors, null, removed.status)
  return c.redirect('/admin/lists?notice=list-deleted', 303)
})
