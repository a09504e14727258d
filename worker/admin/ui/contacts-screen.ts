// The contacts list: a filter form (search, owner, identified since, visited a page in the last N
// days) that works as a plain GET form, the matching contacts a page at a time, CSV export of the
// same filter, and for admins and marketers a bulk form giving the ticked contacts one owner.
// Checkboxes belong to the bulk form through `form=`, so the table needs no script.
import { html } from 'hono/html'
import type { ContactWithOwner } from '../../db/queries/contacts'
import type { WorkspaceUser } from '../../db/queries/workspaces'
import { LIMITS } from '../../contacts/contact-input'
import { PAGE_DAYS_KEPT } from '../../db/queries/contact-pages'
import { problemSummary, selectField, textField, type Errors } from './form-controls'
import { notice, when } from './layout'
import { assignableUserOptions, everyUserOptions, userLabel } from './owner-choices'

/** The filter as typed, echoed back into the form. */
export type ContactFilterDraft = { q: string; owner: string; identifiedSince: string; visited: string; visitedDays: string }

/** The bulk form's value for "nobody" (an empty value means nothing was chosen). */
export const BULK_NOBODY = 'none'

const PROBLEMS: Record<string, string> = {
  'select-contacts': 'Tick at least one contact, then choose the owner to give them.',
  'choose-owner': 'Choose the owner to give the ticked contacts (or "Nobody").',
}

export const tagList = (tags: string[]) => html`${tags.map((t) => html`<span class="tag">${t}</span>`)}`

function filterForm(o: { draft: ContactFilterDraft; users: WorkspaceUser[]; isSales: boolean; errors: Errors }) {
  const { draft: d, errors } = o
  return html`<form method="get" action="/admin/contacts" class="card filters" role="search" aria-label="Filter contacts">
    <div class="wide">
      ${textField({
        id: 'contacts-q',
        name: 'q',
        label: 'Search',
        value: d.q,
        errors,
        maxlength: LIMITS.search,
        placeholder: 'e-mail, name or company',
        help: 'Finds the text anywhere in the e-mail, name or company; case and accents do not matter.',
      })}
    </div>
    ${
      o.isSales
        ? ''
        : selectField({
            id: 'contacts-owner',
            name: 'owner',
            label: 'Owner',
            value: d.owner,
            options: [{ value: '', label: 'Anyone' }, { value: 'none', label: 'Nobody (unassigned)' }, ...everyUserOptions(o.users)],
            errors,
          })
    }
    <div class="field">
      <label for="contacts-since">Identified since</label>
      <input
        type="date"
        id="contacts-since"
        name="identifiedSince"
        value="${d.identifiedSince}"
        ${errors.get('identifiedSince') ? html` class="field-invalid" aria-invalid="true" aria-describedby="contacts-since-error"` : ''}
      />
      ${errors.get('identifiedSince') ? html`<p class="error" id="contacts-since-error" role="alert">${errors.get('identifiedSince')}</p>` : ''}
    </div>
    <div class="visited">
      ${textField({
        id: 'contacts-visited',
        name: 'visited',
        label: 'Visited a page',
        value: d.visited,
        errors,
        maxlength: LIMITS.pattern,
        placeholder: '/pricing/**',
        help: 'A page pattern as in alerts: * stands for one part of the path, ** for any depth.',
      })}
      <div class="field">
        <label for="contacts-days">in the last … days</label>
        <input
          type="number"
          id="contacts-days"
          name="visitedDays"
          min="1"
          max="${PAGE_DAYS_KEPT}"
          placeholder="30"
          value="${d.visitedDays}"
          ${errors.get('visitedDays') ? html` class="field-invalid" aria-invalid="true" aria-describedby="contacts-days-error"` : ''}
        />
        ${errors.get('visitedDays') ? html`<p class="error" id="contacts-days-error" role="alert">${errors.get('visitedDays')}</p>` : ''}
      </div>
    </div>
    <div class="actions wide">
      <button>Show contacts</button>
      <a href="/admin/contacts">Clear the filters</a>
    </div>
  </form>`
}

