// /admin/assets — the admin UI's one stylesheet and one script, served by the worker so the
// pages' Content-Security-Policy can refuse every inline script.
import { Hono } from 'hono'
import { ADMIN_CSS, ADMIN_JS } from '../admin/ui/assets'

export const adminAssets = new Hono<{ Bindings: Env }>()

adminAssets.get('/admin.css', (c) => c.body(ADMIN_CSS, 200, { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'max-age=300' }))
adminAssets.get('/admin.js', (c) =>
  c.body(ADMIN_JS, 200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'max-age=300' }),
)
