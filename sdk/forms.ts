// Form submits, captured at document level so forms added later are covered. A form submitted
// by code (form.submit()) fires no submit event but does fire `formdata`, which is caught too;
// a `formdata` for the form whose submit was captured last (a handler reading new FormData(form),
// or preventing the submit and calling form.submit() later) is the same submit and is skipped.
// A field is dropped (never the form) when its attributes say it is secret (password, hidden and
// file inputs, payment, identity and CSRF fields, autocomplete="cc-*"), when it sits inside
// [data-pagebell-ignore], when its value is secret whatever the field is called (sensitive.ts),
// or when it looks like a security code or expiry date in a form that holds a card number.
// Unchecked boxes and radios are not sent. A field without a name is keyed by its id, else its
// aria-label, else the first text of its label; an e-mail field without any of these is keyed `email`. The server
// identifies the visitor from an e-mail among the values.
import { listen, text } from './safe'
import { isSecret } from './sensitive'
import { send } from './transport'
import { visit } from './visits'

/**
 * Tested against type + checked + id + autocomplete + key of each field. `^(hi|fi)` is a hidden
 * or file input (or a fieldset, which has no value); `^\w+[ox]false` an unchecked checkbox or
 * radio, as no other type ends in "o" or "x". The rest catches passwords, security codes, card
 * numbers (not card *types*: `card.?n` is "card number", "cardno"), CVC/CVV, expiry dates (and,
 * erring on the safe side, any "exp..." field), SSNs, social insurance numbers, IBANs and CSRF tokens.
 */
const SENSITIVE = /^(hi|fi)|^\w+[ox]false|pass|secur|cc-|card.?n|cv|exp|ssn|social|iban|csrf|token/i

/** A security code or an expiry date (12/29, 12-2029), dropped in a form that holds a card number. */
const CARD_EXTRAS = /^\d{3,4}$|^\d\d?\s?[/-]\s?\d\d(\d\d)?$/

let last: EventTarget | null

const capture = (e: Event) => {
  const form = (last = e.target) as HTMLFormElement
  const fields: Record<string, string> = {}
  let card: unknown
  for (const el of form.elements as unknown as HTMLInputElement[]) {
    const about = el.type + el.checked + el.id + el.autocomplete
    const key = el.name || el.id || el.ariaLabel || el.labels?.[0]?.firstChild?.textContent!.trim() || (/mail/.test(about) && 'email')
    if (key && !SENSITIVE.test(about + key) && !el.closest('[data-pagebell-ignore]')) {
      const value = el.value
      const digits = value.replace(/[\s-]/g, '').toUpperCase()
      // A secret of 13 digits or more is a card number.
      if (isSecret(value, digits)) card ||= /^\d{13}/.test(digits)
      else fields[text(key, 64)] = text(value)
    }
  }
  for (const key in fields) if (card && CARD_EXTRAS.test(fields[key]!)) delete fields[key]
  // Attributes, not properties: an input named "id", "name" or "action" shadows form.id & co.
  const attr = (name: string) => form.getAttribute(name) || ''
  // By beacon: the page is usually about to navigate away.
  send({ type: 'form', visit, form: { id: attr('id'), name: attr('name'), action: attr('action') }, fields }, 1)
}

export const startForms = (): void => listen({ submit: capture, formdata: (e) => e.target != last && capture(e) })
