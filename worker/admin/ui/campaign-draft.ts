// The campaign builder's form as typed, and the way to and from the contract. Every control is
// named by its path in the definition (`steps.2.yes.0.userIds`), so the form posts back as a
// tree, the service's refusals (which name the same paths) land next to their field, and the
// builder needs no script: adding, removing and moving steps are buttons the server answers by
// re-rendering the draft. Values stay text until saving; the conversion then names each number
// that is not one. Also the smart-list and scoring-rule forms' drafts (conditions, a form match).
import type { CampaignDefinition, Condition, Recipients, ScoringRuleDefinition, Trigger } from '../../../durable-objects/contracts/campaign'
import type { FieldError } from '../../field-errors'
import { Conversion, FormNode, type Fields, type Loose } from './campaign-form-tree'

export type { Fields }

export type StepDraft = {
  id: string
  type: string
  fields: Fields
  /** The round-robin's users (checkboxes). */
  userIds: string[]
  /** A branch's condition and its two lists; kept while the type is changed, so nothing typed is lost. */
  condition: Fields
  yes: StepDraft[]
  no: StepDraft[]
}

export type CampaignDraft = {
  name: string
  category: string
  triggers: Fields[]
  conditions: Fields[]
  steps: StepDraft[]
  /** `once`, `always`, `per-entry-1`, `per-entry-2`, `per-entry-3`. */
  runLimit: string
  /** Empty: no calendar limit. */
  frequencyCount: string
  frequencyPeriod: string
}

/** Deeper branches than this are not read from a posted form (the contract's own limit on steps comes first). */
const MAX_DEPTH = 8

export const newStepId = () => `s${crypto.randomUUID().replace(/-/g, '').slice(0, 10)}`

export const emptyStep = (type: string): StepDraft => ({
  id: newStepId(),
  type,
  // A new owner is told by default, as the contract defaults it.
  fields: { notify: 'on', unit: 'hours', amount: '1', hour: '9', owner: 'on' },
  userIds: [],
  condition: { type: 'score' },
  yes: [],
  no: [],
})

export const emptyCampaignDraft = (): CampaignDraft => ({
  name: '',
  category: '',
  triggers: [{ type: 'form-submitted' }],
  conditions: [],
  steps: [],
  runLimit: 'always',
  frequencyCount: '',
  frequencyPeriod: 'day',
})

const SKIP = new Set(['id', 'type', 'userIds'])

function stepFrom(node: FormNode, depth: number): StepDraft {
  const fields: Fields = {}
  for (const [k, kid] of node.kids) if (!SKIP.has(k) && kid.values[0] !== undefined) fields[k] = kid.values[0]
  const id = node.text('id')
  return {
    id: /^[A-Za-z0-9_-]{1,32}$/.test(id) ? id : newStepId(),
    type: node.text('type'),
    fields,
    userIds: node.all('userIds'),
    condition: node.fields('condition'),
    yes: depth < MAX_DEPTH ? node.items('yes').map((n) => stepFrom(n, depth + 1)) : [],
    no: depth < MAX_DEPTH ? node.items('no').map((n) => stepFrom(n, depth + 1)) : [],
  }
}

export function campaignDraftFromForm(form: FormData): CampaignDraft {
  const root = FormNode.of(form)
  return {
    name: root.text('name'),
    category: root.text('category'),
    triggers: root.items('triggers').map((n) => n.flat()),
    conditions: root.items('conditions').map((n) => n.own()),
    steps: root.items('steps').map((n) => stepFrom(n, 0)),
    runLimit: root.text('runLimit') || 'always',
    frequencyCount: root.text('frequencyCount'),
    frequencyPeriod: root.text('frequencyPeriod') || 'day',
  }
}

// ---- Draft → contract input (checked by valibot and the service afterwards) --------------------

const opt = (s: string | undefined) => (s === undefined || s.trim() === '' ? undefined : s.trim())
const on = (s: string | undefined) => s === 'on' || s === 'true'
const commaList = (s: string | undefined) =>
  (s ?? '')
    .split(/[,;\s]+/)
    .map((x) => x.trim())
    .filter(Boolean)

function formMatch(f: Fields) {
  const form = { id: opt(f.formId), name: opt(f.formName), action: opt(f.formAction) }
  return form.id || form.name || form.action ? form : undefined
}

