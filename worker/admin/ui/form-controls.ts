// Labelled form controls for the settings screens (setup, workspace, sites): each control has
// its label, its help and its error tied to it (`aria-describedby`), a refused field is marked
// `aria-invalid`, and the first refused field gets the focus. Also the time zone picker and the
// copy button.
import { html } from 'hono/html'
import type { FieldError } from '../../field-errors'
import { timeZoneChoices } from '../../workspace/workspace-input'

export type Errors = { get(field: string): string | undefined; first: string | undefined }

/** Errors by field; `allowedDomains.2` also counts as an error of `allowedDomains`, whose control shows it. */
export function errorsOf(list: FieldError[]): Errors {
  const byField = new Map<string, string>()
  for (const e of list) {
    const top = e.field.split('.')[0] ?? e.field
    if (!byField.has(top)) byField.set(top, e.reason)
  }
  return { get: (field) => byField.get(field), first: list[0]?.field.split('.')[0] }
}

export const noErrors = errorsOf([])

type Common = { id: string; name: string; label: string; errors: Errors; help?: unknown }

const describedBy = (o: Common, error: string | undefined) => {
  const ids = [o.help ? `${o.id}-help` : '', error ? `${o.id}-error` : ''].filter(Boolean).join(' ')
  return ids ? html` aria-describedby="${ids}"` : ''
}

const state = (o: Common, error: string | undefined) =>
  html`${error ? html` class="field-invalid" aria-invalid="true"` : ''}${describedBy(o, error)}${o.errors.first === o.name ? html` autofocus` : ''}`

const after = (o: Common, error: string | undefined) =>
  html`${o.help ? html`<p class="hint" id="${o.id}-help">${o.help}</p>` : ''}${
    error ? html`<p class="error" id="${o.id}-error" role="alert">${error}</p>` : ''
  }`

export function textField(
  o: Common & {
    value: string
    type?: 'text' | 'email' | 'password'
    maxlength?: number
    minlength?: number
    autocomplete?: string
    required?: boolean
    placeholder?: string
  },
) {
  const error = o.errors.get(o.name)
  return html`<div class="field">
    <label for="${o.id}">${o.label}</label>
    <input
      type="${o.type ?? 'text'}"
      id="${o.id}"
      name="${o.name}"
      value="${o.value}"
      ${o.maxlength ? html` maxlength="${o.maxlength}"` : ''}${o.minlength ? html` minlength="${o.minlength}"` : ''}${
        o.autocomplete ? html` autocomplete="${o.autocomplete}"` : ''
      }${o.placeholder ? html` placeholder="${o.placeholder}"` : ''}${o.required ? html` required` : ''}${state(o, error)}
    />
    ${after(o, error)}
  </div>`
}

export function textArea(o: Common & { value: string; rows?: number; placeholder?: string; required?: boolean }) {
  const error = o.errors.get(o.name)
  return html`<div class="field">
    <label for="${o.id}">${o.label}</label>
    <textarea
      id="${o.id}"
      name="${o.name}"
      rows="${o.rows ?? 3}"
      ${o.placeholder ? html` placeholder="${o.placeholder}"` : ''}${o.required ? html` required` : ''}${state(o, error)}
    >
${o.value}</textarea>
    ${after(o, error)}
  </div>`
}

export type Option = { value: string; label: string; group?: string }

export function selectField(o: Common & { value: string; options: Option[]; extra?: unknown }) {
  const error = o.errors.get(o.name)
  const groups = new Map<string, Option[]>()
  for (const option of o.options) groups.set(option.group ?? '', [...(groups.get(option.group ?? '') ?? []), option])
  const optionTags = (options: Option[]) =>
    options.map((p) => html`<option value="${p.value}" ${p.value === o.value ? html` selected` : ''}>${p.label}</option>`)
  return html`<div class="field">
    <label for="${o.id}">${o.label}</label>
    <select id="${o.id}" name="${o.name}" ${o.extra ?? ''}${state(o, error)}>
      ${[...groups].map(([group, options]) => (group ? html`<optgroup label="${group}">${optionTags(options)}</optgroup>` : optionTags(options)))}
    </select>
    ${after(o, error)}
  </div>`
}

export function checkboxField(o: Common & { checked: boolean; disabled?: boolean }) {
  const error = o.errors.get(o.name)
  return html`<div class="field">
    <label class="inline" for="${o.id}"
      ><input
        type="checkbox"
        id="${o.id}"
        name="${o.name}"
        ${o.checked ? html` checked` : ''}${o.disabled ? html` disabled` : ''}${state(o, error)}
      />
      ${o.label}</label
    >
    ${after(o, error)}
  </div>`
}

/** Every zone the runtime knows, grouped by region (`Europe/Paris` as "Paris (Europe)"); the current one is kept even if it is an alias. */
export function timeZoneOptions(current: string): Option[] {
  const zones = timeZoneChoices()
  if (current && !zones.includes(current)) zones.unshift(current)
  return zones.map((zone) => {
    const slash = zone.indexOf('/')
    if (slash < 0) return { value: zone, label: zone }
    const region = zone.slice(0, slash)
    return { value: zone, label: `${zone.slice(slash + 1).replace(/_/g, ' ')} (${region})`, group: region }
  })
}

/** A count of problems above a refused form, so a screen reader hears it first. */
export const problemSummary = (count: number) =>
  count ? html`<p class="problem" role="alert">${count === 1 ? '1 field needs' : `${count} fields need`} attention: see below.</p>` : ''

/** Copies the text of the element with id `target` to the clipboard (admin.js); says "Copied" when done. */
export const copyButton = (target: string, label: string) =>
  html`<button type="button" class="secondary copy" data-copy="${target}">${label}</button>`
