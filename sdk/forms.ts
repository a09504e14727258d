// Form submits, captured at document level so forms added later are covered. A form submitted
// by code (form.submit()) fires no submit event but does fire `formdata`, which is caught too;
// a `formdata` for the form whose submit was captured last (a handler reading new FormData(form),
// or preventing the submit and calling form.submit() later) is the same submit and is skipped.
// A field's value is read only after the field passed every check: password, hidden and file
// inputs, fields whose type, name, id or autocomplete look like payment or identity data, and
// anything inside [data-pagebell-ignore] are never read; nor are unchecked boxes and radios.
// The e-mail field goes with the others; the server identifies the visitor from it.
import { on, text } from './safe'
import { send } from './transport'
import { visit } from './visits'

/**
 * Tested against type + checked + name + id + autocomplete of each field. `^(hi|fi)` is a hidden
 * or file input (or a fieldset, which has no value); `^\w+[ox]false` an unchecked checkbox or
 * radio, as no other type ends in "o" or "x". The rest catches passwords, security codes, card
 * numbers, CVC/CVV, expiry dates (and, erring on the safe side, any "exp..." field), SSNs and IBANs.
 */
const SENSITIVE = /^(hi|fi)|^\w+[ox]false|pass|secur|card|cc-|cv|exp|ssn|iban/i

let last: EventTarget | null

const capture = (e: Event) => {
  const form = (last = e.target) as HTMLFormElement
  const fields: Record<string, string> = {}
  for (const el of form.elements as unknown as HTMLInputElement[]) {
    const key = el.name
    if (key && !SENSITIVE.test(el.type + el.checked + key + el.id + el.autocomplete) && !el.closest('[data-pagebell-ignore]'))
      fields[key] = text(el.value)
  }
  // Attributes, not properties: an input named "id", "name" or "action" shadows form.id & co.
  const attr = (name: string) => form.getAttribute(name) || ''
  // By beacon: the page is usually about to navigate away.
  send({ type: 'form', visit, form: { id: attr('id'), name: attr('name'), action: attr('action') }, fields }, 1)
}

export const startForms = (): void => {
  on(document, 'submit', capture)
  on(document, 'formdata', (e) => e.target != last && capture(e))
}
