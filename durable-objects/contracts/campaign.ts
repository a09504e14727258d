// The campaign contract: what a marketer saves (REST, builder), what D1 keeps per version and
// what a contact's object evaluates. Written once as valibot schemas; the types are inferred
// from them. A campaign is triggers, optional entry conditions, a run limit and a sequence of
// steps (actions, delays and yes/no branches). Smart lists and lead-scoring rules are the two
// other saved things the engine reads. Shape only: checks that need the database (a user or
// list exists) or the deployment (no private webhook targets in production) live in the
// campaign service.
import * as v from 'valibot'

const Name = v.pipe(v.string(), v.trim(), v.minLength(1, 'a name is required'), v.maxLength(200))
const Id = v.pipe(v.string(), v.minLength(1), v.maxLength(64))
const Tag = v.pipe(v.string(), v.trim(), v.minLength(1, 'a tag is required'), v.maxLength(64))
const Pattern = v.pipe(v.string(), v.trim(), v.minLength(1, 'a URL pattern is required'), v.maxLength(2048))
const Url = v.pipe(v.string(), v.url('a URL'), v.maxLength(2048))

const CUSTOM_KEY = '[A-Za-z0-9_-]{1,64}'
/** A custom field's key, as campaigns name it (`custom.<key>`) and `identify` traits give it. */
export const CUSTOM_FIELD_KEY = new RegExp(`^${CUSTOM_KEY}$`)
/** The most characters a field value holds, set by a campaign or an `identify` trait. */
export const FIELD_VALUE_CHARS = 500

/** The contact fields a campaign can read and write; `custom.<key>` names a custom field. */
export const ContactField = v.union([
  v.picklist(['email', 'name', 'company', 'phone']),
  v.pipe(v.string(), v.regex(new RegExp(`^custom\\.${CUSTOM_KEY}$`), 'a contact field (email, name, company, phone, custom.<key>)')),
])
export type ContactField = v.InferOutput<typeof ContactField>

export const PageRow = v.object({
  pattern: Pattern,
  minSeconds: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(86_400)),
})

/** A comparison of one value: a contact field, or a custom event's prop. */
export const Comparison = v.object({
  op: v.picklist(['equals', 'not-equals', 'contains', 'starts-with', 'is-empty', 'is-not-empty', 'greater-than', 'less-than']),
  /** Not read by is-empty / is-not-empty. Numbers compare numerically with greater-than / less-than. */
  value: v.optional(v.union([v.pipe(v.string(), v.maxLength(500)), v.number()]), ''),
})
export type Comparison = v.InferOutput<typeof Comparison>

export const Trigger = v.variant('type', [
  v.object({ type: v.literal('page-visited'), pages: v.pipe(v.array(PageRow), v.minLength(1), v.maxLength(50)) }),
  /** Any form when `form` is absent; otherwise the form whose given id / name / action equal these. */
  v.object({
    type: v.literal('form-submitted'),
    form: v.optional(v.object({ id: v.optional(v.string()), name: v.optional(v.string()), action: v.optional(v.string()) })),
  }),
  v.object({ type: v.literal('contact-created') }),
  /** A change of `field`; `from` / `to` narrow it to a change from or to a given value. */
  v.object({ type: v.literal('contact-updated'), field: ContactField, from: v.optional(v.string()), to: v.optional(v.string()) }),
  v.object({ type: v.literal('tag-added'), tag: Tag }),
  v.object({ type: v.literal('tag-removed'), tag: Tag }),
  v.object({ type: v.literal('score-crossed'), threshold: v.pipe(v.number(), v.integer()), direction: v.picklist(['up', 'down']) }),
  /** `pagebell('track', name, props)`; `prop` narrows it to events whose prop compares true. */
  v.object({
    type: v.literal('custom-event'),
    name: v.pipe(v.string(), v.minLength(1), v.maxLength(128)),
    prop: v.optional(v.object({ key: v.pipe(v.string(), v.minLength(1), v.maxLength(64)), ...Comparison.entries })),
  }),
  v.object({ type: v.literal('list-entered'), listId: Id }),
  v.object({ type: v.literal('list-left'), listId: Id }),
  /** Run for one contact from the admin or `POST /api/v1/campaigns/{id}/run`. */
  v.object({ type: v.literal('manual') }),
])
export type Trigger = v.InferOutput<typeof Trigger>

