// The token bucket behind the per-site quota and the site cache's lookup budget: whatever the
// takes and their timing, no stretch of time lets more through than its burst plus its rate.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { refilled, takeTokens, type Bucket, type Rate } from '../../../durable-objects/rules/token-bucket'

const rate = fc.record({ perSecond: fc.integer({ min: 1, max: 5_000 }), burst: fc.integer({ min: 1, max: 50_000 }) })
const takes = fc.array(fc.record({ afterMs: fc.integer({ min: 0, max: 3_000 }), want: fc.integer({ min: 1, max: 2_000 }) }), {
  minLength: 1,
  maxLength: 60,
})

type Taken = { at: number; granted: number; retryAfterMs: number }

function run(r: Rate, steps: Array<{ afterMs: number; want: number }>): Taken[] {
  let bucket: Bucket | null = null
  let now = 1_000_000
  return steps.map(({ afterMs, want }) => {
    now += afterMs
    const taken = takeTokens(bucket, r, want, now)
    bucket = taken.bucket
    return { at: now, granted: taken.granted, retryAfterMs: taken.retryAfterMs }
  })
}

describe('token bucket', () => {
  it('token bucket: grants at most burst + perSecond × elapsed within any stretch of takes', () => {
    fc.assert(
      fc.property(rate, takes, (r, steps) => {
        const log = run(r, steps)
        for (let i = 0; i < log.length; i++) {
          let granted = 0
          for (let j = i; j < log.length; j++) {
            granted += log[j]!.granted
            expect(granted).toBeLessThanOrEqual(r.burst + (r.perSecond * (log[j]!.at - log[i]!.at)) / 1000 + 1e-6)
          }
        }
      }),
    )
  })

  it('token bucket: grants whole tokens, never more than asked, all of them while the bucket holds enough', () => {
    fc.assert(
      fc.property(rate, takes, (r, steps) => {
        let bucket: Bucket | null = null
        let now = 0
        for (const { afterMs, want } of steps) {
          now += afterMs
          const before = refilled(bucket, r, now).tokens
          const taken = takeTokens(bucket, r, want, now)
          expect(Number.isInteger(taken.granted)).toBe(true)
          expect(taken.granted).toBe(Math.min(want, Math.floor(before)))
          expect(taken.retryAfterMs === 0).toBe(taken.granted === want)
          bucket = taken.bucket
        }
      }),
    )
  })

  it('token bucket: a refused take is granted in full when asked again after retryAfterMs', () => {
    fc.assert(
      fc.property(rate, fc.integer({ min: 1, max: 2_000 }), (r, wanted) => {
        const want = Math.min(wanted, r.burst)
        const emptied = takeTokens(null, r, r.burst, 0).bucket
        const refused = takeTokens(emptied, r, want, 0)
        expect(refused.granted).toBe(0)
        expect(refused.retryAfterMs).toBeGreaterThan(0)
        expect(takeTokens(refused.bucket, r, want, refused.retryAfterMs).granted).toBe(want)
      }),
    )
  })

  it('token bucket: starts full, and a clock that runs back mints no tokens', () => {
    const r = { perSecond: 10, burst: 100 }
    const first = takeTokens(null, r, 100, 50_000)
    expect(first.granted).toBe(100)
    expect(takeTokens(first.bucket, r, 1, 10_000)).toMatchObject({ granted: 0, retryAfterMs: 100 })
    expect(takeTokens(first.bucket, r, 5, 50_500).granted).toBe(5)
  })
})
