// The campaign builder: one form, top to bottom — name, what starts it, who qualifies, the steps
// (a branch's yes / otherwise steps as indented lists under it), how often. Steps are added at a
// chosen place, removed and moved up or down by buttons the server answers (no script needed;
// a type chosen in a select shows its fields when its "Change" button is pressed).
// Each refusal is shown beside its field; the ones that name no field are listed at the top.
import { html } from 'hono/html'
import { ALERT_CONTENT_LIMITS, ATTACHMENT_FORMATS } from '../../../durable-objects/contracts/campaign'
import type { FieldError } from '../../field-errors'
import { controlId, STEP_TYPES } from './campaign-builder-actions'
import {
  checkbox,
  checkboxGroup,
  Claims,
  CONDITION_TYPES,
  conditionFields,
  FIELD_HELP,
  input,
  select,
  textarea,
  type Choices,
  type Option,
} from './campaign-controls'
import { type CampaignDraft, type Fields, type StepDraft } from './campaign-draft'
import type { Html } from './layout'
import { TRIGGER_TYPES, triggerFields } from './campaign-trigger-fields'

const STEP_LABELS: Record<(typeof STEP_TYPES)[number], string> = {
  'send-alert': 'Send an alert e-mail',
  'assign-round-robin': 'Assign an owner in turn (round-robin)',
  'assign-owner': 'Assign a given owner',
  'add-tag': 'Add a tag',
  'remove-tag': 'Remove a tag',
  'change-score': 'Change the score',
  'set-field': 'Set a contact field',
  webhook: 'Call a webhook (signed)',
  chat: 'Post to a chat webhook',
  wait: 'Wait a period',
  'wait-until': 'Wait until a day and hour',
  branch: 'If … (yes / otherwise branch)',
}

export const STEP_OPTIONS: readonly Option[] = STEP_TYPES.map((value) => ({ value, label: STEP_LABELS[value] }))

const WEEKDAYS: readonly Option[] = [
  { value: '', label: 'Any day' },
  ...['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'].map((label, i) => ({ value: String(i + 1), label })),
]
const HOURS: readonly Option[] = Array.from({ length: 24 }, (_, h) => ({ value: String(h), label: `${String(h).padStart(2, '0')}:00` }))

export type Ctx = { claims: Claims; choices: Choices }

/** The chosen users first, in their turn order (the form posts them in page order), then the others. */
function inTurnOrder(chosen: readonly string[], users: readonly Option[]): Option[] {
  const byId = new Map(users.map((u) => [u.value, u]))
  const first = chosen.flatMap((id) => byId.get(id) ?? [])
  return [...first, ...users.filter((u) => !chosen.includes(u.value))]
}

const ATTACHMENT_CHOICES = [
  { value: '', label: 'No attachment' },
  ...ATTACHMENT_FORMATS.map((f) => ({ value: f, label: `${f.toUpperCase()} file` })),
]

/** A send-alert step's description, attachment and custom template, as the alert wizard has them. */
function alertContentFields(f: Fields, p: (key: string) => string, claims: Claims) {
  const templateOpen = Boolean(f.templateHtml?.trim()) || claims.errors.some((e) => e.field === p('templateHtml'))
  return html`${textarea({
    path: p('description'),
    label: 'Description — printed at the top of the alert e-mail (optional)',
    value: f.description ?? '',
    maxLength: ALERT_CONTENT_LIMITS.description,
    claims,
  })}
    <div class="inline-fields">
      ${select({ path: p('attachmentFormat'), errorAt: p('attachment.format'), label: 'Attachment', value: f.attachmentFormat ?? '', options: ATTACHMENT_CHOICES, claims })}
      ${textarea({
        path: p('attachmentTemplate'),
        errorAt: p('attachment.template'),
        label: 'Attachment content (a template)',
        value: f.attachmentTemplate ?? '',
        code: true,
        placeholder: '{{ contact.name }},{{ contact.email }},{{ visit.url }}',
        claims,
      })}
    </div>
    <details${templateOpen ? html` open` : ''}>
      <summary>Custom e-mail template (optional — leave empty for the default)</summary>
      ${textarea({ path: p('templateHtml'), label: 'HTML template (Liquid), at most 100 KB', value: f.templateHtml ?? '', code: true, claims })}
    </details>`
}

