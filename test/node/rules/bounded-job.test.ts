// Alert jobs stay far below the queue's 128 KB message limit whatever the contact and its events
// hold: the worst case the wire and the admin allow, and any random job, measured as JSON and in
// V8's serialization (what the queue carries).
import { serialize } from 'node:v8'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { ActivityItem, AlertJob } from '../../../durable-objects/contracts/alert-job'
import { boundActivity, boundJob, clipText, JOB_LIMITS, MAX_JOB_BYTES, utf8Bytes } from '../../../durable-objects/rules/bounded-job'

const QUEUE_LIMIT_BYTES = 128_000

const jsonBytes = (job: AlertJob) => utf8Bytes(JSON.stringify(job))

/** Text of `length` UTF-16 units that is as large as possible in UTF-8 and keeps V8 on two-byte strings. */
const heavy = (length: number) => '€'.repeat(length)
/** An astral character (4 bytes of UTF-8, two UTF-16 units), so a cut could split a pair. */
const astral = (length: number) => '😀'.repeat(Math.ceil(length / 2))

/** Everything at the largest the wire contract or an admin screen lets through. */
function worstCaseJob(): AlertJob {
  const url = `https://shop.test/${heavy(2_000)}`
  const fields = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`${i}${heavy(60)}`, heavy(1_024)]))
  const item = (i: number): ActivityItem => ({
    type: i % 2 ? 'form' : 'pageview',
    at: 1_800_000_000_000 + i,
    url,
    title: astral(1_024),
    visibleMs: 86_400_000,
    detail: fields,
  })
  return {
    kind: 'alert',
    alertKey: `alr_${'x'.repeat(60)}:${'c'.repeat(36)}:d2026-11-23:999`,
    alertId: `alr_${'x'.repeat(60)}`,
    workspaceId: `ws_${'w'.repeat(60)}`,
    firedAt: 1_800_000_000_000,
    identifiedBy: 'verified-identify',
    contact: {
      id: 'c'.repeat(36),
      workspaceId: `ws_${'w'.repeat(60)}`,
      email: `${'a'.repeat(64)}@${'b'.repeat(185)}.test`,
      name: heavy(5_000),
      company: astral(5_000),
      phone: heavy(5_000),
      ownerEmail: heavy(5_000),
      ownerName: heavy(5_000),
      tags: Array.from({ length: 500 }, () => heavy(500)),
      score: Number.MAX_SAFE_INTEGER,
      identifiedBy: 'verified-identify',
    },
    visit: { url, title: astral(1_024), visibleMs: 86_400_000, startedAt: 1_800_000_000_000 },
    recentActivity: Array.from({ length: 50 }, (_, i) => item(i)),
  }
}

const text = fc.oneof(fc.string({ maxLength: 3_000 }), fc.string({ unit: 'grapheme', maxLength: 1_500 }))
const activity: fc.Arbitrary<ActivityItem> = fc.record(
  {
    type: fc.constantFrom('pageview', 'form', 'track', 'identify', 'contact-created'),
    at: fc.nat(),
    url: text,
    title: text,
    visibleMs: fc.nat(),
    detail: fc.dictionary(text, fc.oneof(text, fc.integer(), fc.boolean()), { maxKeys: 60 }),
  },
  { requiredKeys: ['type', 'at'] },
)
const job: fc.Arbitrary<AlertJob> = fc.record({
  kind: fc.constant('alert' as const),
  alertKey: fc.constant('alr_1:c1:d2026-11-23:1'),
  alertId: fc.constant('alr_1'),
  workspaceId: fc.constant('ws_1'),
  firedAt: fc.nat(),
  identifiedBy: fc.constantFrom('form' as const, 'identify' as const, 'verified-identify' as const),
  contact: fc.record({
    id: fc.constant('c1'),
    workspaceId: fc.constant('ws_1'),
    email: text,
    name: text,
    company: text,
    phone: text,
    ownerEmail: fc.option(text),
    ownerName: fc.option(text),
    tags: fc.array(text, { maxLength: 40 }),
    score: fc.integer(),
    identifiedBy: fc.constantFrom('form', 'identify', 'verified-identify'),
  }),
  visit: fc.record({ url: text, title: text, visibleMs: fc.nat(), startedAt: fc.nat() }),
  recentActivity: fc.array(activity, { maxLength: 50 }),
})