/** A page-visited trigger's rows (`pages.N.pattern`, `pages.N.minSeconds`), in their order. */
export function pageRows(f: Fields): Array<{ pattern: string; minSeconds: string }> {
  const rows = new Map<number, { pattern: string; minSeconds: string }>()
  for (const [key, value] of Object.entries(f)) {
    const m = /^pages\.(\d{1,2})\.(pattern|minSeconds)$/.exec(key)
    if (!m) continue
    const row = rows.get(Number(m[1])) ?? { pattern: '', minSeconds: '0' }
    row[m[2] === 'pattern' ? 'pattern' : 'minSeconds'] = value
    rows.set(Number(m[1]), row)
  }
  return [...rows].sort(([a], [b]) => a - b).map(([, row]) => row)
}

/** The rows back as a trigger's fields, numbered from 0 (after one was added or removed). */
export function withPageRows(f: Fields, rows: ReadonlyArray<{ pattern: string; minSeconds: string }>): Fields {
  const out: Fields = Object.fromEntries(Object.entries(f).filter(([key]) => !key.startsWith('pages.')))
  rows.forEach((row, i) => {
    out[`pages.${i}.pattern`] = row.pattern
    out[`pages.${i}.minSeconds`] = row.minSeconds
  })
  return out
}

export function triggerInput(f: Fields, path: string, cv: Conversion): Loose {
  switch (f.type) {
    case 'page-visited':
      return {
        type: f.type,
        pages: pageRows(f).map((row, i) => ({
          pattern: row.pattern.trim(),
          minSeconds: cv.int(row.minSeconds || '0', `${path}.pages.${i}.minSeconds`) ?? 0,
        })),
      }
    case 'form-submitted':
      return { type: f.type, form: formMatch(f) }
    case 'contact-updated':
      return { type: f.type, field: f.field ?? '', from: opt(f.from), to: opt(f.to) }
    case 'tag-added':
    case 'tag-removed':
      return { type: f.type, tag: f.tag ?? '' }
    case 'score-crossed':
      return { type: f.type, threshold: cv.int(f.threshold, `${path}.threshold`), direction: f.direction || 'up' }
    case 'custom-event': {
      const key = opt(f.propKey)
      return { type: f.type, name: f.name ?? '', prop: key ? { key, op: f.propOp || 'equals', value: f.propValue ?? '' } : undefined }
    }
    case 'list-entered':
    case 'list-left':
      return { type: f.type, listId: f.listId ?? '' }
    default:
      return { type: f.type ?? '' }
  }
}

export function conditionInput(f: Fields, path: string, cv: Conversion): Loose {
  switch (f.type) {
    case 'field':
      return { type: f.type, field: f.field ?? '', op: f.op || 'equals', value: f.value ?? '' }
    case 'tag':
      return { type: f.type, tag: f.tag ?? '', present: f.present !== 'no' }
    case 'score':
      return { type: f.type, min: cv.int(f.min, `${path}.min`, false), max: cv.int(f.max, `${path}.max`, false) }
    case 'owner':
      return { type: f.type, is: f.is || 'set', userId: f.is === 'user' ? opt(f.userId) : undefined }
    case 'list':
      return { type: f.type, listId: f.listId ?? '', member: f.member !== 'no' }
    case 'visited':
      return { type: f.type, pattern: f.pattern ?? '', withinDays: cv.int(f.withinDays, `${path}.withinDays`) }
    default:
      return { type: f.type ?? '' }
  }
}

const UNIT_SECONDS: Record<string, number> = { minutes: 60, hours: 3_600, days: 86_400 }

function stepInput(s: StepDraft, path: string, cv: Conversion): Loose {
  const f = s.fields
  const base = { id: s.id, type: s.type }
  switch (s.type) {
    case 'send-alert':
      return {
        ...base,
        to: { owner: on(f.owner), creator: on(f.creator), addresses: commaList(f.addresses), cc: commaList(f.cc) },
        subject: opt(f.subject),
        description: opt(f.description),
        // Half an attachment (a format without a template, or the reverse) goes on for the contract to name.
        attachment:
          opt(f.attachmentFormat) || opt(f.attachmentTemplate)
            ? { format: f.attachmentFormat ?? '', template: f.attachmentTemplate ?? '' }
            : undefined,
        templateHtml: f.templateHtml?.trim() ? f.templateHtml : undefined,
      }
    case 'assign-owner':
      return { ...base, userId: f.userId ?? '', notify: on(f.notify) }
    case 'assign-round-robin':
      return { ...base, userIds: s.userIds, notify: on(f.notify) }
    case 'add-tag':
    case 'remove-tag':
      return { ...base, tag: f.tag ?? '' }
    case 'change-score':
      return { ...base, by: cv.int(f.by, `${path}.by`) }
    case 'set-field':
      return { ...base, field: f.field ?? '', value: f.value ?? '' }
    case 'webhook':
    case 'chat':
      return { ...base, url: (f.url ?? '').trim() }
    case 'wait': {
      const amount = cv.int(f.amount, `${path}.seconds`) ?? 0
      return { ...base, seconds: amount * (UNIT_SECONDS[f.unit ?? ''] ?? 3_600) }
    }
    case 'wait-until':
      return { ...base, weekday: cv.int(f.weekday, `${path}.weekday`, false), hour: cv.int(f.hour, `${path}.hour`) }
    case 'branch':
      return {
        ...base,
        condition: conditionInput(s.condition, `${path}.condition`, cv),
        yes: s.yes.map((x, i) => stepInput(x, `${path}.yes.${i}`, cv)),
        no: s.no.map((x, i) => stepInput(x, `${path}.no.${i}`, cv)),
      }
    default:
      return base
  }
}

