// Builders for the campaign engine tests: campaigns, lists, scoring rules and contact states
// with the defaults the contract fills in, and the object's loop reduced to its decisions.
import type { CampaignVersion, Condition, ScoringRule, SmartList, Step, Trigger } from '../../../durable-objects/contracts/campaign'
import type { Calendar } from '../../../durable-objects/rules/calendar'
import { compileCampaignSet, type CompiledCampaignSet } from '../../../durable-objects/rules/campaigns/compile'
import type { CampaignSignal, ContactState, Reaction, RunLedger } from '../../../durable-objects/rules/campaigns/engine-types'
import { react } from '../../../durable-objects/rules/campaigns/react'

export const CALENDAR: Calendar = { timeZone: 'Europe/Paris', weekStartsOn: 1 }
export const NOW = Date.parse('2026-11-30T09:00:00Z') // a Monday, 10:00 in Paris
export const DAY = 86_400_000

export function campaign(id: string, fields: Partial<CampaignVersion> & { triggers: Trigger[] }): CampaignVersion {
  return {
    id,
    version: 1,
    name: id,
    category: '',
    conditions: [],
    steps: [{ id: 's1', type: 'add-tag', tag: `ran-${id}` }],
    runLimit: { kind: 'always' },
    frequency: null,
    createdBy: 'user-1',
    ...fields,
  }
}

export const list = (id: string, conditions: Condition[]): SmartList => ({ id, version: 1, name: id, conditions })

export const rule = (id: string, on: ScoringRule['on'], points: number, decayDays: number | null = null): ScoringRule => ({
  id,
  name: id,
  on,
  points,
  decayDays,
})

export function compiled(parts: { campaigns?: CampaignVersion[]; lists?: SmartList[]; scoringRules?: ScoringRule[] }): CompiledCampaignSet {
  return compileCampaignSet({ campaigns: parts.campaigns ?? [], lists: parts.lists ?? [], scoringRules: parts.scoringRules ?? [] })
}

export function contact(fields: Partial<ContactState> = {}): ContactState {
  return { contactId: 'c1', fields: {}, tags: [], score: 0, ownerId: null, lists: [], visited: [], ...fields }
}

export const sendAlert = (id = 'send'): Step => ({ id, type: 'send-alert', to: { owner: true, creator: false, addresses: [], cc: [] } })

/** One reaction with the usual calendar and clock. */
export function reactTo(
  set: CompiledCampaignSet,
  signal: CampaignSignal,
  state: ContactState = contact(),
  runs: RunLedger = {},
  now = signal.at,
): Reaction {
  return react({ set, state, runs, signal, now, calendar: CALENDAR })
}

export const startedIds = (reaction: Reaction) => reaction.starts.map((s) => s.campaignId)
