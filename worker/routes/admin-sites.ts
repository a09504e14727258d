// /admin/sites — the sites screens: the list, a site's page (snippet, install check, settings,
// signed identify examples), and for admins the form (new and edit) and delete. The install
// check also answers as JSON (`/:id/install`) for the page's script, which refreshes it until
// the first event arrives. Forms are checked by the same schemas as /api/v1/sites.
import { Hono, type Context } from 'hono'
import * as v from 'valibot'
import { localDay } from '../../durable-objects/rules/calendar'
import { renderPage } from '../admin/render'
import { emptySite, siteDraft, siteFromForm, siteToInput, type SiteDraft } from '../admin/settings-forms'
import { errorsOf, noErrors } from '../admin/ui/form-controls'
import { installMessage, siteFormScreen, siteScreen, sitesScreen } from '../admin/ui/sites-screens'
import { createDb } from '../db/client'
import type { AuthUser } from '../db/queries/auth'
import { siteDropsOn } from '../db/queries/site-drops'
import { listSites } from '../db/queries/sites'
import { findWorkspace, workspaceUsers } from '../db/queries/workspaces'
import { fieldErrors, type FieldError } from '../field-errors'
import { authenticate, type AuthEnv } from '../middleware/authenticate'
import { HttpError } from '../middleware/http-error'
import { loadSite, noSuchSite, type SiteEnv } from '../middleware/load-site'
import { requireRole } from '../middleware/require-role'
import { installCheck } from '../sites/install-check'
import { changeSite, createSite, removeSite } from '../sites/site-changes'
import { NewSiteBody, SitePatchBody } from '../sites/site-input'
import { decodePageCursor, encodePageCursor } from '../page-cursor'
import { siteSnippet } from '../sites/snippet'

export const adminSites = new Hono<AuthEnv>()

adminSites.use('*', authenticate({ via: 'session' }))
adminSites.on('POST', ['/', '/*'], requireRole('admin'))
adminSites.on('GET', ['/new', '/:id/edit'], requireRole('admin'))

const PAGE_SIZE = 50
const canEdit = (user: AuthUser) => user.role === 'admin'

async function workspaceOf(env: Env, workspaceId: string) {
  const workspace = await findWorkspace(createDb(env.DB), workspaceId)
  if (!workspace) throw new HttpError(404, 'not found', 'your workspace no longer exists')
  return workspace
}

adminSites.get('/', async (c) => {
  const db = createDb(c.env.DB)
  const cursor = c.req.query('cursor')
  const after = cursor ? (decodePageCursor(cursor) ?? undefined) : undefined
  const [page, users] = await Promise.all([
    listSites(db, c.var.workspaceId, { limit: PAGE_SIZE, after }),
    workspaceUsers(db, c.var.workspaceId),
  ])
  const last = page.rows.at(-1)
  const body = sitesScreen({
    sites: page.rows.map((site) => ({ site, check: installCheck(site) })),
    users,
    canEdit: canEdit(c.var.user),
    nextPage: page.more && last ? `/admin/sites?cursor=${encodePageCursor(last)}` : null,
    notice: c.req.query('notice'),
  })
  return renderPage(c, { title: 'Sites', section: 'sites', user: c.var.user, body })
})

type Form = { title: string; heading: string; action: string; cancel: string }

const NEW_SITE: Form = { title: 'Add a site', heading: 'Add a site', action: '/admin/sites/new', cancel: '/admin/sites' }

// Typed against any context: the form serves routes with and without a loaded site.
async function formPage(c: Context, env: Env, user: AuthUser, form: Form, draft: SiteDraft, errors: FieldError[]) {
  const [workspace, users] = await Promise.all([workspaceOf(env, user.workspaceId), workspaceUsers(createDb(env.DB), user.workspaceId)])
  const body = siteFormScreen({
    heading: form.heading,
    action: form.action,
    cancel: form.cancel,
    draft,
    users,
    errors: errors.length ? errorsOf(errors) : noErrors,
    errorCount: errors.length,
    workspaceHonors: workspace.honorPrivacySignals,
    hasIdentitySecret: workspace.identitySecret !== null,
  })
  return renderPage(c, { title: form.title, section: 'sites', user, body, status: errors.length ? 400 : 200 })
}

adminSites.get('/new', (c) => formPage(c, c.env, c.var.user, NEW_SITE, emptySite(c.var.user.id), []))

adminSites.post('/new', async (c) => {
  const draft = siteFromForm(await c.req.formData())
  const parsed = v.safeParse(NewSiteBody, siteToInput(draft))
  if (!parsed.success) return formPage(c, c.env, c.var.user, NEW_SITE, draft, fieldErrors(parsed.issues))
  const created = await createSite(c.env, c.var.user, parsed.output)
  if (!created.ok) return formPage(c, c.env, c.var.user, NEW_SITE, draft, created.errors)
  return c.redirect(`/admin/sites/${created.site.id}?notice=site-created`, 303)
})

adminSites.get('/:id', loadSite(), async (c) => {
  const db = createDb(c.env.DB)
  const site = c.var.site
  const [workspace, users] = await Promise.all([workspaceOf(c.env, c.var.workspaceId), workspaceUsers(db, c.var.workspaceId)])
  const drops = await siteDropsOn(db, site.id, localDay(Date.now(), workspace.timeZone))
  const body = siteScreen({
    site,
    snippet: siteSnippet(new URL(c.req.url).origin, site.key, site.honorPrivacySignals || workspace.honorPrivacySignals),
    check: installCheck(site),
    drops,
    users,
    canEdit: canEdit(c.var.user),
    workspaceHonors: workspace.honorPrivacySignals,
    hasIdentitySecret: workspace.identitySecret !== null,
    notice: c.req.query('notice'),
  })
  return renderPage(c, { title: site.name, section: 'sites', user: c.var.user, body })
})

/** The install check for the site page's script: its state and the sentence to show. */
adminSites.get('/:id/install', loadSite(), (c) => {
  const check = installCheck(c.var.site)
  c.header('cache-control', 'no-store')
  return c.json({ state: check.state, text: installMessage(check) })
})

const editForm = (site: SiteEnv['Variables']['site']): Form => ({
  title: `Edit ${site.name}`,
  heading: `Edit "${site.name}"`,
  action: `/admin/sites/${site.id}/edit`,
  cancel: `/admin/sites/${site.id}`,
})

adminSites.get('/:id/edit', loadSite(), (c) => formPage(c, c.env, c.var.user, editForm(c.var.site), siteDraft(c.var.site), []))

adminSites.post('/:id/edit', loadSite(), async (c) => {
  const draft = siteFromForm(await c.req.formData())
  const parsed = v.safeParse(SitePatchBody, siteToInput(draft))
  if (!parsed.success) return formPage(c, c.env, c.var.user, editForm(c.var.site), draft, fieldErrors(parsed.issues))
  const changed = await changeSite(c.env, c.var.workspaceId, c.var.site.id, parsed.output)
  if (!changed) throw noSuchSite()
  if (!changed.ok) return formPage(c, c.env, c.var.user, editForm(c.var.site), draft, changed.errors)
  return c.redirect(`/admin/sites/${c.var.site.id}?notice=site-saved`, 303)
})

adminSites.post('/:id/delete', async (c) => {
  await c.req.arrayBuffer()
  if (!(await removeSite(c.env, c.var.workspaceId, c.req.param('id')))) throw noSuchSite()
  return c.redirect('/admin/sites?notice=site-deleted', 303)
})
