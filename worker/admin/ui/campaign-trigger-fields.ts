// A campaign trigger's own fields in the builder, by its type: the pages of a page-visited one
// (a row each, with its minimum time; rows added and removed by buttons), the form a
// form-submitted one matches, the field, tag, threshold, event or list of the others.
import { html } from 'hono/html'
import { controlId } from './campaign-builder-actions'
import { COMPARISONS, FIELD_HELP, input, select, type Choices, type Claims, type Option } from './campaign-controls'
import { pageRows, type Fields } from './campaign-draft'

export const TRIGGER_TYPES: readonly Option[] = [
  { value: 'form-submitted', label: 'A form is submitted' },
  { value: 'page-visited', label: 'A page is visited' },
  { value: 'contact-created', label: 'A contact is created' },
  { value: 'contact-updated', label: "A contact's field changes" },
  { value: 'tag-added', label: 'A tag is added' },
  { value: 'tag-removed', label: 'A tag is removed' },
  { value: 'score-crossed', label: 'The score crosses a threshold' },
  { value: 'custom-event', label: 'A custom event is tracked' },
  { value: 'list-entered', label: 'A contact enters a smart list' },
  { value: 'list-left', label: 'A contact leaves a smart list' },
  { value: 'manual', label: 'Run by hand (admin or API)' },
]

/** A page-visited trigger's pages, a row each (pattern, minimum time), added and removed by buttons. */
function pageRowsFields(f: Fields, path: string, claims: Claims) {
  const stored = pageRows(f)
  const rows = stored.length > 0 ? stored : [{ pattern: '', minSeconds: '0' }]
  const addId = controlId(`add-page:${path}`)
  const index = path.split('.')[1] ?? '0'
  const fields = rows.map(
    (row, i) =>
      html`<div class="inline-fields page-row">
        ${input({ path: `${path}.pages.${i}.pattern`, label: `Page ${i + 1} (URL pattern)`, value: row.pattern, placeholder: '/pricing/**', claims })}
        ${input({
          path: `${path}.pages.${i}.minSeconds`,
          label: 'Minimum time on it (seconds)',
          value: row.minSeconds,
          type: 'number',
          min: 0,
          claims,
        })}
        ${
          rows.length > 1
            ? html`<button class="secondary small" name="action" value="remove-page:${index}.${i}" formnovalidate>
                Remove page ${i + 1}
              </button>`
            : ''
        }
      </div>`,
  )
  // After the rows took theirs: what is left names the list itself (no page at all).
  const rest = claims.take(`${path}.pages`)
  return html`${fields} ${rest ? html`<p class="error" role="alert">${rest}</p>` : ''}
    <button
      class="secondary small"
      id="${addId}"
      name="action"
      value="add-page:${index}"
      formnovalidate
      ${claims.autofocus(addId, false) ? html` autofocus` : ''}
    >
      + Add a page
    </button>`
}

export function triggerFields(f: Fields, path: string, { claims, choices }: { claims: Claims; choices: Choices }) {
  const p = (key: string) => `${path}.${key}`
  switch (f.type) {
    case 'page-visited':
      return pageRowsFields(f, path, claims)
    case 'form-submitted':
      return html`<p class="hint">Leave the three empty for any form; otherwise the form whose id, name or action equal these.</p>
        <div class="inline-fields">
          ${input({ path: p('formId'), label: 'Form id', value: f.formId ?? '', claims, errorAt: p('form.id') })}
          ${input({ path: p('formName'), label: 'Form name', value: f.formName ?? '', claims, errorAt: p('form.name') })}
          ${input({ path: p('formAction'), label: 'Form action', value: f.formAction ?? '', claims, errorAt: p('form.action') })}
        </div>`
    case 'contact-updated':
      return html`<div class="inline-fields">
        ${input({ path: p('field'), label: 'Field', value: f.field ?? '', placeholder: 'company', help: FIELD_HELP, claims })}
        ${input({ path: p('from'), label: 'From (optional)', value: f.from ?? '', claims })}
        ${input({ path: p('to'), label: 'To (optional)', value: f.to ?? '', claims })}
      </div>`
    case 'tag-added':
    case 'tag-removed':
      return input({ path: p('tag'), label: 'Tag', value: f.tag ?? '', placeholder: 'hot lead', claims })
    case 'score-crossed':
      return html`<div class="inline-fields">
        ${select({
          path: p('direction'),
          label: 'The score',
          value: f.direction ?? 'up',
          options: [
            { value: 'up', label: 'goes up to or above' },
            { value: 'down', label: 'goes down below' },
          ],
          claims,
        })}
        ${input({ path: p('threshold'), label: 'Threshold', value: f.threshold ?? '', type: 'number', claims })}
      </div>`
    case 'custom-event':
      return html`${input({ path: p('name'), label: 'Event name', value: f.name ?? '', placeholder: 'trial-started', claims })}
        <div class="inline-fields">
          ${input({ path: p('propKey'), label: 'Only when the property (optional)', value: f.propKey ?? '', errorAt: p('prop.key'), claims })}
          ${select({ path: p('propOp'), label: 'Comparison', value: f.propOp ?? 'equals', options: COMPARISONS, errorAt: p('prop.op'), claims })}
          ${input({ path: p('propValue'), label: 'Value', value: f.propValue ?? '', errorAt: p('prop.value'), claims })}
        </div>`
    case 'list-entered':
    case 'list-left':
      return select({
        path: p('listId'),
        label: 'Smart list',
        value: f.listId ?? '',
        options: [{ value: '', label: 'Choose a list' }, ...choices.lists],
        claims,
      })
    case 'manual':
      return html`<p class="hint">Started from a contact's page or by <code>POST /api/v1/campaigns/{id}/run</code>.</p>`
    default:
      return ''
  }
}
