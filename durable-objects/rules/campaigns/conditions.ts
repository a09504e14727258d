// Campaign and smart-list conditions read against a contact's state: field comparisons, tag
// present / absent, score range, owner, list membership, visited a pattern within N days. The
// same comparison serves a custom event's prop. Compiled once per campaign set (patterns parsed
// once); evaluated per signal.
import type { Comparison, Condition } from '../../contracts/campaign'
import { compilePattern, matchesPattern, normalizeUrl, type CompiledPattern, type NormalizedUrl } from '../url-pattern'
import type { ContactState } from './engine-types'

const DAY_MS = 86_400_000

/** A condition ready to evaluate: a `visited` one carries its parsed pattern (null = invalid, never true). */
export type CompiledCondition =
  Exclude<Condition, { type: 'visited' }> | (Extract<Condition, { type: 'visited' }> & { compiled: CompiledPattern | null })

// Conditions of loaded campaigns are immutable: each is compiled once, wherever it is first read.
const compiledConditions = new WeakMap<Condition, CompiledCondition>()

export function compileCondition(condition: Condition): CompiledCondition {
  if (condition.type !== 'visited') return condition
  let compiled = compiledConditions.get(condition)
  if (!compiled) compiledConditions.set(condition, (compiled = { ...condition, compiled: compilePattern(condition.pattern) }))
  return compiled
}

const fold = (text: string) => text.trim().toLowerCase()

/** A number when the text is one ("12", " 3.5 "); null otherwise. */
function asNumber(value: string | number): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null
  if (value.trim() === '') return null
  const n = Number(value)
  return Number.isFinite(n) ? n : null
}

/**
 * Compares `actual` (a field, a prop; '' when absent) with the comparison's value. Text compares
 * case-insensitively and trimmed, as marketers type it; greater-than / less-than compare numbers
 * and are false when either side is not one.
 */
export function compare(actual: string, { op, value }: Comparison): boolean {
  switch (op) {
    case 'is-empty':
      return actual.trim() === ''
    case 'is-not-empty':
      return actual.trim() !== ''
    case 'greater-than':
    case 'less-than': {
      const a = asNumber(actual)
      const b = asNumber(value)
      if (a === null || b === null) return false
      return op === 'greater-than' ? a > b : a < b
    }
    case 'equals':
    case 'not-equals': {
      const a = asNumber(actual)
      const b = asNumber(value)
      const same = a !== null && b !== null ? a === b : fold(actual) === fold(String(value))
      return op === 'equals' ? same : !same
    }
    case 'contains':
      return fold(actual).includes(fold(String(value)))
    case 'starts-with':
      return fold(actual).startsWith(fold(String(value)))
  }
}

// A contact's visited URLs, parsed once per state rather than once per condition; and each URL
// once per many states, as the object hands in the same page days again with every signal.
const parsedVisits = new WeakMap<ContactState['visited'], Array<{ url: NormalizedUrl; at: number }>>()
const parsedUrls = new Map<string, NormalizedUrl | null>()
const PARSED_URLS_KEPT = 2000

function parsedUrl(url: string): NormalizedUrl | null {
  let parsed = parsedUrls.get(url)
  if (parsed === undefined) {
    parsed = normalizeUrl(url)
    if (parsedUrls.size >= PARSED_URLS_KEPT) parsedUrls.clear()
    parsedUrls.set(url, parsed)
  }
  return parsed
}

function visitsOf(state: ContactState): Array<{ url: NormalizedUrl; at: number }> {
  let parsed = parsedVisits.get(state.visited)
  if (!parsed) {
    parsed = []
    for (const { url, at } of state.visited) {
      const normalized = parsedUrl(url)
      if (normalized) parsed.push({ url: normalized, at })
    }
    parsedVisits.set(state.visited, parsed)
  }
  return parsed
}

export function conditionHolds(condition: CompiledCondition, state: ContactState, now: number): boolean {
  switch (condition.type) {
    case 'field':
      return compare(state.fields[condition.field] ?? '', condition)
    case 'tag':
      return state.tags.includes(condition.tag) === condition.present
    case 'score':
      return (condition.min === undefined || state.score >= condition.min) && (condition.max === undefined || state.score <= condition.max)
    case 'owner':
      if (condition.is === 'set') return state.ownerId !== null
      if (condition.is === 'not-set') return state.ownerId === null
      return state.ownerId !== null && state.ownerId === condition.userId
    case 'list':
      return state.lists.includes(condition.listId) === condition.member
    case 'visited': {
      const { compiled } = condition
      if (!compiled) return false
      const since = now - condition.withinDays * DAY_MS
      return visitsOf(state).some(({ url, at }) => at >= since && at <= now && matchesPattern(compiled, url))
    }
  }
}

/** All conditions hold (none = true). */
export const allHold = (conditions: readonly CompiledCondition[], state: ContactState, now: number) =>
  conditions.every((c) => conditionHolds(c, state, now))