function stepFields(s: StepDraft, path: string, ctx: Ctx): Html | '' {
  const { claims, choices } = ctx
  const f = s.fields
  const p = (key: string) => `${path}.${key}`
  const notify = () => checkbox({ path: p('notify'), label: 'Tell the new owner by e-mail', checked: f.notify === 'on', claims })
  switch (s.type) {
    case 'send-alert':
      return html`<fieldset class="choices">
          <legend>To</legend>
          ${checkbox({ path: p('owner'), label: "The contact's owner", checked: f.owner === 'on', claims, errorAt: p('to') })}
          ${checkbox({ path: p('creator'), label: 'Me (the campaign’s creator)', checked: f.creator === 'on', claims })}
        </fieldset>
        <div class="inline-fields">
          ${input({ path: p('addresses'), errorAt: p('to.addresses'), label: 'Other addresses (commas)', value: f.addresses ?? '', claims })}
          ${input({ path: p('cc'), errorAt: p('to.cc'), label: 'CC (commas)', value: f.cc ?? '', claims })}
        </div>
        ${input({ path: p('subject'), label: 'Subject (optional)', value: f.subject ?? '', claims })} ${alertContentFields(f, p, claims)}`
    case 'assign-round-robin':
      return html`${checkboxGroup({
        path: p('userIds'),
        label: 'In turn among (in this order)',
        values: s.userIds,
        options: inTurnOrder(s.userIds, choices.users),
        claims,
      })}
      ${notify()}`
    case 'assign-owner':
      return html`${select({
        path: p('userId'),
        label: 'New owner',
        value: f.userId ?? '',
        options: [{ value: '', label: 'Choose a user' }, ...choices.users],
        claims,
      })}
      ${notify()}`
    case 'add-tag':
    case 'remove-tag':
      return input({ path: p('tag'), label: 'Tag', value: f.tag ?? '', placeholder: 'hot lead', claims })
    case 'change-score':
      return input({ path: p('by'), label: 'Points (negative takes away)', value: f.by ?? '', type: 'number', claims })
    case 'set-field':
      return html`<div class="inline-fields">
        ${input({ path: p('field'), label: 'Field', value: f.field ?? '', placeholder: 'custom.stage', help: FIELD_HELP, claims })}
        ${input({ path: p('value'), label: 'Value', value: f.value ?? '', claims })}
      </div>`
    case 'webhook':
    case 'chat':
      return input({ path: p('url'), label: 'URL (https)', value: f.url ?? '', type: 'url', placeholder: 'https://', claims })
    case 'wait':
      return html`<div class="inline-fields">
        ${input({ path: p('amount'), errorAt: p('seconds'), label: 'Wait', value: f.amount ?? '', type: 'number', min: 1, claims })}
        ${select({
          path: p('unit'),
          label: 'Unit',
          value: f.unit ?? 'hours',
          options: ['minutes', 'hours', 'days'].map((u) => ({ value: u, label: u })),
          claims,
        })}
      </div>`
    case 'wait-until':
      return html`<div class="inline-fields">
          ${select({ path: p('weekday'), label: 'Until the next', value: f.weekday ?? '', options: WEEKDAYS, claims })}
          ${select({ path: p('hour'), label: 'At', value: f.hour ?? '9', options: HOURS, claims })}
        </div>
        <p class="hint">In the workspace's time zone (Settings).</p>`
    case 'branch':
      return branchFields(s, path, ctx)
    default:
      return ''
  }
}

