// Random campaign sets for the engine properties: campaigns built from a small vocabulary of
// tags, thresholds, lists and events, so that they trigger each other often (tags added and
// removed, scores crossing, lists entered and left), and signals and states to meet them.
import fc from 'fast-check'
import type {
  CampaignSet,
  CampaignVersion,
  Condition,
  ScoringRule,
  SmartList,
  Step,
  Trigger,
} from '../../../durable-objects/contracts/campaign'
import type { CampaignSignal, ContactState } from '../../../durable-objects/rules/campaigns/engine-types'
import { NOW } from './support'

const TAGS = ['a', 'b', 'c']
const LISTS = ['l1', 'l2']

const tag = fc.constantFrom(...TAGS)

export const trigger: fc.Arbitrary<Trigger> = fc.oneof(
  tag.map((t) => ({ type: 'tag-added' as const, tag: t })),
  tag.map((t) => ({ type: 'tag-removed' as const, tag: t })),
  fc.record({
    type: fc.constant('score-crossed' as const),
    threshold: fc.constantFrom(10, 20, 50),
    direction: fc.constantFrom<'up' | 'down'>('up', 'down'),
  }),
  fc.constantFrom(...LISTS).map((l) => ({ type: 'list-entered' as const, listId: l })),
  fc.constantFrom(...LISTS).map((l) => ({ type: 'list-left' as const, listId: l })),
  fc.constantFrom<Trigger>(
    { type: 'custom-event', name: 'go' },
    { type: 'contact-created' },
    { type: 'manual' },
    { type: 'form-submitted' },
    { type: 'contact-updated', field: 'company' },
    { type: 'page-visited', pages: [{ pattern: '/pricing/**', minSeconds: 0 }] },
  ),
)

export const condition: fc.Arbitrary<Condition> = fc.oneof(
  fc.record({ type: fc.constant('tag' as const), tag, present: fc.boolean() }),
  fc.record({ type: fc.constant('score' as const), min: fc.constantFrom(0, 10, 30) }),
  fc.record({ type: fc.constant('list' as const), listId: fc.constantFrom(...LISTS), member: fc.boolean() }),
  fc.constant({ type: 'owner' as const, is: 'not-set' as const }),
  fc.constant({ type: 'field' as const, field: 'company', op: 'is-not-empty' as const, value: '' }),
  fc.constant({ type: 'visited' as const, pattern: '/pricing/**', withinDays: 7 }),
)

/** Steps without ids (an action is made with its id); `numbered` gives them ids unique within the campaign. */
type Bare = { kind: 'action'; make: (id: string) => Step } | { kind: 'branch'; condition: Condition; yes: Bare[]; no: Bare[] }

const made = (make: (id: string) => Step): Bare => ({ kind: 'action', make })

/** The actions that change what triggers read: tags and the score. */
const stateAction: fc.Arbitrary<Bare> = fc.oneof(
  tag.map((t) => made((id) => ({ id, type: 'add-tag', tag: t }))),
  tag.map((t) => made((id) => ({ id, type: 'remove-tag', tag: t }))),
  fc.constantFrom(-20, -5, 5, 20).map((by) => made((id) => ({ id, type: 'change-score', by }))),
)

const action: fc.Arbitrary<Bare> = fc.oneof(
  stateAction,
  fc.constantFrom('', 'ACME').map((value) => made((id) => ({ id, type: 'set-field', field: 'company', value }))),
  fc.constant(made((id) => ({ id, type: 'assign-owner', userId: 'u1', notify: true }))),
  fc.constant(made((id) => ({ id, type: 'assign-round-robin', userIds: ['u1', 'u2'], notify: true }))),
  fc.constant(made((id) => ({ id, type: 'send-alert', to: { owner: true, creator: false, addresses: [], cc: [] } }))),
  fc.constant(made((id) => ({ id, type: 'webhook', url: 'https://hooks.example.com/x' }))),
  fc.constant(made((id) => ({ id, type: 'wait', seconds: 3600 }))),
  fc.constant(made((id) => ({ id, type: 'wait-until', hour: 9, weekday: 1 }))),
)

const bare: fc.Arbitrary<Bare[]> = fc.letrec<{ steps: Bare[]; item: Bare }>((tie) => ({
  steps: fc.array(tie('item'), { minLength: 1, maxLength: 4 }),
  item: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    action,
    fc.record({ kind: fc.constant('branch' as const), condition, yes: tie('steps'), no: tie('steps') }),
  ),
})).steps

function numbered(steps: Bare[], next: { n: number }): Step[] {
  return steps.map((s): Step => {
    const id = `s${next.n++}`
    if (s.kind === 'branch') return { id, type: 'branch', condition: s.condition, yes: numbered(s.yes, next), no: numbered(s.no, next) }
    return s.make(id)
  })
}

const campaignParts = fc.record({
  triggers: fc.array(trigger, { minLength: 1, maxLength: 2 }),
  conditions: fc.array(condition, { maxLength: 2 }),
  steps: bare,
  runLimit: fc.constantFrom<CampaignVersion['runLimit']>(
    { kind: 'always' },
    { kind: 'once' },
    { kind: 'per-entry', count: 1 },
    { kind: 'per-entry', count: 2 },
  ),
  frequency: fc.option(fc.record({ count: fc.integer({ min: 1, max: 3 }), period: fc.constantFrom<'day' | 'week'>('day', 'week') }), {
    nil: null,
  }),
})

