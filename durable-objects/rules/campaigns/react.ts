// What one signal does to a contact: scoring points (with their decays), smart lists recomputed,
// entries followed, and the campaigns it triggers, directly or through the changes it makes
// (score crossed, list entered / left), that pass their conditions, run limit and frequency.
// Runs are started here and walked by `advance`; the state changes a run's steps make come
// back as a `changes` signal, one level deeper, so campaigns triggering each other stop: a
// campaign is not started again by a chain of runs it is already in, and no chain is longer than
// MAX_CASCADE_DEPTH whatever the campaigns say. Pure: same input, same reaction.
import { changeScore, record } from './actions'
import type { CompiledCampaign, CompiledCampaignSet } from './compile'
import { allHold } from './conditions'
import type {
  CampaignLedger,
  ContactState,
  HeldRun,
  Reaction,
  ReactInput,
  RunLedger,
  RunStart,
  ScoreDecay,
  StateChange,
} from './engine-types'
import { recomputeLists } from './lists'
import { admitRun, EMPTY_LEDGER, followEntry, periodsAt } from './run-limits'
import { decayOf, scoringRulesFor } from './scoring'
import { changeEvents, triggeredBy, type TriggerEvent } from './triggers'

/** Runs started by runs started by ... a signal: deeper than this, a triggered campaign is held. */
export const MAX_CASCADE_DEPTH = 8

/** The events the signal itself is, before any change it makes. */
function signalEvents(input: ReactInput): TriggerEvent[] {
  const { signal } = input
  switch (signal.type) {
    case 'page-reached':
    case 'manual':
      return [{ type: signal.type, campaignId: signal.campaignId }]
    case 'form':
      return [{ type: 'form', form: signal.form }]
    case 'custom-event':
      return [{ type: 'custom-event', name: signal.name, props: signal.props }]
    case 'contact-created':
      return [{ type: 'contact-created' }]
    case 'field-changed':
      return [{ type: 'field-changed', field: signal.field, from: signal.from, to: signal.to }]
    case 'changes':
      return changeEvents(signal.changes)
    case 'pageview':
    case 'score-decay':
    case 'recheck':
      return []
  }
}

/** The signal's own changes to the state: points earned or decayed, a field set from outside. */
function applySignal(input: ReactInput, changes: StateChange[], decays: ScoreDecay[]): ContactState {
  const { signal, set, now } = input
  let state = input.state
  if (signal.type === 'score-decay') return record(changeScore(state, -signal.points, { kind: 'decay', ruleId: signal.ruleId }), changes)
  // The field is the caller's change, already made or made here; it is an event, not a change of ours.
  if (signal.type === 'field-changed' && state.fields[signal.field] !== signal.to)
    state = { ...state, fields: { ...state.fields, [signal.field]: signal.to } }
  for (const rule of scoringRulesFor(set.scoring, signal)) {
    state = record(changeScore(state, rule.points, { kind: 'scoring-rule', ruleId: rule.id }), changes)
    const decay = rule.points !== 0 ? decayOf(rule, now) : null
    if (decay) decays.push(decay)
  }
  return state
}

/** Whether the contact is inside the campaign's entry now. */
function isInside(compiled: CompiledCampaign, state: ContactState, now: number): boolean {
  return (
    (compiled.entryLists.length === 0 || compiled.entryLists.some((id) => state.lists.includes(id))) &&
    allHold(compiled.conditions, state, now)
  )
}

/** Ledger updates, copying the handed-in ledger once, on the first write. */
class Ledger {
  private copy: RunLedger | null = null
  constructor(private readonly original: RunLedger) {}

  get(campaignId: string): CampaignLedger {
    return (this.copy ?? this.original)[campaignId] ?? EMPTY_LEDGER
  }

  set(campaignId: string, ledger: CampaignLedger): void {
    if (ledger === this.get(campaignId)) return
    this.copy ??= { ...this.original }
    this.copy[campaignId] = ledger
  }

  get result(): RunLedger {
    return this.copy ?? this.original
  }
}

/** The campaigns the events trigger, each once (its first trigger), in the set's order. */
function triggeredCampaigns(set: CompiledCampaignSet, events: TriggerEvent[]): Array<{ compiled: CompiledCampaign; trigger: string }> {
  const found = new Map<string, { compiled: CompiledCampaign; trigger: string }>()
  for (const event of events) {
    for (const { campaign, trigger } of triggeredBy(set, event)) {
      if (!found.has(campaign.campaign.id)) found.set(campaign.campaign.id, { compiled: campaign, trigger: trigger.type })
    }
  }
  return [...found.values()].sort((a, b) => a.compiled.order - b.compiled.order)
}

export function react(input: ReactInput): Reaction {
  const { set, signal, now, calendar } = input
  const changes: StateChange[] = []
  const decays: ScoreDecay[] = []
  const applied = applySignal(input, changes, decays)
  const lists = recomputeLists(set.lists, applied, now)
  const state = lists.state
  changes.push(...lists.changes)

  const ledger = new Ledger(input.runs)
  for (const compiled of set.tracked) {
    const id = compiled.campaign.id
    ledger.set(id, followEntry(ledger.get(id), isInside(compiled, state, now)))
  }

  const depth = signal.type === 'changes' ? signal.depth + 1 : 0
  const chain = signal.type === 'changes' ? (signal.chain ?? []) : []
  const periodOf = periodsAt(now, calendar)
  const starts: RunStart[] = []
  const held: HeldRun[] = []
  for (const { compiled, trigger } of triggeredCampaigns(set, [...signalEvents(input), ...changeEvents(changes)])) {
    const { id, version } = compiled.campaign
    if (!allHold(compiled.conditions, state, now)) continue
    if (chain.includes(id) || depth > MAX_CASCADE_DEPTH) {
      held.push({ campaignId: id, version, reason: chain.includes(id) ? 'cascade-loop' : 'cascade-depth', trigger })
      continue
    }
    const admission = admitRun(compiled, ledger.get(id), periodOf)
    if (!admission.ok) {
      held.push({ campaignId: id, version, reason: admission.reason, trigger })
      continue
    }
    ledger.set(id, admission.ledger)
    const { runs, entry } = admission.ledger
    starts.push({ campaignId: id, version, runKey: `${id}:${state.contactId}:${runs}`, entry, depth, chain: [...chain, id], trigger })
  }
  return { state, changes, starts, held, decays, runs: ledger.result }
}

/**
 * The background recompute when a list is edited (the set already holds the new version): the
 * contact's lists recomputed, and the list-entered / left campaigns they trigger.
 */
export const recomputeList = (input: Omit<ReactInput, 'signal'>): Reaction =>
  react({ ...input, signal: { type: 'recheck', at: input.now } })
