// Lead scoring: the rules a page view, a form or a custom event earns points by, in the set's
// order, and the decay that takes a rule's points away again `decayDays` later.
import type { ScoringRule } from '../../contracts/campaign'
import { normalizeUrl } from '../url-pattern'
import type { CompiledScoring } from './compile'
import type { CampaignSignal, ScoreDecay } from './engine-types'
import { formMatches } from './triggers'

const DAY_MS = 86_400_000

/** The scoring rules the signal earns, each once, in the set's order. */
export function scoringRulesFor(scoring: CompiledScoring, signal: CampaignSignal): ScoringRule[] {
  if (signal.type === 'custom-event') return scoring.events.get(signal.name) ?? []
  if (signal.type === 'form')
    return scoring.forms.filter((rule) => rule.on.type === 'form-submitted' && formMatches(rule.on.form, signal.form))
  if (signal.type !== 'pageview') return []
  const url = normalizeUrl(signal.url)
  if (!url) return []
  const rules = scoring.pages.match(url)
  if (rules.length <= 1) return rules
  return [...new Set(rules)].sort((a, b) => (scoring.order.get(a.id) ?? 0) - (scoring.order.get(b.id) ?? 0))
}

/** When and how much of a rule's points to take back, if the rule decays. */
export const decayOf = (rule: ScoringRule, now: number): ScoreDecay | null =>
  rule.decayDays ? { at: now + rule.decayDays * DAY_MS, points: rule.points, ruleId: rule.id } : null
