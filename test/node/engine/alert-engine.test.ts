// The alert engine as a specification: a visit that reaches a rule's minimum visible time fires
// it once, the frequency limit holds back what is over it, the wake time is the exact instant
// the next threshold is reached, and deciding again on the same events changes nothing. The
// properties drive random sessions (page views, visibility signals, alarms) through a plain
// in-memory model of what the contact's object stores.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { decideAlerts, visitMayAlert, type AlertDecision } from '../../../durable-objects/rules/alert-engine'
import { applySignal, CLOCK_SLACK_MS, HEARTBEAT_WINDOW_MS, openVisit, type Visit } from '../../../durable-objects/rules/dwell'
import type { Calendar, Period } from '../../../durable-objects/rules/frequency'
import { compileRules, type CompiledRule, type PageRule } from '../../../durable-objects/rules/page-rules'
import { step, type Step } from './sessions'

const UTC: Calendar = { timeZone: 'UTC', weekStartsOn: 1 }
const T0 = Date.parse('2026-11-23T22:30:00Z')
const SHOP = 'https://shop.test'
/** The visits the object hands the engine: those that can still reach a threshold. */
const RECENT_MS = HEARTBEAT_WINDOW_MS + 60_000

/** What the contact's object keeps between decisions. */
class Model {
  readonly visits = new Map<string, Visit>()
  readonly fired = new Set<string>()
  readonly sent = new Map<string, number>()
  readonly held = new Map<string, number>()
  readonly alertKeys: string[] = []
  /** Outcomes for a (visit, rule) pair that had fired already. */
  refired = 0

  constructor(
    readonly rules: CompiledRule[],
    readonly calendar: Calendar,
  ) {}

  decide(now: number): AlertDecision {
    return decideAlerts({
      contactId: 'c1',
      rules: this.rules,
      visits: [...this.visits.values()].filter((v) => v.lastSignalAt >= now - RECENT_MS),
      fired: (visitId, ruleId) => this.fired.has(`${visitId} ${ruleId}`),
      sent: (ruleId, period) => this.sent.get(`${ruleId} ${period}`) ?? 0,
      calendar: this.calendar,
      now,
    })
  }

  keep(decision: AlertDecision): void {
    for (const outcome of decision.outcomes) {
      const pair = `${outcome.visit.visitId} ${outcome.rule.id}`
      if (this.fired.has(pair)) this.refired++
      this.fired.add(pair)
      const counter = `${outcome.rule.id} ${outcome.period}`
      const counts = outcome.held ? this.held : this.sent
      counts.set(counter, (counts.get(counter) ?? 0) + 1)
      if (!outcome.held) this.alertKeys.push(outcome.alertKey)
    }
  }

  snapshot() {
    return JSON.stringify([[...this.visits], [...this.fired], [...this.sent], [...this.held], this.alertKeys])
  }
}

const rule = (id: string, pattern: string, minSeconds: number, count = 1, period: Period = 'day'): PageRule => ({
  id,
  kind: 'alert',
  pages: [{ pattern, minSeconds }],
  limit: { count, period },
})

const pageRules = fc
  .array(
    fc.record({
      pattern: fc.constantFrom('/pricing/**', '/pricing', '/video', '/**'),
      minSeconds: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 60 })),
      count: fc.integer({ min: 1, max: 3 }),
      period: fc.constantFrom<Period>('day', 'week', 'month'),
    }),
    { minLength: 1, maxLength: 4 },
  )
  .map((rows) => compileRules(rows.map((r, i) => rule(`r${i}`, r.pattern, r.minSeconds, r.count, r.period))))
const calendar = fc.constantFrom<Calendar>(
  UTC,
  { timeZone: 'Europe/Warsaw', weekStartsOn: 1 },
  { timeZone: 'America/New_York', weekStartsOn: 7 },
)

