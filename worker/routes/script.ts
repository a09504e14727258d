// Serves the tracking script. `/pb.js` is cached for an hour so site owners get fixes;
// `/pb.<version>.js` never changes and is cached for a year.
import { Hono } from 'hono'
import { PB_SCRIPT, PB_VERSION } from '../generated/pb-script'

export const script = new Hono<{ Bindings: Env }>()

const serve = (cacheControl: string) => ({
  'content-type': 'text/javascript; charset=utf-8',
  'cache-control': cacheControl,
  etag: `"${PB_VERSION}"`,
  'access-control-allow-origin': '*',
})

script.get('/:file{pb(\\.[0-9a-f]+)?\\.js}', (c) => {
  const file = c.req.param('file')
  const versioned = file !== 'pb.js'
  if (versioned && file !== `pb.${PB_VERSION}.js`) return c.json({ error: 'unknown script version' }, 404)
  const headers = serve(versioned ? 'public, max-age=31536000, immutable' : 'public, max-age=3600')
  if (c.req.header('if-none-match') === headers.etag) return c.body(null, 304, headers)
  return c.body(PB_SCRIPT, 200, headers)
})