export const Condition = v.variant('type', [
  v.object({ type: v.literal('field'), field: ContactField, ...Comparison.entries }),
  v.object({ type: v.literal('tag'), tag: Tag, present: v.boolean() }),
  /** Inclusive bounds; at least one is given. */
  v.object({ type: v.literal('score'), min: v.optional(v.number()), max: v.optional(v.number()) }),
  /** `set`, `not-set`, or `is` a given user. */
  v.object({ type: v.literal('owner'), is: v.picklist(['set', 'not-set', 'user']), userId: v.optional(Id) }),
  v.object({ type: v.literal('list'), listId: Id, member: v.boolean() }),
  v.object({
    type: v.literal('visited'),
    pattern: Pattern,
    withinDays: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(365)),
  }),
])
export type Condition = v.InferOutput<typeof Condition>

/** Who an alert or a notification goes to. */
export const Recipients = v.object({
  /** The contact's owner. */
  owner: v.optional(v.boolean(), false),
  /** The user who made the campaign ("me"). */
  creator: v.optional(v.boolean(), false),
  addresses: v.optional(v.pipe(v.array(v.pipe(v.string(), v.email())), v.maxLength(20)), []),
  cc: v.optional(v.pipe(v.array(v.pipe(v.string(), v.email())), v.maxLength(20)), []),
})
export type Recipients = v.InferOutput<typeof Recipients>

/** Every step has an id unique within its campaign: counts per step and delays are keyed by it. */
const StepId = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,32}$/, 'a step id'))

/** The formats an alert's attachment can be rendered as. */
export const ATTACHMENT_FORMATS = ['txt', 'csv', 'html', 'json'] as const
export type AttachmentFormat = (typeof ATTACHMENT_FORMATS)[number]
/** An alert's description and templates, as the alert wizard sets them; the templates' syntax and size in bytes are the service's checks. */
export const ALERT_CONTENT_LIMITS = { description: 2_000, templateBytes: 100 * 1024 } as const

const ActionStep = v.variant('type', [
  v.object({
    id: StepId,
    type: v.literal('send-alert'),
    to: Recipients,
    subject: v.optional(v.pipe(v.string(), v.maxLength(200))),
    /** Printed at the top of the alert e-mail. */
    description: v.optional(v.pipe(v.string(), v.maxLength(ALERT_CONTENT_LIMITS.description))),
    /** A file rendered from a Liquid template and attached to the e-mail. */
    attachment: v.optional(
      v.nullable(
        v.object({
          format: v.picklist(ATTACHMENT_FORMATS, 'the attachment format is txt, csv, html or json'),
          template: v.pipe(v.string(), v.minLength(1, 'an attachment needs a template'), v.maxLength(ALERT_CONTENT_LIMITS.templateBytes)),
        }),
      ),
    ),
    /** A custom HTML e-mail template (Liquid); absent or null = the default alert template. */
    templateHtml: v.optional(v.nullable(v.pipe(v.string(), v.maxLength(ALERT_CONTENT_LIMITS.templateBytes)))),
  }),
  v.object({ id: StepId, type: v.literal('assign-owner'), userId: Id, notify: v.optional(v.boolean(), true) }),
  /** Round-robin over the users, in order, fair across restarts and concurrent contacts. */
  v.object({
    id: StepId,
    type: v.literal('assign-round-robin'),
    userIds: v.pipe(v.array(Id), v.minLength(1), v.maxLength(100)),
    notify: v.optional(v.boolean(), true),
  }),
  v.object({ id: StepId, type: v.literal('add-tag'), tag: Tag }),
  v.object({ id: StepId, type: v.literal('remove-tag'), tag: Tag }),
  v.object({ id: StepId, type: v.literal('change-score'), by: v.pipe(v.number(), v.integer(), v.minValue(-10_000), v.maxValue(10_000)) }),
  v.object({ id: StepId, type: v.literal('set-field'), field: ContactField, value: v.pipe(v.string(), v.maxLength(FIELD_VALUE_CHARS)) }),
  /** A signed POST (HMAC-SHA256 with the workspace's webhook secret) of the contact and what happened. */
  v.object({ id: StepId, type: v.literal('webhook'), url: Url }),
  /** A message to a chat incoming-webhook (Slack-compatible JSON). */
  v.object({ id: StepId, type: v.literal('chat'), url: Url }),
])

const DelayStep = v.variant('type', [
  v.object({ id: StepId, type: v.literal('wait'), seconds: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(365 * 86_400)) }),
  /** Until the next given weekday (1 = Monday ... 7 = Sunday, any day when absent) and hour, in the workspace's zone. */
  v.object({
    id: StepId,
    type: v.literal('wait-until'),
    weekday: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(7))),
    hour: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(23)),
  }),
])

