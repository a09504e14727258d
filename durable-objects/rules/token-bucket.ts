// A token bucket: `burst` tokens at most, refilled at `perSecond`; taking tokens never lets more
// than `burst + perSecond × elapsed` through in any stretch of time. Used by the per-site quota
// object (durable-objects/site-quota.ts), which hands tokens out to isolates in leases, and by
// the site cache to bound D1 lookups of keys it has not seen. Pure: the caller passes `now`.

export type Rate = { perSecond: number; burst: number }
export type Bucket = { tokens: number; at: number }
export type Take = { bucket: Bucket; granted: number; retryAfterMs: number }

/** The bucket as it stands at `now`; a bucket never seen starts full. The clock never runs back. */
export function refilled(bucket: Bucket | null, rate: Rate, now: number): Bucket {
  if (!bucket) return { tokens: rate.burst, at: now }
  const at = Math.max(bucket.at, now)
  return { tokens: Math.min(rate.burst, bucket.tokens + ((at - bucket.at) * rate.perSecond) / 1000), at }
}

/**
 * Takes up to `want` whole tokens. `retryAfterMs` is 0 when all were granted, otherwise how long
 * until `want` tokens will have gathered (never past a full bucket): asking again sooner would
 * mostly be refused again.
 */
export function takeTokens(bucket: Bucket | null, rate: Rate, want: number, now: number): Take {
  const current = refilled(bucket, rate, now)
  const granted = Math.max(0, Math.min(Math.floor(want), Math.floor(current.tokens)))
  const left = current.tokens - granted
  const missing = Math.min(want, rate.burst) - left
  const retryAfterMs = granted >= want || missing <= 0 ? 0 : Math.ceil((missing * 1000) / rate.perSecond)
  return { bucket: { tokens: left, at: current.at }, granted, retryAfterMs }
}
