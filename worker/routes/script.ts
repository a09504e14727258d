// Serves the tracking script. `/pb.js` is what the snippet loads: cached for an hour (and
// revalidated by ETag) so site owners get fixes within the hour. `/pb.<version>.js` is the
// versioned URL for sites that pin a build (or set a strict CSP/SRI): it never changes, so it
// is cached for a year and marked immutable; an unknown version is a 404, never another build.
// Compression (gzip/brotli) is negotiated by Cloudflare's edge, as for any text/javascript.
import { Hono } from 'hono'
import { PB_SCRIPT, PB_VERSION } from '../generated/pb-script'

export const script = new Hono<{ Bindings: Env }>()

const ETAG = `"${PB_VERSION}"`

script.get('/:file{pb(\\.[0-9a-f]+)?\\.js}', (c) => {
  const file = c.req.param('file')
  const versioned = file !== 'pb.js'
  if (versioned && file !== `pb.${PB_VERSION}.js`) return c.json({ error: 'unknown script version' }, 404)
  const headers = {
    'content-type': 'text/javascript; charset=utf-8',
    'cache-control': versioned ? 'public, max-age=31536000, immutable' : 'public, max-age=3600, stale-while-revalidate=86400',
    etag: ETAG,
    'access-control-allow-origin': '*',
    'x-content-type-options': 'nosniff',
    // Where the pinned copy of this build lives, for the site's snippet generator and for people.
    link: `</pb.${PB_VERSION}.js>; rel="canonical"`,
  }
  if (c.req.header('if-none-match') === ETAG) return c.body(null, 304, headers)
  return c.body(PB_SCRIPT, 200, headers)
})
