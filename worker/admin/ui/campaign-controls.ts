// Form controls named by their path in a campaign, smart list or scoring rule (`steps.2.userIds`):
// each with its label, its error beside it (`<id>-error`, tied by aria-describedby, the control
// marked aria-invalid) and the focus where the builder wants it. Refusals are claimed by the
// controls as they render; the ones no control shows (a whole list refused, say) are listed
// above the form by `unclaimed()`. Also the condition editor, shared by campaigns, branches and
// smart lists.
import { html } from 'hono/html'
import type { FieldError } from '../../field-errors'
import { controlId } from './campaign-builder-actions'
import type { Fields } from './campaign-draft'

export type Option = { value: string; label: string }

/** The refusals, handed out to the controls that show them. */
export class Claims {
  private readonly claimed = new Set<FieldError>()
  private focused = false

  constructor(
    readonly errors: readonly FieldError[],
    /** The control an add / remove / move button asked to focus. */
    private readonly focus: string | null = null,
  ) {}

  /** The first refusal of `path` or below it, marking all of them shown. */
  take(path: string): string | undefined {
    let reason: string | undefined
    for (const e of this.errors)
      if (!this.claimed.has(e) && (e.field === path || e.field.startsWith(`${path}.`))) {
        this.claimed.add(e)
        reason ??= e.reason
      }
    return reason
  }

  /** True for the one control to get the focus: the asked one, else the first refused one. */
  autofocus(id: string, refused: boolean): boolean {
    if (this.focused) return false
    const wanted = this.focus ? this.focus === id : refused
    if (wanted) this.focused = true
    return wanted
  }

  unclaimed(): FieldError[] {
    return this.errors.filter((e) => !this.claimed.has(e))
  }
}

type Control = {
  path: string
  label: string
  claims: Claims
  help?: string
  hideLabel?: boolean
  /** The path whose refusals this control shows, when the contract's differs from the field's (a wait's amount shows `seconds`). */
  errorAt?: string
}

const refusal = (o: Control) => o.claims.take(o.errorAt ?? o.path)

const helpId = (o: Control) => (o.help ? `${controlId(o.path)}-help` : '')

function state(o: Control, error: string | undefined) {
  const id = controlId(o.path)
  const described = [helpId(o), error ? `${id}-error` : ''].filter(Boolean).join(' ')
  return html`${error ? html` class="field-invalid" aria-invalid="true"` : ''}${described ? html` aria-describedby="${described}"` : ''}${
    o.claims.autofocus(id, error !== undefined) ? html` autofocus` : ''
  }`
}

const after = (o: Control, error: string | undefined) =>
  html`${o.help ? html`<p class="hint" id="${helpId(o)}">${o.help}</p>` : ''}${
    error ? html`<p class="error" id="${controlId(o.path)}-error" role="alert">${error}</p>` : ''
  }`

const label = (o: Control) =>
  html`<label for="${controlId(o.path)}" ${o.hideLabel ? html` class="visually-hidden"` : ''}>${o.label}</label>`

export function input(
  o: Control & { value: string; type?: 'text' | 'number' | 'email' | 'url'; placeholder?: string; min?: number; max?: number },
) {
  const error = refusal(o)
  return html`<div class="field">
    ${label(o)}
    <input
      type="${o.type ?? 'text'}"
      id="${controlId(o.path)}"
      name="${o.path}"
      value="${o.value}"
      ${o.placeholder ? html` placeholder="${o.placeholder}"` : ''}${o.min === undefined ? '' : html` min="${o.min}"`}${
        o.max === undefined ? '' : html` max="${o.max}"`
      }${state(o, error)}
    />
    ${after(o, error)}
  </div>`
}

/** A multi-line text; `code` for a template (monospace). */
export function textarea(o: Control & { value: string; code?: boolean; maxLength?: number; placeholder?: string }) {
  const error = refusal(o)
  return html`<div class="field">
    ${label(o)}
    <textarea
      id="${controlId(o.path)}"
      name="${o.path}"
      ${o.code ? html` class="code"` : ''}${o.maxLength === undefined ? '' : html` maxlength="${o.maxLength}"`}${
        o.placeholder ? html` placeholder="${o.placeholder}"` : ''
      }${state(o, error)}
    >
${o.value}</textarea>
    ${after(o, error)}
  </div>`
}

/**
 * A select; `refresh` adds the button that re-renders the form for the chosen value (a type's
 * fields). Pressed by hand, never on change: a keyboard user going through the options with the
 * arrows would otherwise reload the page at each one.
 */
export function select(o: Control & { value: string; options: readonly Option[]; refresh?: string }) {
  const error = refusal(o)
  const id = controlId(o.path)
  return html`<div class="field">
    ${label(o)}
    <div class="${o.refresh ? 'retype' : ''}">
      <select id="${id}" name="${o.path}" ${state(o, error)}>
        ${o.options.map((p) => html`<option value="${p.value}" ${p.value === o.value ? html` selected` : ''}>${p.label}</option>`)}
      </select>
      ${o.refresh ? html`<button class="secondary" id="${id}-apply" name="action" value="refresh" formnovalidate>${o.refresh}</button>` : ''}
    </div>
    ${after(o, error)}
  </div>`
}

