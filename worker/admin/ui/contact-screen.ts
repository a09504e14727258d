// A contact's profile: who they are (fields, owner, tags, score, custom fields set by campaigns,
// how they were identified), a form to change the fields, tags and owner, the activity timeline
// read from the contact's object (pages with the time they were visible, forms with their fields,
// custom events, alerts fired and where each stands), and for admins the erase form.
import { html } from 'hono/html'
import type { ContactJson, TimelineJson } from '../../contacts/contact-json'
import { LIMITS } from '../../contacts/contact-input'
import type { WorkspaceUser } from '../../db/queries/workspaces'
import { campaignRunItem } from './campaign-timeline'
import { tagList } from './contacts-screen'
import { assignableUserOptions, userLabel } from './owner-choices'
import { problemSummary, selectField, textField, type Errors } from './form-controls'
import { notice, when } from './layout'

/** The edit form as typed: tags as one comma-separated line. */
export type ContactDraft = { name: string; company: string; phone: string; tags: string; ownerId: string }

export const contactDraft = (c: ContactJson): ContactDraft => ({
  name: c.name,
  company: c.company,
  phone: c.phone,
  tags: c.tags.join(', '),
  ownerId: c.owner?.id ?? '',
})

const IDENTIFIED: Record<ContactJson['identifiedBy'], string> = {
  form: 'by an e-mail typed into a form on your site (anyone could type it: not verified)',
  identify: "by an identify call in the page (not signed by your site's backend: not verified)",
  'verified-identify': "by an identify call signed by your site's backend (verified)",
}

/** 125 000 ms → "2 min 5 s". */
export function duration(ms: number): string {
  const s = Math.round(ms / 1000)
  if (s < 60) return `${s} s`
  const m = Math.floor(s / 60)
  if (m < 60) return s % 60 ? `${m} min ${s % 60} s` : `${m} min`
  return `${Math.floor(m / 60)} h ${m % 60} min`
}

const STATE_TEXT: Record<string, string> = {
  sent: 'sent',
  failed: 'failed',
  pending: 'being sent',
  sending: 'being sent',
  unknown: 'outcome unknown',
  digested: 'in the hourly digest',
  skipped: 'not sent (alert OFF)',
  reserved: 'waiting for the queue',
  queued: 'queued',
  'gave-up': 'not queued (gave up)',
}

const pillClass = (state: string) => (state === 'sent' ? 'sent' : state === 'failed' || state === 'gave-up' ? 'failed' : 'pending')

const fieldsList = (detail: Record<string, string | number | boolean> | undefined) => {
  const entries = Object.entries(detail ?? {})
  return entries.length
    ? html`<dl class="fields">
        ${entries.map(
          ([k, value]) =>
            html`<dt>${k}</dt>
              <dd>${String(value)}</dd>`,
        )}
      </dl>`
    : ''
}

/** The contact's custom fields by key (set by campaigns), or a word on where they come from. */
const NO_CUSTOM_FIELDS =
  "none (an identify's traits beyond name, company and phone, or a campaign's “Set a contact field” step on custom.<key>, set them)"

function customFields(fields: Record<string, string>) {
  const entries = Object.entries(fields).sort(([a], [b]) => a.localeCompare(b))
  if (entries.length === 0) return html`<span class="muted">${NO_CUSTOM_FIELDS}</span>`
  return html`<dl class="fields custom-fields">
    ${entries.map(
      ([key, value]) =>
        html`<dt>${key}</dt>
          <dd>${value || html`<span class="muted">(empty)</span>`}</dd>`,
    )}
  </dl>`
}

const page = (item: TimelineJson) =>
  html`${item.title && item.title !== item.url ? html`<b>${item.title}</b><br />` : ''}<span class="url">${item.url ?? ''}</span>`

function what(item: TimelineJson) {
  switch (item.type) {
    case 'pageview':
      return html`<span class="kind">Viewed a page</span> ${page(item)}${
          item.visibleMs ? html`<br /><span class="muted">visible for ${duration(item.visibleMs)}</span>` : ''
        }`
    case 'form':
      return html`<span class="kind">Sent a form</span
        >${item.url ? html` on <span class="url">${item.url}</span>` : ''}${fieldsList(item.detail)}`
    case 'track':
      return html`<span class="kind">Custom event</span> <b>${item.title ?? ''}</b>${fieldsList(item.detail)}`
    case 'identify':
      return html`<span class="kind">Identified</span> as ${item.detail?.email === undefined ? 'this contact' : String(item.detail.email)}`
    case 'contact-created':
      return html`<span class="kind">Became a contact</span>`
    case 'alert': {
      const alert = item.alert
      const state = alert?.state ?? 'reserved'
      return html`<span class="kind">Alert fired</span>
        ${alert?.name ? html`<a href="/admin/alerts/${alert.id}">${alert.name}</a>` : html`<span class="muted">(a deleted alert)</span>`}
        <span class="pill ${pillClass(state)}">${STATE_TEXT[state] ?? state}</span><br />
        ${page(item)}${item.visibleMs ? html` <span class="muted">after ${duration(item.visibleMs)} visible</span>` : ''}
        ${alert?.deliveryId ? html`<br /><a href="/admin/outbox">See it in the outbox</a>` : ''}`
    }
    case 'campaign':
      return campaignRunItem(item.campaign)
  }
}

