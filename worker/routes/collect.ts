// POST /api/collect — the one public endpoint the tracking script sends batches to.
// Order matters: validate (4xx), find the site (404, or 503 while unknown keys flood the
// lookups), policy (202 + counted), the site's quota and the visitor's rate limit (429), then the
// shard holding the visitor stores the events; a 200 means they are durably stored.
// Nothing here reads or keeps the client's IP address.
import { Hono, type Context } from 'hono'
import { visitorStub } from '../../durable-objects/contact-stub'
import type { SiteContext } from '../../durable-objects/contracts/site-context'
import { localDay } from '../../durable-objects/rules/calendar'
import { countDrop } from '../collect/drop-counter'
import { noteLastSeen } from '../collect/last-seen'
import { claimedIdentity } from '../collect/identity'
import { originAllowed, policyDrop, type DropReason } from '../collect/policy'
import { readBatch } from '../collect/read-batch'
import { lookupSite } from '../collect/site-cache'
import { admitSiteRequest } from '../collect/site-quota-leases'
import type { CollectSite } from '../db/queries/sites'

export const collect = new Hono<{ Bindings: Env }>()

const corsHeaders = (origin: string) => ({
  'access-control-allow-origin': origin,
  'access-control-allow-methods': 'POST',
  'access-control-allow-headers': 'content-type',
  'access-control-max-age': '86400',
  vary: 'origin',
})

const siteContext = (site: CollectSite, checkedAt: number): SiteContext => ({
  siteId: site.id,
  workspaceId: site.workspaceId,
  rulesVersion: site.rulesVersion,
  calendar: { timeZone: site.timeZone, weekStartsOn: site.weekStartsOn },
  requireVerifiedIdentity: site.requireVerifiedIdentity,
  checkedAt,
})

const tooMany = (c: Context, retryAfterSeconds: number) =>
  c.json({ error: 'rate limited' }, 429, { 'retry-after': String(retryAfterSeconds) })

function dropped(c: Context<{ Bindings: Env }>, site: CollectSite, reason: DropReason, at: number) {
  c.executionCtx.waitUntil(countDrop(c.env.DB, { siteId: site.id, day: localDay(at, site.timeZone), reason }))
  return c.json({ dropped: reason }, 202)
}

// A preflight carries no body, so only a sender that names its site (`?site=KEY`) gets CORS
// headers, and only for that site's own origins. The script sends text/plain: no preflight.
collect.options('/', async (c) => {
  const origin = c.req.header('origin')
  const key = c.req.query('site')
  const found = key ? await lookupSite(c.env.DB, key) : null
  const site = found?.status === 'found' ? found.site : null
  return origin && site && originAllowed(origin, site.allowedDomains) ? c.body(null, 204, corsHeaders(origin)) : c.body(null, 204)
})

collect.post('/', async (c) => {
  const read = await readBatch(c.req.raw)
  if (!read.ok) return c.json({ error: read.reason }, read.status)
  const { batch } = read
  const found = await lookupSite(c.env.DB, batch.site)
  if (found.status === 'busy') return c.json({ error: 'site lookup busy' }, 503, { 'retry-after': String(found.retryAfterSeconds) })
  if (found.status === 'unknown') return c.json({ error: 'unknown site' }, 404)
  const { site } = found

  const origin = c.req.header('origin') ?? null
  if (origin && originAllowed(origin, site.allowedDomains)) {
    c.header('access-control-allow-origin', origin)
    c.header('vary', 'origin')
  }
  const receivedAt = Date.now()
  const drop = policyDrop(c.req.raw, site)
  if (drop) return dropped(c, site, drop, receivedAt)
  const admitted = await admitSiteRequest(c.env, site.id, receivedAt, (work) => c.executionCtx.waitUntil(work))
  if (!admitted.ok) return tooMany(c, admitted.retryAfterSeconds)

  const result = await visitorStub(c.env, site.id, batch.visitor).recordEvents({
    site: siteContext(site, found.readAt),
    visitorId: batch.visitor,
    defaultOwnerId: site.defaultOwnerId,
    events: batch.events,
    receivedAt,
    claim: await claimedIdentity(site, batch.events),
  })
  if (result.status === 'limited') return tooMany(c, result.retryAfterSeconds)
  c.executionCtx.waitUntil(noteLastSeen(c.env.DB, site.id, origin, receivedAt))
  // The events are stored either way; `dropped` says the batch's identity was not made a contact (the site's hourly cap).
  const body = { accepted: result.accepted, duplicates: result.duplicates, ...(result.dropped ? { dropped: result.dropped } : {}) }
  return c.json(body, 200)
})
