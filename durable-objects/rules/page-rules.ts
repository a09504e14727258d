// The rule model shared by page-visit alerts and (later) campaign triggers: a rule fires for a
// visit when any of its page rows matches the URL and the visit reached the row's minimum
// visible time. Pure: given rules and visits, says what is due now and when to look next.
import { compilePattern, matchesPattern, normalizeUrl, type CompiledPattern } from './url-pattern'
import { thresholdAt, type Visit } from './dwell'
import type { FrequencyLimit } from './frequency'

export type PageRow = { pattern: string; minSeconds: number }

export type PageRule = {
  id: string
  kind: 'alert'
  pages: PageRow[]
  limit: FrequencyLimit
}

export type CompiledRule = PageRule & { compiled: Array<{ pattern: CompiledPattern; minMs: number }> }

export function compileRules(rules: PageRule[]): CompiledRule[] {
  return rules.map((rule) => ({
    ...rule,
    compiled: rule.pages.map((row) => ({ pattern: compilePattern(row.pattern), minMs: row.minSeconds * 1000 })),
  }))
}

/** For each rule matching the visit's URL, the smallest minimum visible time among its matching rows. */
export function matchingRules(rules: CompiledRule[], url: string): Array<{ rule: CompiledRule; minMs: number }> {
  const normalized = normalizeUrl(url)
  if (!normalized) return []
  const out: Array<{ rule: CompiledRule; minMs: number }> = []
  for (const rule of rules) {
    let minMs = Infinity
    for (const row of rule.compiled) if (row.minMs < minMs && matchesPattern(row.pattern, normalized)) minMs = row.minMs
    if (minMs !== Infinity) out.push({ rule, minMs })
  }
  return out
}

export type DueCheck = { due: Array<{ visit: Visit; rule: CompiledRule }>; nextAt: number | null }

/** Which (visit, rule) pairs have reached their threshold by `now`, and the next threshold after it. */
export function dueRules(
  rules: CompiledRule[],
  visits: Visit[],
  alreadyFired: (visitId: string, ruleId: string) => boolean,
  now: number,
): DueCheck {
  const due: DueCheck['due'] = []
  let nextAt: number | null = null
  for (const visit of visits) {
    for (const { rule, minMs } of matchingRules(rules, visit.url)) {
      if (alreadyFired(visit.visitId, rule.id)) continue
      const at = thresholdAt(visit, minMs)
      if (at === null) continue
      if (at <= now) due.push({ visit, rule })
      else if (nextAt === null || at < nextAt) nextAt = at
    }
  }
  return { due, nextAt }
}