function branchFields(s: StepDraft, path: string, ctx: Ctx): Html {
  const cpath = `${path}.condition`
  return html`<div class="branch-condition">
      ${select({
        path: `${cpath}.type`,
        label: 'If the contact',
        value: s.condition.type ?? 'score',
        options: CONDITION_TYPES,
        refresh: 'Change',
        claims: ctx.claims,
      })}
      ${conditionFields(s.condition, cpath, ctx.claims, ctx.choices)}
    </div>
    <div class="branch-arm yes">
      <h4>Then (yes)</h4>
      ${stepList(s.yes, `${path}.yes`, ctx)}
    </div>
    <div class="branch-arm no">
      <h4>Otherwise</h4>
      ${stepList(s.no, `${path}.no`, ctx)}
    </div>`
}

/** "step 3, yes 1" for the buttons' accessible names. */
const stepName = (path: string) =>
  path
    .split('.')
    .slice(1)
    .map((part) => (/^\d+$/.test(part) ? String(Number(part) + 1) : part === 'yes' ? ', then' : ', otherwise'))
    .join(' ')
    .replace(/ ,/g, ',')

function stepItem(s: StepDraft, path: string, index: number, count: number, ctx: Ctx): Html {
  const name = `step ${stepName(path)}`
  const tool = (verb: string, text: string, label: string) =>
    html`<button
      class="secondary small"
      id="${controlId(`${path}.${verb}`)}"
      name="action"
      value="${verb}:${path}"
      formnovalidate
      aria-label="${label}"
      ${ctx.claims.autofocus(controlId(`${path}.${verb}`), false) ? html` autofocus` : ''}
    >
      ${text}
    </button>`
  const typeSelect = select({
    path: `${path}.type`,
    label: path === `steps.${index}` ? `Step ${index + 1}` : `Step ${stepName(path)}`,
    value: s.type,
    options: STEP_OPTIONS,
    refresh: 'Change',
    claims: ctx.claims,
  })
  const body = stepFields(s, path, ctx)
  // What is left under this step once its fields took theirs (a branch with nothing in it, say).
  const rest = ctx.claims.take(path)
  return html`<li class="step-card ${s.type}" data-step="${path}">
    <input type="hidden" name="${path}.id" value="${s.id}" />
    <div class="step-head">
      ${typeSelect}
      <div class="step-tools">
        ${index > 0 ? tool('up', '↑ Up', `Move ${name} up`) : ''} ${index < count - 1 ? tool('down', '↓ Down', `Move ${name} down`) : ''}
        ${tool('remove-step', 'Remove', `Remove ${name}`)}
      </div>
    </div>
    ${body} ${rest ? html`<p class="error" role="alert">${rest}</p>` : ''}
  </li>`
}

function addStepRow(steps: readonly StepDraft[], listPath: string, ctx: Ctx) {
  const typeId = controlId(`addType:${listPath}`)
  const atId = controlId(`addAt:${listPath}`)
  const buttonId = controlId(`add:${listPath}`)
  const places: Option[] = [
    { value: 'end', label: 'at the end' },
    ...(steps.length > 0 ? [{ value: 'top', label: 'at the top' }] : []),
    ...steps.slice(0, -1).map((s, i) => ({ value: String(i), label: `after step ${i + 1}` })),
  ]
  return html`<div class="add-step">
    <label for="${typeId}">Add a step</label>
    <select id="${typeId}" name="addType:${listPath}">
      ${STEP_OPTIONS.map((o) => html`<option value="${o.value}">${o.label}</option>`)}
    </select>
    <label for="${atId}" class="visually-hidden">Where</label>
    ${
      places.length > 1
        ? html`<select id="${atId}" name="addAt:${listPath}">
            ${places.map((o) => html`<option value="${o.value}">${o.label}</option>`)}
          </select>`
        : ''
    }
    <button
      class="secondary"
      id="${buttonId}"
      name="action"
      value="add-step:${listPath}"
      formnovalidate
      ${ctx.claims.autofocus(buttonId, false) ? html` autofocus` : ''}
    >
      + Add
    </button>
  </div>`
}

