// Pagebell worker: assembles the routes, the queue consumer and the Durable Object classes.
import { Hono } from 'hono'
import { consumeQueue } from './delivery/consumer'
import type { DeliveryJob } from './delivery/delivery-job'
import { admin } from './routes/admin'
import { alertsApi } from './routes/alerts'
import { collect } from './routes/collect'
import { demo } from './routes/demo'
import { openapi } from './routes/openapi'
import { outboxApi } from './routes/outbox'
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
app.route('/api/v1/alerts', alertsApi)
app.route('/api/v1/outbox', outboxApi)
app.route('/api/v1/openapi.json', openapi)

export default {
  fetch: app.fetch,
  queue: consumeQueue,
} satisfies ExportedHandler<Env, DeliveryJob>
