// /admin/setup — the first run: on an instance with no user, a form creates the workspace and
// its first admin and logs them in. Once any user exists it is closed: the form redirects to the
// login page and a post is refused (404), and the check is the insert itself, so two racing
// setups cannot both succeed. While no user exists the login page leads here instead.
// `npm run setup` (scripts/setup.ts) does the same from a terminal.
import { Hono, type Context } from 'hono'
import { renderPage } from '../admin/render'
import { emptySetup, setupFromForm, setupToInput, type SetupDraft } from '../admin/settings-forms'
import { errorsOf, noErrors } from '../admin/ui/form-controls'
import { setupScreen } from '../admin/ui/setup-screen'
import { createDb } from '../db/client'
import { instanceHasUsers } from '../db/queries/workspaces'
import type { FieldError } from '../field-errors'
import { crossSiteForm, sameOrigin, startSessionCookie } from '../middleware/authenticate'
import { HttpError } from '../middleware/http-error'
import { configuredSetupToken, setupTokenMatches } from '../workspace/setup-token'
import { setUpInstance } from '../workspace/workspace-changes'
import { checkSetup } from '../workspace/workspace-input'

export const adminSetup = new Hono<{ Bindings: Env }>()

const isSetUp = (env: Env) => instanceHasUsers(createDb(env.DB))

const closed = () => new HttpError(404, 'not found', 'this Pagebell is already set up: log in instead')

adminSetup.use('/login', async (c, next) => {
  if (c.req.method === 'GET' && !(await isSetUp(c.env))) return c.redirect('/admin/setup', 302)
  await next()
})

const form = (c: Context<{ Bindings: Env }>, draft: SetupDraft, errors: FieldError[], firstVisit: boolean) =>
  renderPage(c, {
    title: 'Set up Pagebell',
    section: 'setup',
    user: null,
    body: setupScreen({
      draft,
      errors: errors.length ? errorsOf(errors) : noErrors,
      errorCount: errors.length,
      needsToken: configuredSetupToken(c.env) !== null,
      firstVisit,
    }),
    status: errors.length ? 400 : 200,
  })

adminSetup.get('/setup', async (c) => {
  if (await isSetUp(c.env)) return c.redirect('/admin/login', 302)
  return form(c, emptySetup(), [], true)
})

adminSetup.post('/setup', async (c) => {
  if (!sameOrigin(c.req.raw)) throw crossSiteForm()
  const draft = setupFromForm(await c.req.formData())
  if (await isSetUp(c.env)) throw closed()
  const token = configuredSetupToken(c.env)
  if (token !== null && !setupTokenMatches(token, draft.token))
    return form(c, draft, [{ field: 'token', reason: 'not the setup token of this deployment' }], false)
  const checked = checkSetup(setupToInput(draft))
  if (!checked.ok) return form(c, draft, checked.errors, false)
  const admin = await setUpInstance(c.env, checked.value)
  if (!admin) throw closed()
  // As the login form does: the new admin goes straight in.
  await startSessionCookie(c, admin)
  return c.redirect('/admin/sites?notice=welcome', 303)
})