function stepList(steps: readonly StepDraft[], listPath: string, ctx: Ctx): Html {
  const items = steps.map((s, i) => stepItem(s, `${listPath}.${i}`, i, steps.length, ctx))
  const rest = listPath === 'steps' ? undefined : ctx.claims.take(listPath)
  return html`${
    steps.length > 0
      ? html`<ol class="step-list">
          ${items}
        </ol>`
      : html`<p class="muted">No step here yet.</p>`
  }
  ${rest ? html`<p class="error" role="alert">${rest}</p>` : ''} ${addStepRow(steps, listPath, ctx)}`
}

function itemList(o: {
  items: readonly Fields[]
  root: 'triggers' | 'conditions'
  noun: string
  types: readonly Option[]
  fields: (f: Fields, path: string) => unknown
  ctx: Ctx
  empty: string
}) {
  const { ctx } = o
  const addId = controlId(o.root === 'triggers' ? 'addTrigger' : 'addCondition')
  const cards = o.items.map((f, i) => {
    const path = `${o.root}.${i}`
    const body = html`${select({
      path: `${path}.type`,
      label: `${o.noun} ${i + 1}`,
      value: f.type ?? '',
      options: o.types,
      refresh: 'Change',
      claims: ctx.claims,
    })}
    ${o.fields(f, path)}`
    const rest = ctx.claims.take(path)
    return html`<li class="step-card">
      ${body} ${rest ? html`<p class="error" role="alert">${rest}</p>` : ''}
      <div class="step-tools">
        <button class="secondary small" name="action" value="remove-${o.root === 'triggers' ? 'trigger' : 'condition'}:${i}" formnovalidate>
          Remove ${o.noun.toLowerCase()} ${i + 1}
        </button>
      </div>
    </li>`
  })
  const rest = ctx.claims.take(o.root)
  return html`${
      o.items.length > 0
        ? html`<ol class="step-list">
            ${cards}
          </ol>`
        : html`<p class="muted">${o.empty}</p>`
    }
    ${rest ? html`<p class="error" role="alert">${rest}</p>` : ''}
    <div class="add-step">
      <label for="${addId}">Add ${o.root === 'triggers' ? 'a trigger' : 'a condition'}</label>
      <select id="${addId}" name="${o.root === 'triggers' ? 'addTrigger' : 'addCondition'}">
        ${o.types.map((t) => html`<option value="${t.value}">${t.label}</option>`)}
      </select>
      <button
        class="secondary"
        name="action"
        value="add-${o.root === 'triggers' ? 'trigger' : 'condition'}"
        formnovalidate
        ${ctx.claims.autofocus(addId, false) ? html` autofocus` : ''}
      >
        + Add
      </button>
    </div>`
}

/** The conditions editor (a campaign's, a smart list's): cards with their type and fields, remove buttons, an add row. */
export const conditionList = (conditions: readonly Fields[], ctx: Ctx, empty: string) =>
  itemList({
    items: conditions,
    root: 'conditions',
    noun: 'Condition',
    types: CONDITION_TYPES,
    fields: (f, path) => conditionFields(f, path, ctx.claims, ctx.choices),
    ctx,
    empty,
  })

function howOften(d: CampaignDraft, claims: Claims) {
  const limits: Option[] = [
    { value: 'always', label: 'Every time it is triggered' },
    { value: 'once', label: 'Once per contact, ever' },
    { value: 'per-entry-1', label: 'At most once per entry' },
    { value: 'per-entry-2', label: 'At most 2 times per entry' },
    { value: 'per-entry-3', label: 'At most 3 times per entry' },
  ]
  const error = claims.take('runLimit')
  return html`<fieldset class="choices">
      <legend>Run limit</legend>
      ${limits.map(
        (o) =>
          html`<label class="inline"
            ><input type="radio" name="runLimit" value="${o.value}" ${d.runLimit === o.value ? html` checked` : ''} /> ${o.label}</label
          >`,
      )}
      <p class="hint">
        An entry lasts while the contact meets the conditions above (or stays in the list of a list trigger); leaving and coming back starts
        a new one.
      </p>
      ${error ? html`<p class="error" role="alert">${error}</p>` : ''}
    </fieldset>
    <div class="inline-fields">
      ${input({
        path: 'frequencyCount',
        errorAt: 'frequency',
        label: 'And at most (per contact, empty for no limit)',
        value: d.frequencyCount,
        type: 'number',
        min: 1,
        claims,
      })}
      ${select({
        path: 'frequencyPeriod',
        label: 'Per calendar',
        value: d.frequencyPeriod,
        options: ['day', 'week', 'month'].map((p) => ({ value: p, label: p })),
        claims,
      })}
    </div>`
}

