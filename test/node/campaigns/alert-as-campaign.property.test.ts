// An alert expressed as a campaign decides what the alert decides: for random sessions (page
// views, visibility signals, alarms) the alert engine and the campaign engine, each with the
// ledger the object keeps for it, fire the same (visit, alert) pairs and hold back the same ones.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { decideAlerts } from '../../../durable-objects/rules/alert-engine'
import type { Calendar, Period } from '../../../durable-objects/rules/frequency'
import { alertAsCampaign, type AlertForCampaign } from '../../../durable-objects/rules/campaigns/alert-as-campaign'
import { campaignPageRules, compileCampaignSet } from '../../../durable-objects/rules/campaigns/compile'
import type { ContactState, RunLedger } from '../../../durable-objects/rules/campaigns/engine-types'
import { react } from '../../../durable-objects/rules/campaigns/react'
import { applySignal, HEARTBEAT_WINDOW_MS, openVisit, type Visit } from '../../../durable-objects/rules/dwell'
import { compileRules, dueRules } from '../../../durable-objects/rules/page-rules'
import { step } from '../engine/sessions'
import { contact } from './support'

const T0 = Date.parse('2026-11-23T22:30:00Z')
const RECENT_MS = HEARTBEAT_WINDOW_MS + 60_000
const SHOP = 'https://shop.test'

type Decision = Array<{ visitId: string; id: string; sent: boolean }>

const alerts: fc.Arbitrary<AlertForCampaign[]> = fc
  .array(
    fc.record({
      pages: fc.array(
        fc.record({
          pattern: fc.constantFrom('/pricing/**', '/pricing', '/video', '/**'),
          minSeconds: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 60 })),
        }),
        { minLength: 1, maxLength: 2 },
      ),
      limit: fc.record({ count: fc.integer({ min: 1, max: 3 }), period: fc.constantFrom<Period>('day', 'week', 'month') }),
    }),
    { minLength: 1, maxLength: 4 },
  )
  .map((rows) =>
    rows.map((r, i) => ({ id: `a${i}`, name: `Alert ${i}`, ...r, notifyCreator: false, notifyOwner: true, cc: [], createdBy: 'u1' })),
  )
const calendar = fc.constantFrom<Calendar>(
  { timeZone: 'UTC', weekStartsOn: 1 },
  { timeZone: 'Europe/Warsaw', weekStartsOn: 1 },
  { timeZone: 'America/New_York', weekStartsOn: 7 },
)

/** The alert engine with the object's alert ledger (fired pairs, sent per period). */
function alertSide(list: AlertForCampaign[], cal: Calendar) {
  const rules = compileRules(list.map((a) => ({ id: a.id, kind: 'alert', pages: a.pages, limit: a.limit })))
  const fired = new Set<string>()
  const sent = new Map<string, number>()
  return (visits: Visit[], now: number): Decision => {
    const decision = decideAlerts({
      contactId: 'c1',
      rules,
      visits,
      fired: (v, r) => fired.has(`${v} ${r}`),
      sent: (r, p) => sent.get(`${r} ${p}`) ?? 0,
      calendar: cal,
      now,
    })
    return decision.outcomes.map((o) => {
      fired.add(`${o.visit.visitId} ${o.rule.id}`)
      if (!o.held) sent.set(`${o.rule.id} ${o.period}`, (sent.get(`${o.rule.id} ${o.period}`) ?? 0) + 1)
      return { visitId: o.visit.visitId, id: o.rule.id, sent: !o.held }
    })
  }
}

/** The campaign engine with the object's campaign ledger: page thresholds by dueRules, then react. */
function campaignSide(list: AlertForCampaign[], cal: Calendar) {
  const set = compileCampaignSet({ campaigns: list.map(alertAsCampaign), lists: [], scoringRules: [] })
  const fired = new Set<string>()
  let state: ContactState = contact()
  let runs: RunLedger = {}
  return (visits: Visit[], now: number): Decision =>
    dueRules(campaignPageRules(set), visits, (v, r) => fired.has(`${v} ${r}`), now).due.map(({ visit, rule }) => {
      fired.add(`${visit.visitId} ${rule.id}`)
      const reaction = react({
        set,
        state,
        runs,
        signal: { type: 'page-reached', campaignId: rule.id, visitId: visit.visitId, url: visit.url, at: now },
        now,
        calendar: cal,
      })
      state = reaction.state
      runs = reaction.runs
      return { visitId: visit.visitId, id: rule.id, sent: reaction.starts.length === 1 }
    })
}

describe('alert as campaign', () => {
  it('alert as campaign: one page-visited trigger, one send-alert step to the same recipients, the alert frequency', () => {
    const campaign = alertAsCampaign({
      id: 'a1',
      name: 'Pricing',
      pages: [{ pattern: '/pricing/**', minSeconds: 10 }],
      limit: { count: 1, period: 'day' },
      notifyCreator: true,
      notifyOwner: false,
      cc: ['boss@example.com'],
      createdBy: 'u1',
    })
    expect(campaign).toMatchObject({
      id: 'a1',
      triggers: [{ type: 'page-visited', pages: [{ pattern: '/pricing/**', minSeconds: 10 }] }],
      steps: [{ type: 'send-alert', to: { owner: false, creator: true, addresses: [], cc: ['boss@example.com'] } }],
      runLimit: { kind: 'always' },
      frequency: { count: 1, period: 'day' },
    })
  })

  it('alert as campaign: the alert engine and the campaign engine decide the same sends for random sessions', () => {
    const seen = { sent: 0, held: 0 }
    fc.assert(
      fc.property(alerts, calendar, fc.array(step, { maxLength: 60 }), (list, cal, steps) => {
        const byAlert = alertSide(list, cal)
        const byCampaign = campaignSide(list, cal)
        const visits = new Map<string, Visit>()
        let now = T0
        for (const s of steps) {
          now += s.dt
          if (s.type === 'open') visits.set(`v${visits.size}`, openVisit(`v${visits.size}`, `${SHOP}${s.path}`, s.path, now))
          else if (s.type === 'signal' && visits.size > 0) {
            const id = `v${s.visit % visits.size}`
            const visit = visits.get(id)!
            visits.set(id, applySignal(visit, s.state, visit.visibleMs + s.addMs, now))
          }
          const recent = [...visits.values()].filter((v) => v.lastSignalAt >= now - RECENT_MS)
          const expected = byAlert(recent, now)
          expect(byCampaign(recent, now)).toEqual(expected)
          for (const d of expected) seen[d.sent ? 'sent' : 'held']++
        }
      }),
      { numRuns: 300 },
    )
    // Both outcomes occurred, so the agreement covers the frequency limit too.
    expect(seen.sent).toBeGreaterThan(100)
    expect(seen.held).toBeGreaterThan(10)
  })
})
