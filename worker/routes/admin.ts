// GET /admin — placeholder until the admin UI lands: shows what the local instance holds.
import { Hono } from 'hono'
import { html } from 'hono/html'

export const admin = new Hono<{ Bindings: Env }>()

admin.get('/', (c) =>
  c.html(html`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Pagebell admin</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:720px;margin:40px auto;padding:0 24px;color:#1d2330}</style></head>
<body><h1>Pagebell admin</h1><p>The admin UI is coming. The demo workspace has a site for <code>localhost</code> and the
alert "Pricing interest" on <code>/demo/pricing/**</code> (10 s, once a day, to the owner with one CC).</p>
<p><a href="/demo">Open the demo site</a></p></body></html>`),
)
