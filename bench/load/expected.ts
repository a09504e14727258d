// The alerts the pure engine (durable-objects/rules/alert-engine.ts) decides for the page views the
// server accepted: the same rule compiled the same way, each contact's visits opened when they
// were sent, the engine asked at that instant. Nothing of the decision is re-implemented here.
import { decideAlerts } from '../../durable-objects/rules/alert-engine'
import { openVisit } from '../../durable-objects/rules/dwell'
import type { Calendar } from '../../durable-objects/rules/frequency'
import { compileRules, type PageRule } from '../../durable-objects/rules/page-rules'

export type AcceptedPageview = { contact: number; visitId: string; url: string; title: string; at: number }

export type Expectation = { alerts: number; held: number; perContact: Map<number, number> }

export function expectedAlerts(rule: PageRule, calendar: Calendar, pageviews: AcceptedPageview[]): Expectation {
  const rules = compileRules([rule])
  const fired = new Set<string>()
  const counters = new Map<string, number>()
  const perContact = new Map<number, number>()
  let alerts = 0
  let held = 0
  for (const pv of pageviews) {
    const decision = decideAlerts({
      contactId: String(pv.contact),
      rules,
      visits: [openVisit(pv.visitId, pv.url, pv.title, pv.at)],
      fired: (visitId, ruleId) => fired.has(`${visitId}\n${ruleId}`),
      sent: (ruleId, period) => counters.get(`${pv.contact}\n${ruleId}\n${period}`) ?? 0,
      calendar,
      now: pv.at,
    })
    for (const outcome of decision.outcomes) {
      fired.add(`${outcome.visit.visitId}\n${outcome.rule.id}`)
      if (outcome.held) {
        held++
        continue
      }
      const counter = `${pv.contact}\n${outcome.rule.id}\n${outcome.period}`
      counters.set(counter, (counters.get(counter) ?? 0) + 1)
      perContact.set(pv.contact, (perContact.get(pv.contact) ?? 0) + 1)
      alerts++
    }
  }
  return { alerts, held, perContact }
}
