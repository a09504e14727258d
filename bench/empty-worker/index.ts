// The baseline of the collect throughput bench: a Hono worker that reads the body (a handler
// that does not makes workerd drop keep-alive connections) and answers 204, nothing else.
import { Hono } from 'hono'

const app = new Hono()

app.post('/api/collect', async (c) => {
  await c.req.text()
  return c.body(null, 204)
})

export default app