export function checkbox(o: Control & { checked: boolean; value?: string; idSuffix?: string }) {
  const error = o.idSuffix ? undefined : refusal(o)
  const id = `${controlId(o.path)}${o.idSuffix ?? ''}`
  return html`<label class="inline" for="${id}"
      ><input
        type="checkbox"
        id="${id}"
        name="${o.path}"
        value="${o.value ?? 'on'}"
        ${o.checked ? html` checked` : ''}${o.idSuffix ? '' : state(o, error)}
      />
      ${o.label}</label
    >${o.idSuffix ? '' : after(o, error)}`
}

/** A group of checkboxes of one name (the round-robin's users), its error after the group. */
export function checkboxGroup(o: Control & { values: readonly string[]; options: readonly Option[] }) {
  const error = refusal(o)
  const id = controlId(o.path)
  return html`<fieldset class="choices" id="${id}" ${error ? html` aria-invalid="true" aria-describedby="${id}-error"` : ''}>
    <legend>${o.label}</legend>
    ${o.options.length === 0 ? html`<p class="muted">No active user to choose yet.</p>` : ''}
    ${o.options.map((p, i) =>
      checkbox({ path: o.path, label: p.label, claims: o.claims, checked: o.values.includes(p.value), value: p.value, idSuffix: `-${i}` }),
    )}
    ${after(o, error)}
  </fieldset>`
}

// ---- Conditions ---------------------------------------------------------------------------------

export const CONDITION_TYPES: readonly Option[] = [
  { value: 'score', label: 'Score is in a range' },
  { value: 'tag', label: 'Has (or has not) a tag' },
  { value: 'field', label: 'A contact field compares' },
  { value: 'owner', label: 'Who owns the contact' },
  { value: 'list', label: 'Is (or is not) in a smart list' },
  { value: 'visited', label: 'Visited a page recently' },
]

export const COMPARISONS: readonly Option[] = [
  { value: 'equals', label: 'is' },
  { value: 'not-equals', label: 'is not' },
  { value: 'contains', label: 'contains' },
  { value: 'starts-with', label: 'starts with' },
  { value: 'is-empty', label: 'is empty' },
  { value: 'is-not-empty', label: 'is not empty' },
  { value: 'greater-than', label: 'is greater than' },
  { value: 'less-than', label: 'is less than' },
]

export const FIELD_HELP = 'email, name, company, phone, or custom.<key> for a custom field'

/** What the condition and step editors offer to choose from. */
export type Choices = { users: readonly Option[]; lists: readonly Option[] }

const yesNo = (yes: string, no: string): Option[] => [
  { value: 'yes', label: yes },
  { value: 'no', label: no },
]

/** A condition's own fields (its type chosen above them), under `path`. */
export function conditionFields(f: Fields, path: string, claims: Claims, choices: Choices) {
  const p = (key: string) => `${path}.${key}`
  switch (f.type) {
    case 'score':
      return html`<div class="inline-fields">
        ${input({ path: p('min'), label: 'At least', value: f.min ?? '', type: 'number', claims, placeholder: 'none' })}
        ${input({ path: p('max'), label: 'At most', value: f.max ?? '', type: 'number', claims, placeholder: 'none' })}
      </div>`
    case 'tag':
      return html`<div class="inline-fields">
        ${select({ path: p('present'), label: 'The contact', value: f.present ?? 'yes', options: yesNo('has the tag', 'does not have the tag'), claims })}
        ${input({ path: p('tag'), label: 'Tag', value: f.tag ?? '', claims, placeholder: 'hot lead' })}
      </div>`
    case 'field':
      return html`<div class="inline-fields">
        ${input({ path: p('field'), label: 'Field', value: f.field ?? '', claims, placeholder: 'company', help: FIELD_HELP })}
        ${select({ path: p('op'), label: 'Comparison', value: f.op ?? 'equals', options: COMPARISONS, claims })}
        ${input({ path: p('value'), label: 'Value', value: f.value ?? '', claims })}
      </div>`
    case 'owner':
      return html`<div class="inline-fields">
        ${select({
          path: p('is'),
          label: 'The contact',
          value: f.is ?? 'set',
          options: [
            { value: 'set', label: 'has an owner' },
            { value: 'not-set', label: 'has no owner' },
            { value: 'user', label: 'is owned by' },
          ],
          claims,
        })}
        ${select({ path: p('userId'), label: 'User (for "is owned by")', value: f.userId ?? '', options: [{ value: '', label: '—' }, ...choices.users], claims })}
      </div>`
    case 'list':
      return html`<div class="inline-fields">
        ${select({ path: p('member'), label: 'The contact', value: f.member ?? 'yes', options: yesNo('is in', 'is not in'), claims })}
        ${select({ path: p('listId'), label: 'Smart list', value: f.listId ?? '', options: [{ value: '', label: 'Choose a list' }, ...choices.lists], claims })}
      </div>`
    case 'visited':
      return html`<div class="inline-fields">
        ${input({ path: p('pattern'), label: 'Page (URL pattern)', value: f.pattern ?? '', claims, placeholder: '/pricing/**' })}
        ${input({ path: p('withinDays'), label: 'In the last (days)', value: f.withinDays ?? '30', type: 'number', min: 1, max: 365, claims })}
      </div>`
    default:
      return ''
  }
}
