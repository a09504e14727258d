// Lead-scoring rules: the list (what earns points, how many, for how long) and the form that
// makes or changes one. The score they add feeds "score crossed" triggers, score conditions and
// the score shown in alerts.
import { html } from 'hono/html'
import type { ScoringRuleRow } from '../../db/queries/scoring-rules'
import type { FieldError } from '../../field-errors'
import { Claims, input, select, type Option } from './campaign-controls'
import type { ScoringDraft } from './campaign-draft'
import { campaignNotice, campaignTabs, simpleFormPage } from './campaign-screens'

const ON_TYPES: readonly Option[] = [
  { value: 'form-submitted', label: 'A form is submitted' },
  { value: 'page-visited', label: 'A page is visited' },
  { value: 'custom-event', label: 'A custom event is tracked' },
]

/** "the form with name contact", "any form", "/pricing/**", "the event trial-started". */
export function scoringOnWords(on: ScoringRuleRow['definition']['on']): string {
  switch (on.type) {
    case 'page-visited':
      return `a visit to ${on.pattern}`
    case 'custom-event':
      return `the event "${on.name}"`
    case 'form-submitted': {
      const which = Object.entries(on.form ?? {}).filter(([, v]) => v)
      return which.length ? `the form with ${which.map(([k, v]) => `${k} "${v}"`).join(', ')}` : 'any form'
    }
  }
}

export function scoringScreen(o: { rows: ScoringRuleRow[]; canEdit: boolean; notice?: string }) {
  return html`${campaignNotice(o.notice)} ${campaignTabs('scoring')}
    <div class="bar">
      <h1>Scoring rules</h1>
      ${o.canEdit ? html`<a class="btn" href="/admin/scoring-rules/new">+ New scoring rule</a>` : ''}
    </div>
    ${
      o.rows.length === 0
        ? html`<div class="card">
            <p>No scoring rule yet. Give points for pages, forms and custom events; a contact's score is their sum.</p>
          </div>`
        : html`<table>
            <thead>
              <tr>
                <th>Name</th>
                <th>Points for</th>
                <th class="num">Points</th>
                <th>Taken away after</th>
              </tr>
            </thead>
            <tbody>
              ${o.rows.map(
                (r) =>
                  html`<tr>
                    <td>${o.canEdit ? html`<a href="/admin/scoring-rules/${r.id}">${r.definition.name}</a>` : r.definition.name}</td>
                    <td>${scoringOnWords(r.definition.on)}</td>
                    <td class="num">${r.definition.points}</td>
                    <td>${r.definition.decayDays ? `${r.definition.decayDays} days` : html`<span class="muted">never</span>`}</td>
                  </tr>`,
              )}
            </tbody>
          </table>`
    }`
}

function onFields(on: ScoringDraft['on'], claims: Claims) {
  switch (on.type) {
    case 'page-visited':
      return input({ path: 'on.pattern', label: 'Page (URL pattern)', value: on.pattern ?? '', placeholder: '/pricing/**', claims })
    case 'custom-event':
      return input({ path: 'on.name', label: 'Event name', value: on.name ?? '', placeholder: 'trial-started', claims })
    default:
      return html`<p class="hint">Leave the three empty for any form.</p>
        <div class="inline-fields">
          ${input({ path: 'on.formId', errorAt: 'on.form.id', label: 'Form id', value: on.formId ?? '', claims })}
          ${input({ path: 'on.formName', errorAt: 'on.form.name', label: 'Form name', value: on.formName ?? '', claims })}
          ${input({ path: 'on.formAction', errorAt: 'on.form.action', label: 'Form action', value: on.formAction ?? '', claims })}
        </div>`
  }
}

export function scoringForm(o: {
  action: string
  heading: string
  cancel: string
  draft: ScoringDraft
  errors: FieldError[]
  remove?: string
}) {
  const claims = new Claims(o.errors)
  const d = o.draft
  const fields = html`${input({ path: 'name', label: 'Rule name', value: d.name, placeholder: 'e.g. Contact form', claims })}
    ${select({ path: 'on.type', label: 'Points when', value: d.on.type ?? 'form-submitted', options: ON_TYPES, refresh: 'Change', claims })}
    ${onFields(d.on, claims)}
    <div class="inline-fields">
      ${input({ path: 'points', label: 'Points (negative takes away)', value: d.points, type: 'number', claims })}
      ${input({
        path: 'decayDays',
        label: 'Take them away after (days, empty for never)',
        value: d.decayDays,
        type: 'number',
        min: 1,
        max: 365,
        claims,
      })}
    </div>`
  return simpleFormPage({
    ...o,
    tab: 'scoring',
    noun: 'rule',
    fields,
    errors: o.errors,
    unclaimed: claims.unclaimed(),
    formClass: 'settings',
  })
}
