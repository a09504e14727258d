// The campaign engine's inputs and outputs: what the contact object keeps (contact state, run
// ledger), what it hands in (signals) and what it gets back (reactions, step outcomes, effects).
// Types only. Everything here is plain JSON: states, ledgers, positions and effects sit in the
// object's SQLite and on the queue.
import type { CampaignVersion, ContactField, Recipients } from '../../contracts/campaign'
import type { Calendar } from '../calendar'
import type { CompiledCampaignSet } from './compile'

export type { CompiledCampaignSet } from './compile'

/** What the engine knows of one contact; conditions, lists and branches read it. */
export type ContactState = {
  contactId: string
  /** Absent or empty string = not set. */
  fields: Partial<Record<ContactField, string>>
  tags: string[]
  score: number
  ownerId: string | null
  /** Ids of the smart lists the contact is in. */
  lists: string[]
  /** Recent page visits (one per page and day is enough), for the "visited within N days" condition. */
  visited: Array<{ url: string; at: number }>
}

/** A form as the script reports it. */
export type SubmittedForm = { id: string; name: string; action: string }

/**
 * What happened to the contact. Tag, score and list signals are not handed in: the engine
 * derives them from the state changes (its own, and those `advance` reports back through
 * `changes`).
 */
export type CampaignSignal =
  /** A page view: scoring rules on page patterns. */
  | { type: 'pageview'; url: string; at: number }
  /** A visit reached a campaign's page-visited threshold (found with `dueRules` over `campaignPageRules(set)`). */
  | { type: 'page-reached'; campaignId: string; visitId: string; url: string; at: number }
  | { type: 'form'; form: SubmittedForm; url: string; at: number }
  | { type: 'custom-event'; name: string; props: Record<string, string | number | boolean>; at: number }
  | { type: 'contact-created'; at: number }
  /** A field changed from outside the engine (identify, the admin, the API). */
  | { type: 'field-changed'; field: ContactField; from: string; to: string; at: number }
  /** Run one campaign for this contact by hand or by API (the campaign needs a `manual` trigger). */
  | { type: 'manual'; campaignId: string; at: number }
  /** A score decay that `react` scheduled earlier is due: takes `points` away again. */
  | { type: 'score-decay'; ruleId: string; points: number; at: number }
  /**
   * State changes made by a run's steps (`advance`), handed back so that the tag / score / field
   * / list signals they cause trigger other campaigns. `depth` and `chain` are the run's: with
   * the chain, a campaign that would trigger itself again (directly or through others) is held
   * at once; without it, the depth alone stops the loop.
   */
  | { type: 'changes'; changes: StateChange[]; depth: number; chain?: string[]; at: number }
  /** Recompute list membership and entries only (a list was edited; time passed). */
  | { type: 'recheck'; at: number }

/** Why the score moved. */
export type ScoreReason =
  { kind: 'scoring-rule'; ruleId: string } | { kind: 'decay'; ruleId: string } | { kind: 'step'; campaignId: string; stepId: string }

/** One change of the contact's state, in the order it happened. */
export type StateChange =
  | { type: 'tag-added'; tag: string }
  | { type: 'tag-removed'; tag: string }
  | { type: 'score'; by: number; from: number; to: number; reason: ScoreReason }
  | { type: 'field-set'; field: ContactField; from: string; to: string }
  | { type: 'owner-set'; from: string | null; to: string }
  | { type: 'list-entered'; listId: string }
  | { type: 'list-left'; listId: string }

/**
 * What the object keeps per campaign for one contact. `entry` counts entries (1 = the first);
 * `inside` says whether the contact is in one now (meets the conditions, and is in the list of a
 * list-entered trigger when there is one); `entryRuns` counts the runs of the current entry.
 * `sent` holds the frequency counter of the current calendar period only (older ones are dropped).
 */
export type CampaignLedger = {
  runs: number
  entry: number
  entryRuns: number
  inside: boolean
  sent: { period: string; count: number } | null
}

/** campaignId → its ledger; a campaign not listed has never run nor been entered. */
export type RunLedger = Record<string, CampaignLedger>

/** A run `react` starts: the object stores it and calls `advance` with `position: START`. */
export type RunStart = {
  campaignId: string
  version: number
  /** Idempotency key of the run, unique per contact and campaign: `<campaignId>:<contactId>:<run number>`. */
  runKey: string
  /** The entry it counts against (1 = the first); 0 when the campaign does not count entries (no per-entry limit). */
  entry: number
  /** How many runs led here (0 = straight from a signal from outside); bounded by MAX_CASCADE_DEPTH. */
  depth: number
  /** The campaigns of those runs and this one, first first: hand it back with the run's changes. */
  chain: string[]
  /** What triggered it, for the run history. */
  trigger: string
}

/** `cascade-loop`: the campaign is already in the chain of runs that led here; `cascade-depth`: the chain is too long. */
export type HeldReason = 'run-limit' | 'frequency' | 'cascade-depth' | 'cascade-loop'

/** A triggered campaign that did not run (its conditions held), and why. */
export type HeldRun = { campaignId: string; version: number; reason: HeldReason; trigger: string }

/** Points to take away again at `at` (hand back as a `score-decay` signal then). */
export type ScoreDecay = { at: number; points: number; ruleId: string }

export type Reaction = {
  state: ContactState
  changes: StateChange[]
  starts: RunStart[]
  held: HeldRun[]
  decays: ScoreDecay[]
  /** The ledger after this reaction: store it whole. */
  runs: RunLedger
}

/**
 * Where a run stands: continue after the step `after` (null = from the first step). Step ids
 * are unique within a campaign version, and a run stays on its version, so this is stable.
 */
export type Position = { after: string | null }

export const START: Position = { after: null }

/** Fields every effect carries; `key` (`<runKey>:<stepId>`) is its idempotency key. */
type EffectBase = { key: string; runKey: string; campaignId: string; version: number; stepId: string }

/** What needs the outside world; the object queues it (or, for round-robin, resolves it and calls `advance` again). */
export type Effect =
  | (EffectBase & { type: 'send-alert'; to: Recipients; subject: string | null; createdBy: string | null })
  | (EffectBase & { type: 'assign-round-robin'; userIds: string[] })
  | (EffectBase & { type: 'notify-owner'; ownerId: string })
  | (EffectBase & { type: 'webhook'; url: string })
  | (EffectBase & { type: 'chat'; url: string })

export type AdvanceNext =
  | { kind: 'wait'; until: number; position: Position }
  | { kind: 'done' }
  /** A round-robin step needs the chosen user: call `advance` again at `position` with `result`. */
  | { kind: 'effect-result-needed'; position: Position }

export type AdvanceOutcome = {
  state: ContactState
  changes: StateChange[]
  effects: Effect[]
  next: AdvanceNext
  /** Ids of the steps run by this call, in order (counts per step). */
  ran: string[]
}

export type ReactInput = {
  set: CompiledCampaignSet
  state: ContactState
  runs: RunLedger
  signal: CampaignSignal
  now: number
  calendar: Calendar
}

export type AdvanceInput = {
  /** The version the run started on. */
  campaign: CampaignVersion
  run: {
    runKey: string
    position: Position
    /** The answer to `effect-result-needed`: the user the round-robin chose. */
    result?: { userId: string }
  }
  state: ContactState
  now: number
  calendar: Calendar
}
