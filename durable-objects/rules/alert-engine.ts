// The alert decision, pure: given the compiled rules, the contact's visits, what already fired,
// the frequency counters, the workspace calendar and `now`, which alerts go out (with their
// idempotency keys), which the frequency limit holds back, and when to look again. The
// contact's object loads these inputs from its storage, stores the outcome and queues the jobs;
// nothing here writes anything or reads a clock.
import type { Visit } from './dwell'
import { periodKey, type Calendar } from './frequency'
import { dueRules, type CompiledRule } from './page-rules'

export type AlertEngineInput<V extends Visit = Visit> = {
  contactId: string
  rules: CompiledRule[]
  /** The visits that can still reach a threshold (or just did). */
  visits: V[]
  /** Whether the rule already fired for the visit, sent or held: a visit fires a rule once. */
  fired: (visitId: string, ruleId: string) => boolean
  /** How many alerts of the rule went out in the calendar period (its frequency counter). */
  sent: (ruleId: string, period: string) => number
  calendar: Calendar
  now: number
}

/** A (visit, rule) pair that reached its threshold: sent under `alertKey`, or held back by the limit. */
export type AlertOutcome<V extends Visit = Visit> = { visit: V; rule: CompiledRule; period: string } & (
  { held: false; alertKey: string } | { held: true }
)

export type AlertDecision<V extends Visit = Visit> = {
  outcomes: Array<AlertOutcome<V>>
  /** The exact instant the next visit reaches a threshold without a new signal, if any. */
  wakeAt: number | null
}

/**
 * Whether a visit may fire alerts on this site. Decided per visit, by how the visitor who made
 * it was identified: on a site that requires verified identities, a visitor linked by a form
 * e-mail or an unsigned `identify` fires nothing, even when the same contact verified elsewhere.
 */
export function visitMayAlert(site: { requireVerifiedIdentity: boolean }, visit: { identifiedBy: string }): boolean {
  return !site.requireVerifiedIdentity || visit.identifiedBy === 'verified-identify'
}

export function decideAlerts<V extends Visit>(input: AlertEngineInput<V>): AlertDecision<V> {
  const { due, nextAt } = dueRules(input.rules, input.visits, input.fired, input.now)
  // Alerts sent by this decision count against the limit of the ones after them.
  const sentHere = new Map<string, number>()
  const outcomes = due.map(({ visit, rule }): AlertOutcome<V> => {
    const period = periodKey(input.now, rule.limit.period, input.calendar)
    const counter = `${rule.id}\n${period}`
    const sent = sentHere.get(counter) ?? input.sent(rule.id, period)
    if (sent >= rule.limit.count) return { visit, rule, period, held: true }
    sentHere.set(counter, sent + 1)
    return { visit, rule, period, held: false, alertKey: `${rule.id}:${input.contactId}:${period}:${sent + 1}` }
  })
  return { outcomes, wakeAt: nextAt }
}
