// GET /demo/* — the demo site, served by the worker itself so it runs with one command.
import { Hono } from 'hono'
import { demoPages, layout } from '../demo/pages'

export const demo = new Hono<{ Bindings: Env }>()

const page = (path: string) => {
  const found = demoPages[path]
  return found ? layout(path, found.title, found.body) : null
}

demo.get('/*', (c) => {
  const path = c.req.path.replace(/\/$/, '') || '/demo'
  const html = page(path)
  return html ? c.html(html) : c.html(layout(path, 'Not found', '<h1>Not found</h1>'), 404)
})

// The form posts here after the script recorded the submit.
demo.post('/thanks', async (c) => {
  await c.req.arrayBuffer()
  return c.html(page('/demo/thanks')!)
})
