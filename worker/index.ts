// Pagebell worker: assembles the routes, the queue consumer and the Durable Object classes.
import { Hono } from 'hono'
import type { AlertJob } from '../durable-objects/alert-job'
import { consumeAlerts } from './delivery/consumer'
import { transportFromEnv } from './delivery/transports'
import { admin } from './routes/admin'
import { collect } from './routes/collect'
import { demo } from './routes/demo'
import { script } from './routes/script'

export { ContactObject } from '../durable-objects/contact-object'
export { VisitorObject } from '../durable-objects/visitor-object'

const app = new Hono<{ Bindings: Env }>()

app.onError((err, c) => {
  console.error(err)
  return c.json({ error: 'internal error' }, 500)
})
app.notFound((c) => c.json({ error: 'not found' }, 404))

app.get('/', (c) => c.redirect('/demo'))
app.route('/', script)
app.route('/api/collect', collect)
app.route('/demo', demo)
app.route('/admin', admin)

export default {
  fetch: app.fetch,
  async queue(batch: MessageBatch<AlertJob>, env: Env) {
    await consumeAlerts(batch, env, transportFromEnv(env))
  },
} satisfies ExportedHandler<Env, AlertJob>
