// Pagebell worker: assembles the routes, the queue consumer and the Durable Object classes.
// Two route groups: the REST API under /api/v1 (errors as JSON) and the admin UI under /admin
// (errors as pages, `errorPages`); one error handler renders both.
import { Hono } from 'hono'
import type { QueueJob } from '../durable-objects/contracts/queue-job'
import { consumeQueue } from './delivery/consumer'
import { sweepOnSchedule } from './delivery/outbox-sweeper'
import { errorPages } from './middleware/error-pages'
import { handleError, type ErrorEnv } from './middleware/http-error'
import { adminAccount } from './routes/admin-account'
import { adminAlerts } from './routes/admin-alerts'
import { adminAssets } from './routes/admin-assets'
import { adminCampaigns } from './routes/admin-campaigns'
import { adminContacts } from './routes/admin-contacts'
import { adminLinks } from './routes/admin-links'
import { adminLists } from './routes/admin-lists'
import { adminLogin } from './routes/admin-login'
import { adminOutbox } from './routes/admin-outbox'
import { adminScoringRules } from './routes/admin-scoring-rules'
import { adminSetup } from './routes/admin-setup'
import { adminSites } from './routes/admin-sites'
import { adminTeam } from './routes/admin-team'
import { adminTokens } from './routes/admin-tokens'
import { adminWorkspace } from './routes/admin-workspace'
import { alerts } from './routes/alerts'
import { campaigns } from './routes/campaigns'
import { collect } from './routes/collect'
import { contacts } from './routes/contacts'
import { demo } from './routes/demo'
import { lists } from './routes/lists'
import { openApiDocument } from './routes/openapi'
import { outbox } from './routes/outbox'
import { script } from './routes/script'
import { scoringRules } from './routes/scoring-rules'
import { sites } from './routes/sites'
import { testHooks } from './routes/test-hooks'
import { users } from './routes/users'
import { workspace } from './routes/workspace'

export { ContactObject } from '../durable-objects/contact-object'
export { VisitorObject } from '../durable-objects/visitor-object'
export { SiteQuota } from '../durable-objects/site-quota'

const api = new Hono<ErrorEnv>()
api.route('/alerts', alerts)
api.route('/outbox', outbox)
api.route('/workspace', workspace)
api.route('/sites', sites)
api.route('/contacts', contacts)
api.route('/users', users)
api.route('/campaigns', campaigns)
api.route('/lists', lists)
api.route('/scoring-rules', scoringRules)
api.get('/openapi.json', openApiDocument(api))

const admin = new Hono<ErrorEnv>()
admin.use(errorPages())
admin.route('/assets', adminAssets)
admin.route('/alerts', adminAlerts)
admin.route('/campaigns', adminCampaigns)
admin.route('/lists', adminLists)
admin.route('/scoring-rules', adminScoringRules)
admin.route('/outbox', adminOutbox)
admin.route('/tokens', adminTokens)
admin.route('/sites', adminSites)
admin.route('/contacts', adminContacts)
admin.route('/workspace', adminWorkspace)
admin.route('/team', adminTeam)
admin.route('/account', adminAccount)
admin.route('/', adminLinks)
// First: while the instance has no user, the login page leads to the setup form.
admin.route('/', adminSetup)
admin.route('/', adminLogin)

const app = new Hono<ErrorEnv>()
app.onError(handleError)
app.notFound((c) => c.json({ error: 'not found' }, 404))

app.get('/', (c) => c.redirect('/demo'))
app.route('/', script)
app.route('/api/collect', collect)
app.route('/demo', demo)
app.route('/admin', admin)
app.route('/api/v1', api)
app.route('/api/test', testHooks)

export default {
  fetch: app.fetch,
  queue: consumeQueue,
  scheduled: sweepOnSchedule,
} satisfies ExportedHandler<Env, QueueJob>
