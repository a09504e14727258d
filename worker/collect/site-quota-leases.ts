// The isolate's side of the per-site quota (durable-objects/site-quota.ts): it spends tokens
// leased from the site's quota object, so the shared limit costs one object call per lease, not
// one per request. A lease is refilled in the background (`waitUntil`) when a quarter of it is
// left, so a steady site's requests never wait on the object; only an isolate's first request
// for a site, or one arriving after its lease ran dry, waits for a grant.
//
// How much to ask for adapts to the site's traffic in this isolate: a lease spent within a
// second doubles the next ask (up to MAX_LEASE), a lease that expired half unused starts again
// at MIN_LEASE, so a quiet site wastes few tokens and a busy one asks rarely. Unspent tokens
// expire with the lease (LEASE_TTL_MS), so an isolate that stops getting traffic cannot hoard
// a site's quota for long.
import type { Rate } from '../../durable-objects/rules/token-bucket'
import { SITE_QUOTA, siteQuotaStub, type LeaseGrant } from '../../durable-objects/site-quota'
import { LruMap } from '../../durable-objects/rules/lru-map'

export const LEASE_OPTIONS = {
  minLease: 10,
  maxLease: 500,
  leaseTtlMs: 30_000,
  /** A lease spent faster than this was too small. */
  fastMs: 1_000,
  /** A refused isolate asks again no sooner than this (a flooded site's object is asked about once a second per isolate). */
  minDenyMs: 1_000,
  /**
   * When the object cannot be reached, the isolate grants itself one lease of the size it asked
   * for, valid this long, and no more than one per this span: collection fails open, bounded by
   * maxLease requests per second per isolate and site.
   */
  fallbackTtlMs: 1_000,
  /** Sites remembered at most; the least recently used goes first. */
  maxSites: 10_000,
}

export type LeaseOptions = typeof LEASE_OPTIONS
export type QuotaAdmission = { ok: true } | { ok: false; retryAfterSeconds: number }

/** How this request reaches the quota object, and keeps a background refill alive after it answers. */
export type QuotaIo = { ask: (want: number) => Promise<LeaseGrant>; waitUntil: (work: Promise<void>) => void }

type Lease = {
  tokens: number
  expiresAt: number
  grantedAt: number
  want: number
  deniedUntil: number
  prefetching: boolean
  fallbackAt: number
}

const ADMITTED: QuotaAdmission = { ok: true }

export class SiteQuotaLeases {
  private readonly leases: LruMap<string, Lease>

  constructor(private readonly options: LeaseOptions = LEASE_OPTIONS) {
    this.leases = new LruMap(options.maxSites)
  }

  /** Admits one request of `siteId` at `now`, from this isolate's lease or a new grant. */
  async admit(siteId: string, now: number, io: QuotaIo): Promise<QuotaAdmission> {
    const lease = this.leaseOf(siteId)
    if (this.spend(lease, now)) {
      if (!lease.prefetching && lease.tokens <= lease.want / 4) {
        lease.prefetching = true
        io.waitUntil(this.refill(lease, now, io).finally(() => (lease.prefetching = false)))
      }
      return ADMITTED
    }
    if (now < lease.deniedUntil) return this.refused(lease, now)
    // Not joined with a refill another request started: a request must not wait on a promise
    // of another request's context. Tokens one request is granted serve the ones after it.
    await this.refill(lease, now, io)
    return this.spend(lease, now) ? ADMITTED : this.refused(lease, now)
  }

  /** Tokens this isolate holds for a site now (for tests and diagnostics). */
  tokensOf(siteId: string, now: number): number {
    const lease = this.leases.get(siteId)
    return lease && now < lease.expiresAt ? lease.tokens : 0
  }

  private leaseOf(siteId: string): Lease {
    let lease = this.leases.get(siteId)
    if (!lease) {
      lease = {
        tokens: 0,
        expiresAt: 0,
        grantedAt: 0,
        want: this.options.minLease,
        deniedUntil: 0,
        prefetching: false,
        fallbackAt: -Infinity,
      }
      this.leases.set(siteId, lease)
    }
    return lease
  }

  private spend(lease: Lease, now: number): boolean {
    if (lease.tokens < 1 || now >= lease.expiresAt) return false
    lease.tokens--
    return true
  }

  private refused(lease: Lease, now: number): QuotaAdmission {
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((lease.deniedUntil - now) / 1000)) }
  }

  private async refill(lease: Lease, now: number, io: QuotaIo): Promise<void> {
    const { minLease, maxLease, leaseTtlMs, fastMs, minDenyMs, fallbackTtlMs } = this.options
    const expired = now >= lease.expiresAt
    if (expired && lease.tokens > lease.want / 2) lease.want = minLease
    else if (now - lease.grantedAt < fastMs) lease.want = Math.min(maxLease, lease.want * 2)
    const want = lease.want
    let grant: LeaseGrant
    try {
      grant = await io.ask(want)
    } catch (err) {
      if (now - lease.fallbackAt < fallbackTtlMs) {
        lease.deniedUntil = lease.fallbackAt + fallbackTtlMs
        return
      }
      console.error('site quota unreachable; admitting on a short local lease', err)
      this.credit(lease, want, now, fallbackTtlMs)
      lease.fallbackAt = now
      return
    }
    if (grant.granted > 0) this.credit(lease, grant.granted, now, leaseTtlMs)
    else lease.deniedUntil = now + Math.max(minDenyMs, grant.retryAfterMs)
  }

  private credit(lease: Lease, granted: number, now: number, ttlMs: number): void {
    if (now >= lease.expiresAt) lease.tokens = 0
    lease.tokens += granted
    lease.expiresAt = now + ttlMs
    lease.grantedAt = now
    lease.deniedUntil = 0
  }
}

const leases = new SiteQuotaLeases()

let warned = false

const positive = (text: string | undefined) => {
  const n = Number(text)
  return text !== undefined && text.trim() !== '' && Number.isFinite(n) && n > 0 ? n : null
}

/**
 * The quota from `SITE_REQUESTS_PER_SECOND` and `SITE_REQUEST_BURST` (wrangler.toml [vars]); a
 * setting that is missing or not a positive number falls back to SITE_QUOTA, with a log line,
 * rather than stopping collection (logged once per isolate).
 */
export function siteQuotaRate(env: { SITE_REQUESTS_PER_SECOND?: string; SITE_REQUEST_BURST?: string }): Rate {
  const perSecond = positive(env.SITE_REQUESTS_PER_SECOND)
  const burst = positive(env.SITE_REQUEST_BURST)
  if ((perSecond === null || burst === null) && !warned) {
    warned = true
    console.error('SITE_REQUESTS_PER_SECOND / SITE_REQUEST_BURST are not positive numbers; using the defaults')
  }
  return { perSecond: perSecond ?? SITE_QUOTA.perSecond, burst: Math.floor(burst ?? SITE_QUOTA.burst) }
}

/** Admits one collect request of the site against its quota shared by every isolate. */
export function admitSiteRequest(env: Env, siteId: string, now: number, waitUntil: QuotaIo['waitUntil']): Promise<QuotaAdmission> {
  const rate = siteQuotaRate(env)
  return leases.admit(siteId, now, { ask: (want) => siteQuotaStub(env, siteId).lease({ want, rate }), waitUntil })
}