const section = (n: string, title: string, body: unknown, id: string) =>
  html`<section class="card step" id="${id}" aria-labelledby="${id}-title">
    <div class="letter" aria-hidden="true">${n}</div>
    <div class="body">
      <h2 id="${id}-title">${title}</h2>
      ${body}
    </div>
  </section>`

export function campaignBuilder(o: {
  action: string
  heading: string
  cancel: string
  draft: CampaignDraft
  errors: FieldError[]
  focus: string | null
  choices: Choices
  /** Shown above the Save button: what saving does (a new version of an ON campaign, or a new campaign OFF). */
  saveNote: string
}) {
  const d = o.draft
  const claims = new Claims(o.errors, o.focus)
  const ctx: Ctx = { claims, choices: o.choices }
  const name = html`<div class="inline-fields">
    ${input({ path: 'name', label: 'Campaign name', value: d.name, placeholder: 'e.g. New leads to sales', claims })}
    ${input({ path: 'category', label: 'Category (optional)', value: d.category, placeholder: 'e.g. Sales', claims })}
  </div>`
  const triggers = itemList({
    items: d.triggers,
    root: 'triggers',
    noun: 'Trigger',
    types: TRIGGER_TYPES,
    fields: (f, path) => triggerFields(f, path, ctx),
    ctx,
    empty: 'No trigger yet: the campaign needs one.',
  })
  const conditions = conditionList(d.conditions, ctx, 'None: every contact the trigger names runs it.')
  const steps = stepList(d.steps, 'steps', ctx)
  const stepsRest = claims.take('steps')
  const often = howOften(d, claims)
  const left = claims.unclaimed()
  const form = html`<form method="post" action="${o.action}" class="builder" novalidate>
    <button class="default-submit" name="action" value="save" tabindex="-1" aria-hidden="true">Save</button>
    ${section('1', 'Name', name, 'b-name')}
    ${section(
      '2',
      'When it starts',
      html`<p class="muted">Any of these starts a run for the contact.</p>
        ${triggers}`,
      'b-triggers',
    )}
    ${section(
      '3',
      'Who qualifies (optional)',
      html`<p class="muted">All of these must hold when it starts.</p>
        ${conditions}`,
      'b-conditions',
    )}
    ${section(
      '4',
      'Steps',
      html`<p class="muted">Run top to bottom. A branch checks its condition when the run reaches it.</p>
        ${stepsRest ? html`<p class="error" role="alert" id="f-steps-error">${stepsRest}</p>` : ''}${steps}`,
      'b-steps',
    )}
    ${section('5', 'How often', often, 'b-often')}
    <div class="card actions">
      <button name="action" value="save">Save campaign</button>
      <span class="muted">${o.saveNote}</span>
    </div>
  </form>`
  return html`<div class="bar">
      <h1>${o.heading}</h1>
      <a href="${o.cancel}">Cancel</a>
    </div>
    ${
      o.errors.length
        ? html`<div class="problem" role="alert">
            <p>
              The campaign was not saved: ${o.errors.length === 1 ? 'one field needs' : `${o.errors.length} fields need`} attention (marked
              in red below).
            </p>
            ${
              left.length
                ? html`<ul>
                    ${left.map((e) => html`<li><code>${e.field}</code>: ${e.reason}</li>`)}
                  </ul>`
                : ''
            }
          </div>`
        : ''
    }
    ${form}`
}