function emptyState(filtered: boolean, isSales: boolean) {
  if (filtered)
    return html`<div class="card empty">
      <p><b>No contact matches these filters.</b> Try a shorter search or more days, or <a href="/admin/contacts">clear the filters</a>.</p>
    </div>`
  return html`<div class="card empty">
    ${
      isSales
        ? html`<p>
            <b>No contact is assigned to you yet.</b> When an admin or a marketer makes you the owner of a contact, or a site gives you its
            new contacts, they appear here and their alerts come to you.
          </p>`
        : html`<p>
              <b>No contact yet.</b> A visitor becomes a contact when they type their e-mail into a form on your site or your site calls
              <code>pagebell('identify', …)</code>.
            </p>
            <p><a class="btn" href="/admin/sites">Check that your site sends events</a></p>`
    }
  </div>`
}

export function contactsScreen(o: {
  rows: ContactWithOwner[]
  users: WorkspaceUser[]
  draft: ContactFilterDraft
  errors: Errors
  errorCount: number
  filtered: boolean
  isSales: boolean
  canAssign: boolean
  /** This page's own address (the bulk form comes back to it). */
  self: string
  exportHref: string
  nextPage: string | null
  firstPage: string | null
  notice?: string
  problem?: string
}) {
  const problem = o.problem ? PROBLEMS[o.problem] : undefined
  return html`${notice(o.notice)}${problem ? html`<p class="problem" role="alert">${problem}</p>` : ''}
    <div class="bar">
      <h1>Contacts</h1>
      ${o.rows.length ? html`<a class="btn secondary" href="${o.exportHref}" download>Export CSV</a>` : ''}
    </div>
    ${o.isSales ? html`<p class="muted">You see the contacts you own.</p>` : ''} ${problemSummary(o.errorCount)}
    ${filterForm({ draft: o.draft, users: o.users, isSales: o.isSales, errors: o.errors })}
    ${
      o.rows.length === 0
        ? emptyState(o.filtered || o.firstPage !== null, o.isSales)
        : html`<div class="table-scroll">
              <table class="contacts stack">
                <caption class="visually-hidden">
                  Contacts, newest first
                </caption>
                <thead>
                  <tr>
                    ${o.canAssign ? html`<th scope="col"><span class="visually-hidden">Select</span></th>` : ''}
                    <th scope="col">Contact</th>
                    <th scope="col">Company</th>
                    <th scope="col">Owner</th>
                    <th scope="col">Tags</th>
                    <th scope="col" class="num">Score</th>
                    <th scope="col">Identified</th>
                  </tr>
                </thead>
                <tbody>
                  ${o.rows.map(
                    (c) =>
                      html`<tr>
                        ${
                          o.canAssign
                            ? html`<td>
                                <input type="checkbox" name="ids" value="${c.id}" form="bulk-assign" aria-label="Select ${c.email}" />
                              </td>`
                            : ''
                        }
                        <td>
                          <a href="/admin/contacts/${c.id}">${c.name || c.email}</a
                          >${c.name ? html`<br /><span class="muted">${c.email}</span>` : ''}
                        </td>
                        <td ${c.company ? html` data-label="Company"` : ''}>${c.company}</td>
                        <td data-label="Owner">${c.owner ? userLabel(c.owner) : html`<span class="muted">nobody</span>`}</td>
                        <td ${c.tags.length ? html` data-label="Tags"` : ''}>${tagList(c.tags)}</td>
                        <td data-label="Score" class="num">${c.score}</td>
                        <td data-label="Identified" class="nowrap">${when(c.createdAt)}</td>
                      </tr>`,
                  )}
                </tbody>
              </table>
            </div>
            <nav class="actions pager" aria-label="Pages">
              ${o.firstPage ? html`<a href="${o.firstPage}">← First page</a>` : ''}
              ${o.nextPage ? html`<a href="${o.nextPage}">Next page →</a>` : ''}
            </nav>
            ${
              o.canAssign
                ? html`<form method="post" action="/admin/contacts/assign" id="bulk-assign" class="card bulk">
                    <input type="hidden" name="back" value="${o.self}" />
                    ${selectField({
                      id: 'bulk-owner',
                      name: 'ownerId',
                      label: 'Give the ticked contacts to',
                      value: '',
                      // Nothing is chosen until someone chooses: "nobody" is a choice too, never a default.
                      options: [
                        { value: '', label: 'Choose an owner…' },
                        ...assignableUserOptions(o.users),
                        { value: BULK_NOBODY, label: 'Nobody (unassign them)' },
                      ],
                      extra: html` required`,
                      errors: o.errors,
                      help: 'Alerts sent to "the contact\'s owner" go to this person from the next alert on.',
                    })}
                    <button>Assign owner</button>
                  </form>`
                : ''
            }`
    }`
}
