// The campaign workspace both campaign benches use: 200 campaigns of mixed triggers (a third on
// page patterns, the rest on forms, custom events, tags, score thresholds, list edges, field
// changes, contact created, manual runs), conditions of every kind, every run limit, 50 scoring
// rules and 20 smart lists, as definitions the contract accepts. List edges go one campaign each
// (bsport's rule) and lists read earlier lists only (no cycles), as the service would check.
// Each bench names its own pages and list ids: the engine bench evaluates the mix in memory, the
// collect bench writes it into D1.
import * as v from 'valibot'
import {
  CampaignDefinition,
  ListDefinition,
  ScoringRuleDefinition,
  type Condition,
  type StepInput,
  type Trigger,
} from '../../durable-objects/contracts/campaign'
import { compilePattern } from '../../durable-objects/rules/url-pattern'
import { random } from './repeatable'

export const CAMPAIGNS = 200
export const SCORING_RULES = 50
export const LISTS = 20
export const TAGS = Array.from({ length: 30 }, (_, i) => `tag-${i}`)
export const EVENT_NAMES = Array.from({ length: 10 }, (_, i) => `event-${i}`)

export type MixOptions = {
  seed: number
  /** The path sections the pages and "visited" conditions name (8 of them). */
  sections: readonly string[]
  /** Prepended to every path pattern (`/demo` for the demo site). */
  pathPrefix: string
  listId: (i: number) => string
  /** The page pattern of campaign or rule i, drawn with the mix's `pick`; by default one the section's pages match. */
  pattern?: (i: number, pick: <T>(items: readonly T[]) => T) => string
}

export type CampaignMix = {
  campaigns: CampaignDefinition[]
  lists: ListDefinition[]
  scoringRules: ScoringRuleDefinition[]
  /** The bench's own random numbers, to go on drawing from the same seeded sequence. */
  r: (n: number) => number
}

export function campaignMix(options: MixOptions): CampaignMix {
  const { sections, pathPrefix, listId } = options
  const r = random(options.seed)
  const pick = <T>(items: readonly T[]): T => items[r(items.length)]!
  const sectionPattern = (i: number) =>
    pick([
      `${pathPrefix}/${sections[i % 8]}/**`,
      `${pathPrefix}/${sections[i % 8]}/item-*`,
      `${pathPrefix}/${sections[i % 8]}/*/page-12`,
      `${pathPrefix}/${sections[i % 8]}/intro`,
    ])
  const pattern = (i: number) => (options.pattern ? options.pattern(i, pick) : sectionPattern(i))

  function condition(i: number, lists: number): Condition {
    switch (i % 6) {
      case 0:
        return {
          type: 'field',
          field: pick(['company', 'custom.plan', 'custom.seats']),
          op: pick(['equals', 'contains', 'is-not-empty', 'greater-than'] as const),
          value: pick(['acme', 'pro', 10]),
        }
      case 1:
        return { type: 'tag', tag: pick(TAGS), present: r(2) === 0 }
      case 2:
        return { type: 'score', min: r(100) }
      case 3:
        return { type: 'owner', is: pick(['set', 'not-set'] as const) }
      case 4:
        return lists > 0 ? { type: 'list', listId: listId(r(lists)), member: r(3) !== 0 } : { type: 'score', max: 50 }
      default:
        return { type: 'visited', pattern: `${pathPrefix}/${pick(sections)}/**`, withinDays: pick([7, 30, 90]) }
    }
  }

  const listEdges = { next: 0 }
  function trigger(i: number): Trigger {
    if (i % 3 === 0)
      return {
        type: 'page-visited',
        pages: [
          { pattern: pattern(i), minSeconds: pick([0, 15, 30, 90]) },
          { pattern: pattern(i + 1), minSeconds: 0 },
        ],
      }
    switch (i % 9) {
      case 1:
        return { type: 'form-submitted', ...(r(2) ? { form: { id: `form-${r(5)}` } } : {}) }
      case 2:
        return {
          type: 'custom-event',
          name: pick(EVENT_NAMES),
          ...(r(2) ? { prop: { key: 'plan', op: 'equals' as const, value: 'pro' } } : {}),
        }
      case 4:
        return { type: 'tag-added', tag: pick(TAGS) }
      case 5:
        return { type: 'score-crossed', threshold: pick([25, 50, 100]), direction: pick(['up', 'down'] as const) }
      case 7: {
        const k = listEdges.next++
        return { type: k < LISTS ? 'list-entered' : 'list-left', listId: listId(k % LISTS) }
      }
      case 8:
        return { type: 'contact-updated', field: pick(['company', 'custom.plan']) }
      default:
        return pick<Trigger>([{ type: 'contact-created' }, { type: 'tag-removed', tag: pick(TAGS) }, { type: 'manual' }])
    }
  }

  /** Tag now, then an hour's wait before the alert: the benches measure the engine and the runs, not mail. */
  const steps = (i: number): StepInput[] => [
    { id: 'tag', type: 'add-tag', tag: pick(TAGS) },
    { id: 'wait', type: 'wait', seconds: 3600 },
    { id: 'hot', type: 'branch', condition: condition(i, LISTS), yes: [{ id: 'mail', type: 'send-alert', to: { owner: true } }], no: [] },
  ]

  const campaigns = Array.from({ length: CAMPAIGNS }, (_, i) =>
    v.parse(CampaignDefinition, {
      name: `Bench campaign ${i}`,
      triggers: [trigger(i)],
      conditions: Array.from({ length: r(3) }, (_, j) => condition(i + j, LISTS)),
      steps: steps(i),
      runLimit: pick([{ kind: 'always' }, { kind: 'once' }, { kind: 'per-entry', count: 2 }]),
      frequency: r(2) ? { count: 1 + r(3), period: pick(['day', 'week', 'month']) } : null,
    }),
  )
  const lists = Array.from({ length: LISTS }, (_, i) =>
    v.parse(ListDefinition, { name: `Bench list ${i}`, conditions: Array.from({ length: 1 + r(3) }, (_, j) => condition(i * 3 + j, i)) }),
  )
  const scoringRules = Array.from({ length: SCORING_RULES }, (_, i) =>
    v.parse(ScoringRuleDefinition, {
      name: `Bench rule ${i}`,
      on:
        i % 5 === 0
          ? { type: 'form-submitted' }
          : i % 5 === 1
            ? { type: 'custom-event', name: pick(EVENT_NAMES) }
            : { type: 'page-visited', pattern: pattern(i) },
      points: 1 + r(20),
      decayDays: r(2) ? 30 : null,
    }),
  )
  const patterns = [
    ...campaigns.flatMap((d) => d.triggers.flatMap((t) => (t.type === 'page-visited' ? t.pages.map((p) => p.pattern) : []))),
    ...scoringRules.flatMap((d) => (d.on.type === 'page-visited' ? [d.on.pattern] : [])),
  ]
  const bad = patterns.filter((p) => !compilePattern(p))
  if (bad.length) throw new Error(`bench URL patterns that do not compile: ${bad.join(', ')}`)
  return { campaigns, lists, scoringRules, r }
}