describe('bounded job', () => {
  it('bounded job: the worst-case contact and activity stay under MAX_JOB_BYTES, far below the queue limit', () => {
    const raw = worstCaseJob()
    expect(serialize(raw).byteLength).toBeGreaterThan(QUEUE_LIMIT_BYTES)
    const bounded = boundJob(raw)
    expect(jsonBytes(bounded)).toBeLessThanOrEqual(MAX_JOB_BYTES)
    expect(serialize(bounded).byteLength).toBeLessThanOrEqual(2 * MAX_JOB_BYTES)
    expect(2 * MAX_JOB_BYTES).toBeLessThan(QUEUE_LIMIT_BYTES / 2)
    // What it still says: the newest activity first, each item cut rather than lost.
    expect(bounded.recentActivity.length).toBeGreaterThan(0)
    expect(bounded.recentActivity[0]?.at).toBe(raw.recentActivity[0]?.at)
    expect(Object.keys(bounded.recentActivity[0]?.detail ?? {})).toHaveLength(JOB_LIMITS.detailEntries)
    expect(bounded.contact.tags).toHaveLength(JOB_LIMITS.tags)
  })

  it('bounded job: any job, once bounded, stays under MAX_JOB_BYTES', () => {
    fc.assert(
      fc.property(job, (j) => {
        const bounded = boundJob(j)
        expect(jsonBytes(bounded)).toBeLessThanOrEqual(MAX_JOB_BYTES)
        expect(serialize(bounded).byteLength).toBeLessThanOrEqual(2 * MAX_JOB_BYTES)
      }),
      { numRuns: 200 },
    )
  })

  it('bounded job: a small job is left as it is', () => {
    const small = { ...worstCaseJob(), recentActivity: [] }
    const ordinary: AlertJob = {
      ...small,
      contact: {
        ...small.contact,
        name: 'Dana',
        company: 'Buyer Inc',
        phone: '+33 1',
        ownerEmail: 'o@a.test',
        ownerName: 'Olivia',
        tags: ['hot'],
      },
      visit: { url: 'https://shop.test/pricing', title: 'Pricing', visibleMs: 12_000, startedAt: 1 },
      recentActivity: [{ type: 'form', at: 1, url: 'https://shop.test/contact', detail: { email: 'dana@buyer.test', n: 3, ok: true } }],
    }
    expect(boundJob(ordinary)).toEqual(ordinary)
  })

  it('bounded job: texts are cut on a character boundary with a mark; an over-long link is left out, not cut', () => {
    const cut = clipText(astral(300), 256)
    expect(utf8Bytes(cut)).toBeLessThanOrEqual(256)
    expect(cut.endsWith('…')).toBe(true)
    expect(cut.isWellFormed()).toBe(true)
    const [item] = boundActivity([{ type: 'pageview', at: 1, url: `https://shop.test/${'p'.repeat(3_000)}`, title: 'Long' }])
    expect(item).toEqual({ type: 'pageview', at: 1, title: 'Long' })
  })

  it('bounded job: the activity keeps its newest items within the total budget', () => {
    const big: ActivityItem = {
      type: 'form',
      at: 0,
      detail: Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`f${i}`, heavy(85)])),
    }
    const items = Array.from({ length: 10 }, (_, i) => ({ ...big, at: 10 - i }))
    const kept = boundActivity(items)
    expect(kept.length).toBeGreaterThan(0)
    expect(kept.length).toBeLessThan(items.length)
    expect(kept.map((i) => i.at)).toEqual(items.slice(0, kept.length).map((i) => i.at))
    expect(utf8Bytes(JSON.stringify(kept))).toBeLessThanOrEqual(JOB_LIMITS.activityBytes)
  })
})