const lists: fc.Arbitrary<SmartList[]> = fc
  .tuple(fc.array(condition, { minLength: 1, maxLength: 2 }), fc.array(condition, { minLength: 1, maxLength: 2 }))
  .map(([c1, c2]) => [
    // l1 may not read itself; l2 may read l1.
    { id: 'l1', version: 1, name: 'l1', conditions: c1.filter((c) => !(c.type === 'list' && c.listId === 'l1')) },
    { id: 'l2', version: 1, name: 'l2', conditions: c2.filter((c) => !(c.type === 'list' && c.listId === 'l2')) },
  ])

const scoringRules: fc.Arbitrary<ScoringRule[]> = fc
  .array(
    fc.record({
      on: fc.oneof(
        fc.constant({ type: 'custom-event' as const, name: 'go' }),
        fc.constant({ type: 'page-visited' as const, pattern: '/pricing/**' }),
        fc.constant({ type: 'form-submitted' as const }),
      ),
      points: fc.constantFrom(-10, 5, 15, 25),
      decayDays: fc.option(fc.constantFrom(1, 30), { nil: null }),
    }),
    { maxLength: 4 },
  )
  .map((rules) => rules.map((r, i) => ({ id: `r${i}`, name: `r${i}`, ...r })))

export const campaignSet: fc.Arbitrary<CampaignSet> = fc
  .record({ campaigns: fc.array(campaignParts, { minLength: 1, maxLength: 6 }), lists, scoringRules })
  .map(({ campaigns, lists, scoringRules }) => ({
    campaigns: campaigns.map((c, i) => ({
      id: `k${i}`,
      version: 1,
      name: `k${i}`,
      category: '',
      createdBy: 'u9',
      ...c,
      steps: numbered(c.steps, { n: 0 }),
    })),
    lists,
    scoringRules,
  }))

/**
 * Campaigns that feed each other as much as they can: run every time, no conditions, triggered
 * by tags, scores and lists and changing tags and scores. Without the cascade bounds they loop.
 */
export const loopingSet: fc.Arbitrary<CampaignSet> = fc
  .array(
    fc.record({
      trigger: trigger.filter((t) => t.type.startsWith('tag') || t.type.startsWith('list') || t.type === 'score-crossed'),
      steps: fc.array(stateAction, { minLength: 1, maxLength: 3 }),
    }),
    { minLength: 2, maxLength: 6 },
  )
  .map((campaigns) => ({
    campaigns: campaigns.map(({ trigger, steps }, i) => ({
      id: `k${i}`,
      version: 1,
      name: `k${i}`,
      category: '',
      createdBy: 'u9',
      triggers: [trigger],
      conditions: [],
      steps: numbered(steps, { n: 0 }),
      runLimit: { kind: 'always' as const },
      frequency: null,
    })),
    lists: [
      { id: 'l1', version: 1, name: 'l1', conditions: [{ type: 'tag' as const, tag: 'a', present: true }] },
      { id: 'l2', version: 1, name: 'l2', conditions: [{ type: 'score' as const, min: 10 }] },
    ],
    scoringRules: [],
  }))

export const contactState: fc.Arbitrary<ContactState> = fc.record({
  contactId: fc.constant('c1'),
  fields: fc.constantFrom({}, { company: 'ACME' }),
  tags: fc.subarray(TAGS),
  score: fc.constantFrom(0, 9, 19, 25, 49, 60),
  ownerId: fc.constantFrom(null, 'u2'),
  lists: fc.subarray(LISTS),
  visited: fc.constantFrom([], [{ url: 'https://example.com/pricing', at: NOW - 86_400_000 }]),
})

export const signal: fc.Arbitrary<CampaignSignal> = fc.oneof(
  fc.constant({ type: 'custom-event' as const, name: 'go', props: {}, at: NOW }),
  fc.constant({ type: 'pageview' as const, url: 'https://example.com/pricing/team', at: NOW }),
  fc.constant({ type: 'form' as const, form: { id: 'f', name: 'f', action: '/x' }, url: 'https://example.com/', at: NOW }),
  fc.constant({ type: 'contact-created' as const, at: NOW }),
  fc.constant({ type: 'field-changed' as const, field: 'company', from: '', to: 'ACME', at: NOW }),
  fc.constant({ type: 'recheck' as const, at: NOW }),
  fc.constant({ type: 'score-decay' as const, ruleId: 'r0', points: 25, at: NOW }),
  fc.integer({ min: 0, max: 5 }).map((i) => ({ type: 'manual' as const, campaignId: `k${i}`, at: NOW })),
  fc
    .integer({ min: 0, max: 5 })
    .map((i) => ({ type: 'page-reached' as const, campaignId: `k${i}`, visitId: 'v1', url: 'https://example.com/pricing', at: NOW })),
  tag.map((t) => ({ type: 'changes' as const, changes: [{ type: 'tag-added' as const, tag: t }], depth: 0, at: NOW })),
)
