// Compiles a workspace's campaign set once per rules version: campaigns indexed by what can
// trigger them, conditions and list conditions parsed, lists in dependency order, scoring rules
// on page patterns in one PatternIndex, and the page rules the object checks thresholds with.
// Evaluating a signal then touches only the campaigns and rules it can concern.
import type { CampaignSet, CampaignVersion, ScoringRule, SmartList, Trigger } from '../../contracts/campaign'
import { compileRules, type CompiledRule, type PageRule } from '../page-rules'
import { PatternIndex } from '../pattern-index'
import { compilePattern } from '../url-pattern'
import { compileCondition, type CompiledCondition } from './conditions'
import { triggerKey } from './triggers'

export type CompiledCampaign = {
  campaign: CampaignVersion
  /** Position in the set: campaigns triggered together start in this order. */
  order: number
  conditions: CompiledCondition[]
  /** Lists of its list-entered triggers: with a per-entry limit, an entry also needs membership of one. */
  entryLists: string[]
  /** The per-entry limit, or null when the campaign does not count entries. */
  perEntry: number | null
}

/** A campaign with the one trigger of it that an event concerns. */
export type Triggered = { campaign: CompiledCampaign; trigger: Trigger }

export type CompiledList = { list: SmartList; conditions: CompiledCondition[] }

export type CompiledScoring = {
  pages: PatternIndex<ScoringRule>
  forms: ScoringRule[]
  events: ReadonlyMap<string, ScoringRule[]>
  /** Rule order in the set, so that rules matching one event apply in a stable order. */
  order: ReadonlyMap<string, number>
}

export type CompiledCampaignSet = {
  source: CampaignSet
  campaigns: ReadonlyMap<string, CompiledCampaign>
  /** Campaigns with a per-entry run limit, whose entries are followed on every signal. */
  tracked: CompiledCampaign[]
  /** Campaigns by what triggers them (`triggerKey`), in the set's order. */
  triggers: ReadonlyMap<string, Triggered[]>
  /** In dependency order: a list that reads another's membership comes after it. */
  lists: CompiledList[]
  scoring: CompiledScoring
  /** The campaigns' page-visited triggers as page rules of kind `campaign` (see `campaignPageRules`). */
  pageRules: CompiledRule[]
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key)
  if (list) list.push(value)
  else map.set(key, [value])
}

/**
 * A campaign's page-visited triggers as one page rule (id = campaign id; the rows of all its
 * page-visited triggers). Its `limit` is unused: the campaign's frequency is the engine's.
 */
function pageRuleOf(campaign: CampaignVersion): PageRule | null {
  const pages = campaign.triggers.flatMap((t) => (t.type === 'page-visited' ? t.pages : []))
  return pages.length ? { id: campaign.id, kind: 'campaign', pages, limit: { count: Number.MAX_SAFE_INTEGER, period: 'day' } } : null
}

/** Lists ordered so that one whose conditions read another list's membership comes after that list. */
function orderLists(lists: SmartList[]): SmartList[] {
  const byId = new Map(lists.map((l) => [l.id, l]))
  const done = new Set<string>()
  const visiting = new Set<string>()
  const out: SmartList[] = []
  const visit = (list: SmartList) => {
    if (done.has(list.id) || visiting.has(list.id)) return // a cycle is read in the set's order
    visiting.add(list.id)
    for (const c of list.conditions) {
      const dependency = c.type === 'list' ? byId.get(c.listId) : undefined
      if (dependency) visit(dependency)
    }
    visiting.delete(list.id)
    done.add(list.id)
    out.push(list)
  }
  for (const list of lists) visit(list)
  return out
}

function compileScoring(rules: ScoringRule[]): CompiledScoring {
  const events = new Map<string, ScoringRule[]>()
  const forms: ScoringRule[] = []
  const pages: Array<{ pattern: NonNullable<ReturnType<typeof compilePattern>>; value: ScoringRule }> = []
  for (const rule of rules) {
    if (rule.on.type === 'custom-event') push(events, rule.on.name, rule)
    else if (rule.on.type === 'form-submitted') forms.push(rule)
    else {
      const pattern = compilePattern(rule.on.pattern)
      if (pattern) pages.push({ pattern, value: rule })
    }
  }
  return { pages: new PatternIndex(pages), forms, events, order: new Map(rules.map((r, i) => [r.id, i])) }
}

export function compileCampaignSet(set: CampaignSet): CompiledCampaignSet {
  const campaigns = new Map<string, CompiledCampaign>()
  const triggers = new Map<string, Triggered[]>()
  const pageRules: PageRule[] = []

  set.campaigns.forEach((campaign, order) => {
    const compiled: CompiledCampaign = {
      campaign,
      order,
      conditions: campaign.conditions.map(compileCondition),
      entryLists: campaign.triggers.flatMap((t) => (t.type === 'list-entered' ? [t.listId] : [])),
      perEntry: campaign.runLimit.kind === 'per-entry' ? campaign.runLimit.count : null,
    }
    campaigns.set(campaign.id, compiled)
    for (const trigger of campaign.triggers) push(triggers, triggerKey(trigger, campaign.id), { campaign: compiled, trigger })
    const rule = pageRuleOf(campaign)
    if (rule) pageRules.push(rule)
  })

  return {
    source: set,
    campaigns,
    tracked: [...campaigns.values()].filter((c) => c.perEntry !== null),
    triggers,
    lists: orderLists(set.lists).map((list) => ({ list, conditions: list.conditions.map(compileCondition) })),
    scoring: compileScoring(set.scoringRules),
    pageRules: compileRules(pageRules),
  }
}

/** The page rules (kind `campaign`) for `dueRules`: a due (visit, rule) is a `page-reached` signal for campaign `rule.id`. */
export const campaignPageRules = (set: CompiledCampaignSet): CompiledRule[] => set.pageRules
