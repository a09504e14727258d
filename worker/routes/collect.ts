// POST /api/collect — the one public endpoint the tracking script sends batches to.
import { Hono } from 'hono'
import { visitorStub } from '../../durable-objects/contact-stub'
import type { SiteContext } from '../../durable-objects/site-context'
import { claimedIdentity } from '../collect/identity'
import { originAllowed, policyDrop } from '../collect/policy'
import { readBatch } from '../collect/read-batch'
import { siteByKey } from '../collect/site-cache'
import { createDb } from '../db/client'
import { identifyVisitor } from '../db/queries/contacts'
import type { CollectSite } from '../db/queries/sites'

export const collect = new Hono<{ Bindings: Env }>()

const corsHeaders = (origin: string) => ({
  'access-control-allow-origin': origin,
  'access-control-allow-methods': 'POST',
  'access-control-allow-headers': 'content-type',
  'access-control-max-age': '86400',
  vary: 'origin',
})

const siteContext = (site: CollectSite): SiteContext => ({
  siteId: site.id,
  workspaceId: site.workspaceId,
  rulesVersion: site.rulesVersion,
  calendar: { timeZone: site.timeZone, weekStartsOn: site.weekStartsOn },
  requireVerifiedIdentity: site.requireVerifiedIdentity,
})

// Preflight only happens for application/json; the script itself sends text/plain.
collect.options('/', (c) => {
  const origin = c.req.header('origin')
  return origin ? c.body(null, 204, corsHeaders(origin)) : c.body(null, 204)
})

collect.post('/', async (c) => {
  const read = await readBatch(c.req.raw)
  if (!read.ok) return c.json({ error: read.reason }, read.status)
  const { batch } = read
  const site = await siteByKey(c.env.DB, batch.site)
  if (!site) return c.json({ error: 'unknown site' }, 404)

  const origin = c.req.header('origin') ?? null
  if (origin && originAllowed(origin, site.allowedDomains)) c.header('access-control-allow-origin', origin), c.header('vary', 'origin')
  const dropped = policyDrop(c.req.raw, site.allowedDomains)
  if (dropped) return c.json({ dropped }, 202)

  const receivedAt = Date.now()
  const claim = await claimedIdentity(site, batch.events)
  const identity = claim
    ? (
        await identifyVisitor(createDb(c.env.DB), {
          workspaceId: site.workspaceId,
          siteId: site.id,
          visitorId: batch.visitor,
          defaultOwnerId: site.defaultOwnerId,
          ...claim,
        })
      ).snapshot
    : undefined

  const result = await visitorStub(c.env, site.id, batch.visitor).recordEvents({
    site: siteContext(site),
    events: batch.events,
    receivedAt,
    identity,
  })
  return c.json(result, 200)
})