/**
 * Runs a session as the object would: each batch of events is applied, then decided on; an
 * alarm only decides. `check` sees every decision before it is kept. With `replay`, every
 * visibility signal arrives twice and every decision is made twice (a retried batch, an alarm
 * run again); page views are not replayed, as the object's event ledger drops repeated ids.
 */
function run(model: Model, steps: Step[], options: { replay?: boolean; check?: (decision: AlertDecision, now: number) => void } = {}) {
  let now = T0
  let visits = 0
  const times = options.replay ? 2 : 1
  for (const s of steps) {
    now += s.dt
    if (s.type === 'open') {
      const id = `v${visits++}`
      model.visits.set(id, openVisit(id, `${SHOP}${s.path}`, s.path, now))
    } else if (s.type === 'signal' && visits > 0) {
      const id = `v${s.visit % visits}`
      const reported = model.visits.get(id)!.visibleMs + s.addMs
      for (let i = 0; i < times; i++) model.visits.set(id, applySignal(model.visits.get(id)!, s.state, reported, now))
    }
    for (let i = 0; i < times; i++) {
      const decision = model.decide(now)
      options.check?.(decision, now)
      model.keep(decision)
    }
  }
  return now
}

describe('alert engine', () => {
  it('alert engine: fires a rule when a visible page reaches its minimum, with the alert key of the period', () => {
    const model = new Model(compileRules([rule('pricing', '/pricing/**', 10)]), UTC)
    model.visits.set('v1', applySignal(openVisit('v1', `${SHOP}/pricing/team`, 'Team', T0), 'heartbeat', 9_000, T0 + 9_000))
    const early = model.decide(T0 + 9_999)
    expect(early.outcomes).toEqual([])
    expect(early.wakeAt).toBe(T0 + 10_000)
    const due = model.decide(T0 + 10_000)
    expect(due.outcomes).toMatchObject([{ held: false, period: 'd2026-11-23', alertKey: 'pricing:c1:d2026-11-23:1' }])
    expect(due.wakeAt).toBeNull()
  })

  it('alert engine: holds back the second qualifying visit of a day and counts the period in the workspace time zone', () => {
    const warsaw: Calendar = { timeZone: 'Europe/Warsaw', weekStartsOn: 1 }
    const model = new Model(compileRules([rule('pricing', '/pricing', 0)]), warsaw)
    model.visits.set('v1', openVisit('v1', `${SHOP}/pricing`, 'Pricing', T0))
    model.visits.set('v2', openVisit('v2', `${SHOP}/pricing`, 'Pricing', T0))
    const decision = model.decide(T0)
    // 22:30Z is 23:30 in Warsaw: still the 23rd there.
    expect(decision.outcomes.map((o) => (o.held ? 'held' : o.alertKey))).toEqual(['pricing:c1:d2026-11-23:1', 'held'])
    model.keep(decision)
    // 23:00Z is midnight in Warsaw: a new day, a new allowance.
    model.visits.set('v3', openVisit('v3', `${SHOP}/pricing`, 'Pricing', T0 + 1_800_000))
    expect(model.decide(T0 + 1_800_000).outcomes).toMatchObject([{ held: false, alertKey: 'pricing:c1:d2026-11-24:1' }])
  })

  it('alert engine: on a verifying site only a visit of a visitor identified by a signed identify may fire', () => {
    expect(visitMayAlert({ requireVerifiedIdentity: false }, { identifiedBy: 'form' })).toBe(true)
    expect(visitMayAlert({ requireVerifiedIdentity: false }, { identifiedBy: 'identify' })).toBe(true)
    expect(visitMayAlert({ requireVerifiedIdentity: true }, { identifiedBy: 'form' })).toBe(false)
    expect(visitMayAlert({ requireVerifiedIdentity: true }, { identifiedBy: 'identify' })).toBe(false)
    expect(visitMayAlert({ requireVerifiedIdentity: true }, { identifiedBy: 'verified-identify' })).toBe(true)
  })

  it('alert engine: a frequency limit is never exceeded, and each visit fires a rule at most once', () => {
    fc.assert(
      fc.property(pageRules, calendar, fc.array(step, { maxLength: 60 }), (rules, cal, steps) => {
        const model = new Model(rules, cal)
        run(model, steps)
        for (const [counter, sent] of model.sent) {
          const ruleId = counter.split(' ')[0]
          expect(sent).toBeLessThanOrEqual(rules.find((r) => r.id === ruleId)!.limit.count)
        }
        expect(model.refired).toBe(0)
        expect(new Set(model.alertKeys).size).toBe(model.alertKeys.length)
        // Keys number the alerts of a period 1, 2, ... in the order they went out.
        for (const [counter, sent] of model.sent) {
          const [ruleId, period] = counter.split(' ')
          const ns = model.alertKeys.filter((k) => k.startsWith(`${ruleId}:c1:${period}:`)).map((k) => Number(k.split(':')[3]))
          expect(ns).toEqual(Array.from({ length: sent }, (_, i) => i + 1))
        }
      }),
    )
  })

  it('alert engine: the wake time is the exact instant the next threshold is reached', () => {
    fc.assert(
      fc.property(pageRules, calendar, fc.array(step, { maxLength: 40 }), (rules, cal, steps) => {
        const model = new Model(rules, cal)
        run(model, steps, {
          check: (decision, now) => {
            if (decision.wakeAt === null) return
            expect(decision.wakeAt).toBeGreaterThan(now)
            // Kept as the object would before its alarm; then nothing is due a millisecond early,
            // and something is due at that instant.
            const probe = new Model(rules, cal)
            for (const [id, v] of model.visits) probe.visits.set(id, v)
            for (const f of model.fired) probe.fired.add(f)
            for (const [k, n] of model.sent) probe.sent.set(k, n)
            probe.keep(decision)
            expect(probe.decide(decision.wakeAt - 1).outcomes).toEqual([])
            expect(probe.decide(decision.wakeAt).outcomes.length).toBeGreaterThan(0)
          },
        })
      }),
    )
  })

  it('alert engine: the wake time of one open page is its last signal plus the visible time still missing', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 120 }),
        fc.integer({ min: 0, max: 120_000 }),
        fc.integer({ min: 0, max: 60_000 }),
        (minSeconds, seen, sinceOpen) => {
          const model = new Model(compileRules([rule('r', '/video', minSeconds)]), UTC)
          const signalAt = T0 + sinceOpen
          model.visits.set('v', applySignal(openVisit('v', `${SHOP}/video`, 'Video', T0), 'heartbeat', seen, signalAt))
          // The figure counts only up to the time the server saw pass since the page view.
          const missing = minSeconds * 1000 - Math.min(seen, sinceOpen)
          const { outcomes, wakeAt } = model.decide(signalAt)
          if (missing <= 0) expect(outcomes).toHaveLength(1)
          // A figure ahead of the server's clock is no sign the page is still open.
          else if (seen > sinceOpen + CLOCK_SLACK_MS) expect(wakeAt).toBeNull()
          else if (missing <= HEARTBEAT_WINDOW_MS) expect(wakeAt).toBe(signalAt + missing)
          // A page that would need longer than the heartbeat window without a signal is not waited for.
          else expect(wakeAt).toBeNull()
        },
      ),
    )
  })

  it('alert engine: replaying the same events and deciding again changes nothing', () => {
    fc.assert(
      fc.property(pageRules, calendar, fc.array(step, { maxLength: 40 }), (rules, cal, steps) => {
        const once = new Model(rules, cal)
        const now = run(once, steps)
        const twice = new Model(rules, cal)
        run(twice, steps, { replay: true })
        expect(twice.snapshot()).toBe(once.snapshot())
        // And once more at the end: nothing left to decide at that instant.
        expect(once.decide(now).outcomes).toEqual([])
      }),
    )
  })
})
