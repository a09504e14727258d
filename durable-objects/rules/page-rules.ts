// The rule model shared by page-visit alerts and (later) campaign triggers: a rule fires for a
// visit when any of its page rows matches the URL and the visit reached the row's minimum
// visible time. Pure: given rules and visits, says what is due now and when to look next.
import { compilePattern, normalizeUrl, type CompiledPattern } from './url-pattern'
import { LruMap } from './lru-map'
import { PatternIndex } from './pattern-index'
import { thresholdAt, type Visit } from './dwell'
import type { FrequencyLimit } from './frequency'

export type PageRow = { pattern: string; minSeconds: number }

export type PageRule = {
  id: string
  /** `campaign`: a campaign's page-visited triggers (`campaignPageRules`); its id is the campaign's. */
  kind: 'alert' | 'campaign'
  pages: PageRow[]
  limit: FrequencyLimit
}

/** A rule with its valid rows compiled; a row whose pattern is invalid can never match. */
export type CompiledRule = PageRule & { compiled: Array<{ pattern: CompiledPattern; minMs: number }> }

type RowRef = { order: number; rule: CompiledRule; minMs: number }
/** A rule matching a URL, with the smallest minimum visible time of its matching rows. */
export type RuleMatch = { rule: CompiledRule; minMs: number }

// The index belongs to the list `compileRules` returned (frozen, so it cannot drift from it);
// the exported types stay plain arrays, so callers hold and pass them as before.
const indexes = new WeakMap<readonly CompiledRule[], PatternIndex<RowRef>>()

function buildIndex(rules: readonly CompiledRule[]): PatternIndex<RowRef> {
  return new PatternIndex(
    rules.flatMap((rule, order) => rule.compiled.map(({ pattern, minMs }) => ({ pattern, value: { order, rule, minMs } }))),
  )
}

function indexOf(rules: readonly CompiledRule[]): PatternIndex<RowRef> {
  let index = indexes.get(rules)
  if (!index) indexes.set(rules, (index = buildIndex(rules)))
  return index
}

const toMs = (seconds: number) => (Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 0)

export function compileRules(rules: PageRule[]): CompiledRule[] {
  const compiled: CompiledRule[] = rules.map((rule) => ({
    ...rule,
    compiled: rule.pages.flatMap((row) => {
      const pattern = compilePattern(row.pattern)
      return pattern ? [{ pattern, minMs: toMs(row.minSeconds) }] : []
    }),
  }))
  Object.freeze(compiled)
  indexes.set(compiled, buildIndex(compiled))
  return compiled
}

/**
 * For each rule matching the visit's URL, the smallest minimum visible time among its matching
 * rows, in the rules' order.
 */
export function matchingRules(rules: CompiledRule[], url: string): readonly RuleMatch[] {
  let byUrl = matched.get(rules)
  if (!byUrl) matched.set(rules, (byUrl = new LruMap<string, readonly RuleMatch[]>(MATCHED_URLS)))
  let found = byUrl.get(url)
  if (!found) byUrl.set(url, (found = Object.freeze(matchWithIndex(rules, url))))
  return found
}

/**
 * Matches per rule list and URL: an open visit is re-checked at every heartbeat, and its URL's
 * normalisation and index walk cost more than the rest of the check.
 */
const matched = new WeakMap<readonly CompiledRule[], LruMap<string, readonly RuleMatch[]>>()
const MATCHED_URLS = 256

/** `matchingRules` without the memo: what a URL costs the first time (the matching bench). */
export function matchWithIndex(rules: CompiledRule[], url: string): RuleMatch[] {
  const normalized = normalizeUrl(url)
  if (!normalized) return []
  const rows = indexOf(rules).match(normalized)
  if (rows.length <= 1) return rows.map(({ rule, minMs }) => ({ rule, minMs }))
  const best = new Map<number, RowRef>()
  for (const row of rows) {
    const seen = best.get(row.order)
    if (!seen || row.minMs < seen.minMs) best.set(row.order, row)
  }
  return [...best.values()].sort((a, b) => a.order - b.order).map(({ rule, minMs }) => ({ rule, minMs }))
}

export type DueCheck<V extends Visit = Visit> = { due: Array<{ visit: V; rule: CompiledRule }>; nextAt: number | null }

/** Which (visit, rule) pairs have reached their threshold by `now`, and the next threshold after it. */
export function dueRules<V extends Visit>(
  rules: CompiledRule[],
  visits: V[],
  alreadyFired: (visitId: string, ruleId: string) => boolean,
  now: number,
): DueCheck<V> {
  const due: DueCheck<V>['due'] = []
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