function runLimitInput(value: string): Loose {
  const perEntry = /^per-entry-([123])$/.exec(value)
  if (perEntry) return { kind: 'per-entry', count: Number(perEntry[1]) }
  return { kind: value === 'once' ? 'once' : 'always' }
}

/** The definition as the contract reads it (to be parsed), and the numbers that were not numbers. */
export function campaignInput(d: CampaignDraft): { input: Loose; errors: FieldError[] } {
  const cv = new Conversion()
  const input = {
    name: d.name,
    category: d.category,
    triggers: d.triggers.map((t, i) => triggerInput(t, `triggers.${i}`, cv)),
    conditions: d.conditions.map((c, i) => conditionInput(c, `conditions.${i}`, cv)),
    steps: d.steps.map((s, i) => stepInput(s, `steps.${i}`, cv)),
    runLimit: runLimitInput(d.runLimit),
    frequency: d.frequencyCount.trim() ? { count: cv.int(d.frequencyCount, 'frequency.count'), period: d.frequencyPeriod } : null,
  }
  return { input, errors: cv.errors }
}

// ---- Contract → draft (to edit a saved campaign) -----------------------------------------------

const str = (n: number | undefined) => (n === undefined ? '' : String(n))

export function triggerDraft(t: Trigger): Fields {
  switch (t.type) {
    case 'page-visited':
      return withPageRows(
        { type: t.type },
        t.pages.map((p) => ({ pattern: p.pattern, minSeconds: String(p.minSeconds) })),
      )
    case 'form-submitted':
      return { type: t.type, formId: t.form?.id ?? '', formName: t.form?.name ?? '', formAction: t.form?.action ?? '' }
    case 'contact-updated':
      return { type: t.type, field: t.field, from: t.from ?? '', to: t.to ?? '' }
    case 'tag-added':
    case 'tag-removed':
      return { type: t.type, tag: t.tag }
    case 'score-crossed':
      return { type: t.type, threshold: String(t.threshold), direction: t.direction }
    case 'custom-event':
      return {
        type: t.type,
        name: t.name,
        propKey: t.prop?.key ?? '',
        propOp: t.prop?.op ?? 'equals',
        propValue: String(t.prop?.value ?? ''),
      }
    case 'list-entered':
    case 'list-left':
      return { type: t.type, listId: t.listId }
    default:
      return { type: t.type }
  }
}

export function conditionDraft(c: Condition): Fields {
  switch (c.type) {
    case 'field':
      return { type: c.type, field: c.field, op: c.op, value: String(c.value) }
    case 'tag':
      return { type: c.type, tag: c.tag, present: c.present ? 'yes' : 'no' }
    case 'score':
      return { type: c.type, min: str(c.min), max: str(c.max) }
    case 'owner':
      return { type: c.type, is: c.is, userId: c.userId ?? '' }
    case 'list':
      return { type: c.type, listId: c.listId, member: c.member ? 'yes' : 'no' }
    case 'visited':
      return { type: c.type, pattern: c.pattern, withinDays: String(c.withinDays) }
  }
}

const recipientsDraft = (to: Recipients): Fields => ({
  owner: to.owner ? 'on' : '',
  creator: to.creator ? 'on' : '',
  addresses: to.addresses.join(', '),
  cc: to.cc.join(', '),
})

/** 3600 → 1 hours; the largest unit that divides it. */
function waitDraft(seconds: number): Fields {
  for (const unit of ['days', 'hours', 'minutes'] as const) {
    const size = UNIT_SECONDS[unit] ?? 1
    if (seconds % size === 0) return { amount: String(seconds / size), unit }
  }
  return { amount: String(Math.ceil(seconds / 60)), unit: 'minutes' }
}

