// /admin/workspace — the Settings screen (admins only): the workspace's settings, checked by the
// same schema as PATCH /api/v1/workspace, and the identity secret, created or rotated by a post
// whose answer is the one page that shows it.
import { Hono, type Context } from 'hono'
import { renderPage } from '../admin/render'
import { workspaceDraft, workspaceFromForm, workspaceToInput, type WorkspaceDraft } from '../admin/settings-forms'
import { errorsOf, noErrors } from '../admin/ui/form-controls'
import { workspaceScreen } from '../admin/ui/workspace-screen'
import { createDb } from '../db/client'
import { findWorkspace } from '../db/queries/workspaces'
import type { FieldError } from '../field-errors'
import { authenticate, type AuthEnv } from '../middleware/authenticate'
import { HttpError } from '../middleware/http-error'
import { requireRole } from '../middleware/require-role'
import { changeWorkspace, rotateIdentitySecret } from '../workspace/workspace-changes'
import { checkWorkspacePatch } from '../workspace/workspace-input'

export const adminWorkspace = new Hono<AuthEnv>()

adminWorkspace.use('*', authenticate({ via: 'session' }))
adminWorkspace.use('*', requireRole('admin'))

const gone = () => new HttpError(404, 'not found', 'your workspace no longer exists')

async function settingsPage(c: Context<AuthEnv>, extra: { draft?: WorkspaceDraft; errors?: FieldError[]; newSecret?: string } = {}) {
  const workspace = await findWorkspace(createDb(c.env.DB), c.var.workspaceId)
  if (!workspace) throw gone()
  const errors = extra.errors ?? []
  const body = workspaceScreen({
    workspace,
    draft: extra.draft ?? workspaceDraft(workspace),
    errors: errors.length ? errorsOf(errors) : noErrors,
    errorCount: errors.length,
    newSecret: extra.newSecret,
    notice: c.req.query('notice'),
  })
  return renderPage(c, { title: 'Settings', section: 'workspace', user: c.var.user, body, status: errors.length ? 400 : 200 })
}

adminWorkspace.get('/', (c) => settingsPage(c))

adminWorkspace.post('/', async (c) => {
  const draft = workspaceFromForm(await c.req.formData())
  const checked = checkWorkspacePatch(workspaceToInput(draft))
  if (!checked.ok) return settingsPage(c, { draft, errors: checked.errors })
  if (!(await changeWorkspace(c.env, c.var.workspaceId, checked.value))) throw gone()
  return c.redirect('/admin/workspace?notice=settings-saved', 303)
})

adminWorkspace.post('/identity-secret', async (c) => {
  await c.req.arrayBuffer()
  const rotated = await rotateIdentitySecret(c.env, c.var.workspaceId)
  if (!rotated) throw gone()
  c.header('cache-control', 'no-store')
  return settingsPage(c, { newSecret: rotated.secret })
})
