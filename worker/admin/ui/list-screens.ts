// Smart lists: the list of them (each with its conditions in words) and the form that makes or
// changes one (a name and its conditions, added and removed by server round-trips like the
// campaign builder's). A list still named by a campaign or another list is not deleted; the
// refusal says which.
import { html } from 'hono/html'
import type { ListRow } from '../../db/queries/lists'
import type { FieldError } from '../../field-errors'
import { conditionList } from './campaign-builder'
import { Claims, input, type Choices } from './campaign-controls'
import type { ListDraft } from './campaign-draft'
import { campaignNotice, campaignTabs, simpleFormPage } from './campaign-screens'
import { when } from './layout'

export function listsScreen(o: { rows: Array<{ row: ListRow; words: string[] }>; canEdit: boolean; notice?: string }) {
  return html`${campaignNotice(o.notice)} ${campaignTabs('lists')}
    <div class="bar">
      <h1>Smart lists</h1>
      ${o.canEdit ? html`<a class="btn" href="/admin/lists/new">+ New smart list</a>` : ''}
    </div>
    ${
      o.rows.length === 0
        ? html`<div class="card">
            <p>
              No smart list yet. A smart list is a saved segment ("score at least 50 and has the tag customer"): contacts join and leave it
              as they act, and joining or leaving can start a campaign.
            </p>
          </div>`
        : html`<table>
            <thead>
              <tr>
                <th>Name</th>
                <th>A contact is in it while</th>
                <th>Changed</th>
              </tr>
            </thead>
            <tbody>
              ${o.rows.map(
                ({ row, words }) =>
                  html`<tr>
                    <td>${o.canEdit ? html`<a href="/admin/lists/${row.id}">${row.definition.name}</a>` : row.definition.name}</td>
                    <td>${words.join(' and ')}</td>
                    <td>${when(row.updatedAt)}</td>
                  </tr>`,
              )}
            </tbody>
          </table>`
    }`
}

export function listForm(o: {
  action: string
  heading: string
  cancel: string
  draft: ListDraft
  errors: FieldError[]
  focus: string | null
  choices: Choices
  /** The delete form's target, for an existing list. */
  remove?: string
}) {
  const claims = new Claims(o.errors, o.focus)
  const ctx = { claims, choices: o.choices }
  const name = input({ path: 'name', label: 'List name', value: o.draft.name, placeholder: 'e.g. Hot leads', claims })
  const conditions = conditionList(o.draft.conditions, ctx, 'No condition yet: a list needs at least one.')
  const fields = html`${name}
    <h2>A contact is in the list while all of these hold</h2>
    ${conditions}`
  return simpleFormPage({ ...o, tab: 'lists', noun: 'list', fields, errors: o.errors, unclaimed: claims.unclaimed() })
}
