// The per-site request quota of the collect endpoint, one object per site, shared by every
// isolate: a token bucket (durable-objects/rules/token-bucket.ts) that hands tokens out in
// leases, so an isolate asks once per lease, not once per request (worker/collect/site-quota.ts
// is the isolate's side). Tokens are deducted when granted, so however many isolates hold
// leases, a site never gets more than `burst + perSecond × t` requests through in time t.
//
// The bucket lives in memory only: no storage write per lease. An object is evicted only after
// it has been idle, when its bucket would have refilled anyway; a fresh one starts full.
import { DurableObject } from 'cloudflare:workers'
import { takeTokens, type Bucket, type Rate } from './rules/token-bucket'

/**
 * Requests per site across all isolates. A busy real site (10,000 visitors on it at once, each
 * sending a heartbeat every 15 s) sends under 700 per second; the burst absorbs a traffic spike
 * or a batch of retries after an outage. Above this a site is flooding, and the requests are
 * answered 429 before they reach a visitor shard or D1.
 */
export const SITE_QUOTA: Rate = { perSecond: 1_000, burst: 20_000 }

export type LeaseRequest = { want: number; rate: Rate }
/** `granted` tokens to spend; with 0, ask again no sooner than `retryAfterMs`. */
export type LeaseGrant = { granted: number; retryAfterMs: number }

export class SiteQuota extends DurableObject<Env> {
  private bucket: Bucket | null = null

  lease(request: LeaseRequest): LeaseGrant {
    const taken = takeTokens(this.bucket, request.rate, request.want, Date.now())
    this.bucket = taken.bucket
    return { granted: taken.granted, retryAfterMs: taken.retryAfterMs }
  }
}

/** The only way to reach a site's quota object. */
export const siteQuotaStub = (env: Env, siteId: string) => env.SITE_QUOTA.get(env.SITE_QUOTA.idFromName(`quota:${siteId}`))