export type Step =
  | v.InferOutput<typeof ActionStep>
  | v.InferOutput<typeof DelayStep>
  | { id: string; type: 'branch'; condition: Condition; yes: Step[]; no: Step[] }

export type SendAlertStep = Extract<Step, { type: 'send-alert' }>

/** A step as written (defaults not yet filled in). */
export type StepInput =
  | v.InferInput<typeof ActionStep>
  | v.InferInput<typeof DelayStep>
  | { id: string; type: 'branch'; condition: v.InferInput<typeof Condition>; yes: StepInput[]; no: StepInput[] }

const BranchStep = v.object({
  id: StepId,
  type: v.literal('branch'),
  condition: Condition,
  yes: v.pipe(v.array(v.lazy(() => StepSchema)), v.maxLength(50)),
  no: v.pipe(v.array(v.lazy(() => StepSchema)), v.maxLength(50)),
})

// One variant on `type`, so a wrong step says which field is wrong rather than "no union member".
// Named for the OpenAPI document, which shows the recursion as a reference to it.
export const StepSchema: v.GenericSchema<StepInput, Step> = v.pipe(
  v.variant('type', [...ActionStep.options, ...DelayStep.options, BranchStep]),
  v.metadata({ ref: 'Step' }),
)

/**
 * How often a contact may run the campaign: `once` ever; `always` each time it is triggered;
 * `per-entry` at most `count` times per entry (an entry lasts while the contact meets the
 * campaign's conditions, or is in the list of a list trigger; leaving and coming back starts a
 * new entry). The calendar `frequency` limit applies on top of any of them.
 */
export const RunLimit = v.variant('kind', [
  v.object({ kind: v.literal('once') }),
  v.object({ kind: v.literal('always') }),
  v.object({ kind: v.literal('per-entry'), count: v.picklist([1, 2, 3]) }),
])
export type RunLimit = v.InferOutput<typeof RunLimit>

export const FrequencyLimit = v.object({
  count: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(1000)),
  period: v.picklist(['day', 'week', 'month']),
})

/** What a marketer saves; each save of an existing campaign is a new version. */
export const CampaignDefinition = v.object({
  name: Name,
  category: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(64)), ''),
  triggers: v.pipe(v.array(Trigger), v.minLength(1, 'a campaign needs a trigger'), v.maxLength(10)),
  conditions: v.optional(v.pipe(v.array(Condition), v.maxLength(20)), []),
  steps: v.pipe(v.array(StepSchema), v.minLength(1, 'a campaign needs a step'), v.maxLength(50)),
  runLimit: v.optional(RunLimit, { kind: 'always' }),
  frequency: v.optional(v.nullable(FrequencyLimit), null),
})
export type CampaignDefinition = v.InferOutput<typeof CampaignDefinition>

/** A campaign version as the engine gets it (only active campaigns reach the objects). */
export type CampaignVersion = CampaignDefinition & { id: string; version: number; createdBy: string | null }

/** A smart list: a saved segment; a contact is a member while every condition holds. */
export const ListDefinition = v.object({
  name: Name,
  conditions: v.pipe(v.array(Condition), v.minLength(1, 'a list needs a condition'), v.maxLength(20)),
})
export type ListDefinition = v.InferOutput<typeof ListDefinition>
export type SmartList = ListDefinition & { id: string; version: number }

/** Points for what a contact does; `decayDays` takes the points away again that many days later. */
export const ScoringRuleDefinition = v.object({
  name: Name,
  on: v.variant('type', [
    v.object({ type: v.literal('page-visited'), pattern: Pattern }),
    v.object({
      type: v.literal('form-submitted'),
      form: v.optional(v.object({ id: v.optional(v.string()), name: v.optional(v.string()), action: v.optional(v.string()) })),
    }),
    v.object({ type: v.literal('custom-event'), name: v.pipe(v.string(), v.minLength(1), v.maxLength(128)) }),
  ]),
  points: v.pipe(v.number(), v.integer(), v.minValue(-1000), v.maxValue(1000)),
  decayDays: v.optional(v.nullable(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(365))), null),
})
export type ScoringRuleDefinition = v.InferOutput<typeof ScoringRuleDefinition>
export type ScoringRule = ScoringRuleDefinition & { id: string }

/** Everything a contact's object evaluates for a workspace, loaded from D1 per rules version. */
export type CampaignSet = { campaigns: CampaignVersion[]; lists: SmartList[]; scoringRules: ScoringRule[] }
