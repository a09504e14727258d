// Run limits and frequency over random event sequences, with the ledger kept between signals as
// the contact's object keeps it: `once` runs at most once ever, `per-entry` at most N times per
// entry (an entry lasts while the conditions hold), the frequency at most `count` per calendar
// period; and within those limits every trigger runs (the limits are not met by running nothing).
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { RunLimit } from '../../../durable-objects/contracts/campaign'
import type { CampaignSignal, ContactState, RunLedger, RunStart } from '../../../durable-objects/rules/campaigns/engine-types'
import { periodKey, type FrequencyLimit } from '../../../durable-objects/rules/frequency'
import { CALENDAR, campaign, compiled, contact, DAY, NOW, reactTo } from './support'

type Step = { kind: 'go' | 'enter' | 'exit'; after: number }

const RUN_LIMITS: RunLimit[] = [
  { kind: 'once' },
  { kind: 'always' },
  { kind: 'per-entry', count: 1 },
  { kind: 'per-entry', count: 2 },
  { kind: 'per-entry', count: 3 },
]

const steps = fc.array(
  fc.record({ kind: fc.constantFrom<Step['kind']>('go', 'go', 'enter', 'exit'), after: fc.integer({ min: 0, max: 2 * DAY }) }),
  { maxLength: 60 },
)
const frequency = fc.option(
  fc.record({ count: fc.integer({ min: 1, max: 3 }), period: fc.constantFrom<FrequencyLimit['period']>('day', 'week', 'month') }),
  {
    nil: null,
  },
)

/**
 * Plays the steps through `react` as the object would: "enter" and "exit" add or remove the tag
 * the campaign's condition reads (the object hands in a recheck), "go" is the trigger.
 */
function play(runLimit: RunLimit, freq: FrequencyLimit | null, plan: Step[]) {
  const set = compiled({
    campaigns: [
      campaign('camp', {
        triggers: [{ type: 'custom-event', name: 'go' }],
        conditions: [{ type: 'tag', tag: 'in', present: true }],
        runLimit,
        frequency: freq,
      }),
    ],
  })
  let state: ContactState = contact()
  let runs: RunLedger = {}
  let now = NOW
  const log: Array<{ step: Step; now: number; inside: boolean; started: RunStart | null }> = []
  for (const step of plan) {
    now += step.after
    if (step.kind === 'enter' && !state.tags.includes('in')) state = { ...state, tags: [...state.tags, 'in'] }
    if (step.kind === 'exit') state = { ...state, tags: state.tags.filter((t) => t !== 'in') }
    const signal: CampaignSignal =
      step.kind === 'go' ? { type: 'custom-event', name: 'go', props: {}, at: now } : { type: 'recheck', at: now }
    const reaction = reactTo(set, signal, state, runs, now)
    state = reaction.state
    runs = reaction.runs
    log.push({ step, now, inside: state.tags.includes('in'), started: reaction.starts[0] ?? null })
  }
  return log
}

const count = <T>(items: T[], key: (t: T) => string) => {
  const counts = new Map<string, number>()
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1)
  return counts
}

describe('campaign run limits', () => {
  it('run limits and frequency are never exceeded for random event sequences', () => {
    fc.assert(
      fc.property(fc.constantFrom(...RUN_LIMITS), frequency, steps, (runLimit, freq, plan) => {
        const started = play(runLimit, freq, plan).flatMap((l) => (l.started ? [{ ...l, start: l.started }] : []))
        if (runLimit.kind === 'once') expect(started.length).toBeLessThanOrEqual(1)
        if (runLimit.kind === 'per-entry')
          for (const n of count(started, (s) => String(s.start.entry)).values()) expect(n).toBeLessThanOrEqual(runLimit.count)
        if (freq)
          for (const n of count(started, (s) => periodKey(s.now, freq.period, CALENDAR)).values()) expect(n).toBeLessThanOrEqual(freq.count)
        // Run keys are the object's idempotency keys: never the same twice.
        expect(new Set(started.map((s) => s.start.runKey)).size).toBe(started.length)
      }),
      { numRuns: 400 },
    )
  })

  it('within the limits, every trigger while the conditions hold runs (an independent count of entries and periods)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...RUN_LIMITS), frequency, steps, (runLimit, freq, plan) => {
        let inside = false
        let entry = 0
        let total = 0
        const perEntry = new Map<number, number>()
        const perPeriod = new Map<string, number>()
        for (const { step, now, inside: insideNow, started } of play(runLimit, freq, plan)) {
          if (insideNow && !inside) entry++
          inside = insideNow
          if (step.kind !== 'go') {
            expect(started).toBeNull()
            continue
          }
          const period = freq ? periodKey(now, freq.period, CALENDAR) : ''
          const allowed =
            inside &&
            (runLimit.kind !== 'once' || total === 0) &&
            (runLimit.kind !== 'per-entry' || (perEntry.get(entry) ?? 0) < runLimit.count) &&
            (!freq || (perPeriod.get(period) ?? 0) < freq.count)
          expect(started !== null).toBe(allowed)
          if (!started) continue
          total++
          perEntry.set(entry, (perEntry.get(entry) ?? 0) + 1)
          perPeriod.set(period, (perPeriod.get(period) ?? 0) + 1)
          expect(started.entry).toBe(runLimit.kind === 'per-entry' ? entry : 0)
        }
      }),
      { numRuns: 400 },
    )
  })

  it('at most 2 per entry: twice on one entry, then again after exit and re-entry', () => {
    const plan: Step[] = [
      { kind: 'enter', after: 0 },
      { kind: 'go', after: 1000 },
      { kind: 'go', after: 1000 },
      { kind: 'go', after: 1000 },
      { kind: 'exit', after: 1000 },
      { kind: 'go', after: 1000 },
      { kind: 'enter', after: 1000 },
      { kind: 'go', after: 1000 },
      { kind: 'go', after: 1000 },
      { kind: 'go', after: 1000 },
    ]
    const started = play({ kind: 'per-entry', count: 2 }, null, plan).map((l) => l.started && [l.started.entry, l.started.runKey])
    expect(started).toEqual([null, [1, 'camp:c1:1'], [1, 'camp:c1:2'], null, null, null, null, [2, 'camp:c1:3'], [2, 'camp:c1:4'], null])
  })

  it('a held run says why: the run limit, or the frequency of the period', () => {
    const set = compiled({
      campaigns: [
        campaign('camp', { triggers: [{ type: 'contact-created' }], runLimit: { kind: 'always' }, frequency: { count: 1, period: 'day' } }),
      ],
    })
    const first = reactTo(set, { type: 'contact-created', at: NOW })
    const second = reactTo(set, { type: 'contact-created', at: NOW + 1000 }, first.state, first.runs)
    expect(second.held).toEqual([{ campaignId: 'camp', version: 1, reason: 'frequency', trigger: 'contact-created' }])
    const nextDay = reactTo(set, { type: 'contact-created', at: NOW + DAY }, second.state, second.runs)
    expect(nextDay.starts.map((s) => s.runKey)).toEqual(['camp:c1:2'])
    const once = compiled({ campaigns: [campaign('camp', { triggers: [{ type: 'contact-created' }], runLimit: { kind: 'once' } })] })
    const again = reactTo(once, { type: 'contact-created', at: NOW + DAY }, first.state, first.runs)
    expect(again.held.map((h) => h.reason)).toEqual(['run-limit'])
  })
})