function stepDraft(s: CampaignDefinition['steps'][number]): StepDraft {
  const draft: StepDraft = { ...emptyStep(s.type), id: s.id, fields: {} }
  switch (s.type) {
    case 'send-alert':
      return {
        ...draft,
        fields: {
          ...recipientsDraft(s.to),
          subject: s.subject ?? '',
          description: s.description ?? '',
          attachmentFormat: s.attachment?.format ?? '',
          attachmentTemplate: s.attachment?.template ?? '',
          templateHtml: s.templateHtml ?? '',
        },
      }
    case 'assign-owner':
      return { ...draft, fields: { userId: s.userId, notify: s.notify ? 'on' : '' } }
    case 'assign-round-robin':
      return { ...draft, userIds: s.userIds, fields: { notify: s.notify ? 'on' : '' } }
    case 'add-tag':
    case 'remove-tag':
      return { ...draft, fields: { tag: s.tag } }
    case 'change-score':
      return { ...draft, fields: { by: String(s.by) } }
    case 'set-field':
      return { ...draft, fields: { field: s.field, value: s.value } }
    case 'webhook':
    case 'chat':
      return { ...draft, fields: { url: s.url } }
    case 'wait':
      return { ...draft, fields: waitDraft(s.seconds) }
    case 'wait-until':
      return { ...draft, fields: { weekday: str(s.weekday), hour: String(s.hour) } }
    case 'branch':
      return { ...draft, condition: conditionDraft(s.condition), yes: s.yes.map(stepDraft), no: s.no.map(stepDraft) }
  }
}

export function campaignDraft(d: CampaignDefinition): CampaignDraft {
  const limit = d.runLimit
  return {
    name: d.name,
    category: d.category,
    triggers: d.triggers.map(triggerDraft),
    conditions: d.conditions.map(conditionDraft),
    steps: d.steps.map(stepDraft),
    runLimit: limit.kind === 'per-entry' ? `per-entry-${limit.count}` : limit.kind,
    frequencyCount: d.frequency ? String(d.frequency.count) : '',
    frequencyPeriod: d.frequency?.period ?? 'day',
  }
}

// ---- Smart lists and scoring rules: the same pieces, smaller forms ------------------------------

export type ListDraft = { name: string; conditions: Fields[] }

export function listDraftFromForm(form: FormData): ListDraft {
  const root = FormNode.of(form)
  return { name: root.text('name'), conditions: root.items('conditions').map((n) => n.own()) }
}

export const listDraft = (d: { name: string; conditions: readonly Condition[] }): ListDraft => ({
  name: d.name,
  conditions: d.conditions.map(conditionDraft),
})

export function listInput(d: ListDraft): { input: Loose; errors: FieldError[] } {
  const cv = new Conversion()
  return { input: { name: d.name, conditions: d.conditions.map((c, i) => conditionInput(c, `conditions.${i}`, cv)) }, errors: cv.errors }
}

/** A scoring rule as typed: `on` holds its type and that type's fields. */
export type ScoringDraft = { name: string; on: Fields; points: string; decayDays: string }

export function scoringDraftFromForm(form: FormData): ScoringDraft {
  const root = FormNode.of(form)
  return { name: root.text('name'), on: root.fields('on'), points: root.text('points'), decayDays: root.text('decayDays') }
}

export function scoringDraft(d: ScoringRuleDefinition): ScoringDraft {
  const on: Fields =
    d.on.type === 'page-visited'
      ? { type: d.on.type, pattern: d.on.pattern }
      : d.on.type === 'custom-event'
        ? { type: d.on.type, name: d.on.name }
        : { type: d.on.type, formId: d.on.form?.id ?? '', formName: d.on.form?.name ?? '', formAction: d.on.form?.action ?? '' }
  return { name: d.name, on, points: String(d.points), decayDays: str(d.decayDays ?? undefined) }
}

export function scoringInput(d: ScoringDraft): { input: Loose; errors: FieldError[] } {
  const cv = new Conversion()
  const on = d.on
  const what =
    on.type === 'page-visited'
      ? { type: on.type, pattern: on.pattern ?? '' }
      : on.type === 'custom-event'
        ? { type: on.type, name: on.name ?? '' }
        : { type: on.type ?? '', form: formMatch(on) }
  return {
    input: { name: d.name, on: what, points: cv.int(d.points, 'points'), decayDays: cv.int(d.decayDays, 'decayDays', false) ?? null },
    errors: cv.errors,
  }
}