function timeline(items: TimelineJson[]) {
  if (items.length === 0)
    return html`<p class="muted">
      Nothing recorded yet. Pages this contact views on your site, the forms they send and the alerts they trigger appear here.
    </p>`
  return html`<ol class="timeline">
    ${items.map(
      (item) =>
        html`<li class="${item.type}">
          <time class="muted">${when(item.at)}</time>
          <div>${what(item)}</div>
        </li>`,
    )}
  </ol>`
}

function editForm(o: { contact: ContactJson; draft: ContactDraft; users: WorkspaceUser[]; canAssign: boolean; errors: Errors }) {
  const { draft: d, errors } = o
  return html`<form method="post" action="/admin/contacts/${o.contact.id}/edit" class="settings">
    ${textField({ id: 'contact-name', name: 'name', label: 'Name', value: d.name, errors, maxlength: LIMITS.name, autocomplete: 'off' })}
    ${textField({ id: 'contact-company', name: 'company', label: 'Company', value: d.company, errors, maxlength: LIMITS.company, autocomplete: 'off' })}
    ${textField({ id: 'contact-phone', name: 'phone', label: 'Phone', value: d.phone, errors, maxlength: LIMITS.phone, autocomplete: 'off' })}
    ${textField({
      id: 'contact-tags',
      name: 'tags',
      label: 'Tags',
      value: d.tags,
      errors,
      placeholder: 'hot lead, enterprise',
      help: `Separated by commas; at most ${LIMITS.tags}.`,
    })}
    ${
      o.canAssign
        ? selectField({
            id: 'contact-owner',
            name: 'ownerId',
            label: 'Owner',
            value: d.ownerId,
            options: [{ value: '', label: 'Nobody' }, ...assignableUserOptions(o.users, d.ownerId)],
            errors,
            help: 'Alerts sent to "the contact\'s owner" go to this person from the next alert on.',
          })
        : ''
    }
    <div class="actions"><button>Save contact</button></div>
  </form>`
}

export function contactScreen(o: {
  contact: ContactJson
  timeline: TimelineJson[]
  users: WorkspaceUser[]
  draft: ContactDraft
  errors: Errors
  errorCount: number
  canAssign: boolean
  canErase: boolean
  notice?: string
}) {
  const c = o.contact
  return html`${notice(o.notice)}
    <div class="bar">
      <h1>${c.name || c.email}</h1>
      <a href="/admin/contacts">All contacts</a>
    </div>
    <div class="grid2 profile">
      <section class="card summary" aria-labelledby="contact-title">
        <h2 id="contact-title">Contact</h2>
        <dl>
          <dt>E-mail</dt>
          <dd>${c.email}</dd>
          <dt>Name</dt>
          <dd>${c.name || html`<span class="muted">—</span>`}</dd>
          <dt>Company</dt>
          <dd>${c.company || html`<span class="muted">—</span>`}</dd>
          <dt>Phone</dt>
          <dd>${c.phone || html`<span class="muted">—</span>`}</dd>
          <dt>Owner</dt>
          <dd>${c.owner ? userLabel(c.owner) : html`<span class="muted">nobody</span>`}</dd>
          <dt>Tags</dt>
          <dd>${c.tags.length ? tagList(c.tags) : html`<span class="muted">none</span>`}</dd>
          <dt>Score</dt>
          <dd>${c.score}</dd>
          <dt>Custom fields</dt>
          <dd>${customFields(c.customFields)}</dd>
          <dt>Identified</dt>
          <dd>${when(c.createdAt)}, ${IDENTIFIED[c.identifiedBy]}</dd>
          <dt>Last changed</dt>
          <dd>${when(c.updatedAt)}</dd>
        </dl>
      </section>
      <section class="card" aria-labelledby="edit-title">
        <h2 id="edit-title">Change</h2>
        ${problemSummary(o.errorCount)} ${editForm(o)}
      </section>
    </div>
    <section class="card" aria-labelledby="activity-title">
      <h2 id="activity-title">Activity</h2>
      <p class="muted">The latest 50 events, newest first, the alerts of the last 35 days and the campaign runs. Times in UTC.</p>
      ${timeline(o.timeline)}
    </section>
    ${
      o.canErase
        ? html`<section class="card" aria-labelledby="erase-title">
            <h2 id="erase-title">Erase this contact</h2>
            <p>
              Deletes everything Pagebell holds about this person: the contact, its activity, and the personal data in the outbox. Their
              browsers become anonymous visitors again; if they identify later, they become a new contact. This cannot be undone.
            </p>
            <form method="post" action="/admin/contacts/${c.id}/erase">
              <button class="danger" data-confirm="Erase ${c.email} and all their activity? This cannot be undone.">Erase contact</button>
            </form>
          </section>`
        : ''
    }`
}
