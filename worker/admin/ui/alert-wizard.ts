// The Alert creator (SPEC §3): one page, five numbered steps A–E, each error beside its field.
// Page rows are added and removed by the server (buttons named `action`), so no script is needed;
// step B's "does this page match?" tester answers its Test button the same way, and the script
// asks it again as the marketer types (worker/alerts/match-test.ts decides, with the product's matcher).
// A new alert may instead be about a form submitted (two tabs above the form, plain links): step B
// then chooses the form; the alert is saved as a campaign with one send-alert step carrying the
// same details (worker/alerts/form-alert.ts).
import { html } from 'hono/html'
import { ATTACHMENT_FORMATS } from '../../../durable-objects/contracts/campaign'
import { LIMITS } from '../../alerts/alert-input'
import type { FieldError } from '../../field-errors'
import type { WizardDraft } from '../wizard-form'
import { fieldError, frequencyText } from './layout'
import { matchResult, type MatchView } from './match-result'

type Errors = Map<string, string>

export const errorMap = (errors: FieldError[]): Errors => {
  const map = new Map<string, string>()
  for (const e of errors) if (!map.has(e.field)) map.set(e.field, e.reason)
  return map
}

const invalid = (errors: Errors, field: string) => (errors.has(field) ? html` class="field-invalid" aria-invalid="true"` : '')

const step = (letter: string, title: string, body: unknown) =>
  html`<section class="card step" id="step-${letter.toLowerCase()}">
    <div class="letter">${letter}</div>
    <div class="body">
      <h2>${title}</h2>
      ${body}
    </div>
  </section>`

function pagesStep(d: WizardDraft, errors: Errors, tester: { url: string; view: MatchView }) {
  const rows = d.pages.map(
    (p, i) =>
      html`<div class="row">
        <div>
          <input
            type="text"
            name="pattern"
            value="${p.pattern}"
            placeholder="/pricing/**"
            aria-label="URL pattern, row ${i + 1}"
            ${invalid(errors, `pages.${i}.pattern`)}
          />
          ${fieldError(errors.get(`pages.${i}.pattern`))}
        </div>
        <div>
          <input
            type="number"
            name="minSeconds"
            min="0"
            max="${LIMITS.minSeconds}"
            value="${p.minSeconds}"
            aria-label="Minimum seconds, row ${i + 1}"
            ${invalid(errors, `pages.${i}.minSeconds`)}
          />
          ${fieldError(errors.get(`pages.${i}.minSeconds`))}
        </div>
        <div>
          ${d.pages.length > 1 ? html`<button class="secondary" name="action" value="remove-row:${i}" formnovalidate title="Remove this page">Remove</button>` : ''}
        </div>
      </div>`,
  )
  return html`<p class="muted">
      The alert fires when a contact is on <b>any</b> of these pages for at least the minimum time (0 = as soon as they open it).
    </p>
    <div class="rows">
      <div class="row">
        <span class="head">Page (URL pattern)</span><span class="head">Minimum time on page (seconds)</span><span></span>
      </div>
      ${rows}
    </div>
    ${fieldError(errors.get('pages'))}
    ${d.pages.length < LIMITS.rows ? html`<button class="secondary" name="action" value="add-row" formnovalidate>+ Add a page</button>` : ''}
    <div class="tester" data-match-tester="/admin/alerts/match-test">
      <label for="testUrl">Does a page match? Type its address</label>
      <div class="tester-row">
        <input
          type="text"
          id="testUrl"
          name="testUrl"
          value="${tester.url}"
          placeholder="https://www.example.com/pricing/team or /pricing/team"
          autocomplete="off"
          spellcheck="false"
          aria-describedby="match-result"
        />
        <button class="secondary" name="action" value="test-url" formnovalidate>Test</button>
      </div>
      <div class="match-result" id="match-result" data-match-result aria-live="polite">${matchResult(tester.view)}</div>
    </div>
    <div class="help">
      <b>How patterns work</b>
      <ul>
        <li><code>/pricing</code> — that page on any of your site's domains; <code>example.com/pricing</code> — only on that domain.</li>
        <li><code>*</code> — anything inside one path segment: <code>/blog/*/comments</code>.</li>
        <li>
          <code>**</code> — any depth, the page itself included: <code>/pricing/**</code> covers <code>/pricing</code> and
          <code>/pricing/team/a</code>.
        </li>
        <li>
          Upper/lower case and a trailing <code>/</code> make no difference; the query string is ignored unless you write one
          (<code>/pricing?plan=team</code>).
        </li>
      </ul>
    </div>`
}

function frequencyStep(d: WizardDraft, errors: Errors) {
  const radio = (value: string, label: string) =>
    html`<label class="inline"
      ><input type="radio" name="frequency" value="${value}" ${d.frequency === value ? html` checked` : ''} /> ${label}</label
    >`
  const periodOption = (p: string) => html`<option value="${p}" ${d.period === p ? html` selected` : ''}>${p}</option>`
  return html`<p class="muted">
      How often one contact can trigger this alert, per calendar day, week or month (in the workspace's time zone). Example: "once a day"
      and three visits today → one alert today.
    </p>
    <div class="freq">
      ${radio('day', 'Once a day')} ${radio('week', 'Once a week')} ${radio('month', 'Once a month')}
      <span class="custom"
        >${radio('custom', 'Choose exactly: at most')}
        <input
          type="number"
          name="count"
          min="1"
          max="${LIMITS.frequencyCount}"
          value="${d.count}"
          aria-label="Number of alerts"
          ${invalid(errors, 'frequency.count')}
        />
        <span>per</span>
        <select name="period" aria-label="Period" ${invalid(errors, 'frequency.period')}>
          ${['day', 'week', 'month'].map(periodOption)}
        </select></span
      >
    </div>
    ${fieldError(errors.get('frequency.count') ?? errors.get('frequency.period') ?? errors.get('frequency'))}`
}

function formStep(d: WizardDraft, errors: Errors) {
  const text = (key: 'id' | 'name' | 'action', name: string, label: string, value: string, placeholder: string) =>
    html`<label for="${name}">${label}</label>
      <input type="text" id="${name}" name="${name}" value="${value}" placeholder="${placeholder}" ${invalid(errors, `form.${key}`)} />
      ${fieldError(errors.get(`form.${key}`))}`
  const match = (value: string, label: string) =>
    html`<label class="inline"
      ><input type="radio" name="formMatch" value="${value}" ${d.formMatch === value ? html` checked` : ''} /> ${label}</label
    >`
  return html`<p class="muted">
      The alert fires each time a contact (a visitor who left their e-mail) submits the form on your site, the tracking script seeing the
      submit.
    </p>
    <div class="freq">${match('any', 'Any form')} ${match('one', 'This form:')}</div>
    ${fieldError(errors.get('form.match'))}
    <p class="muted">
      For "this form", give what identifies it in your page's HTML: its <code>id</code>, <code>name</code> or <code>action</code>
      attribute, as written there. Each one given must match (upper/lower case and spaces around make no difference).
    </p>
    ${text('id', 'formId', 'Form id', d.formId, 'e.g. demo-request')} ${text('name', 'formName', 'Form name', d.formName, 'e.g. contact')}
    ${text('action', 'formAction', 'Form action', d.formAction, 'e.g. /contact/send')}`
}

function recipientsFields(d: WizardDraft, errors: Errors, me: string) {
  return html`<label>Who receives the alert</label>
    <label class="inline"><input type="checkbox" name="notifyCreator" ${d.notifyCreator ? html` checked` : ''} /> Me (${me})</label>
    <label class="inline"
      ><input type="checkbox" name="notifyOwner" ${d.notifyOwner ? html` checked` : ''} /> The contact's owner (the sales rep the contact is
      assigned to)</label
    >
    <label for="cc">CC — more addresses, separated by commas (at most 255 characters)</label>
    <input type="text" id="cc" name="cc" value="${d.cc}" placeholder="sales-team@example.com, boss@example.com" ${invalid(errors, 'cc')} />
    ${fieldError(errors.get('cc'))}`
}

function detailsStep(d: WizardDraft, errors: Errors, me: string) {
  const format = (f: string, label: string) =>
    html`<option value="${f}" ${d.attachmentFormat === f ? html` selected` : ''}>${label}</option>`
  return html`${recipientsFields(d, errors, me)}
    <label for="description">Description — printed at the top of the alert e-mail</label>
    <textarea id="description" name="description" maxlength="${LIMITS.description}" placeholder="e.g. A known contact is reading our pricing. Call them while it is fresh."${invalid(errors, 'description')}>${d.description}</textarea>
    ${fieldError(errors.get('description'))}
    <div class="grid2">
      <div><label for="attachmentFormat">Attachment (optional)</label>
        <select id="attachmentFormat" name="attachmentFormat"${invalid(errors, 'attachmentFormat')}>${format('', 'No attachment')}${ATTACHMENT_FORMATS.map((f) => format(f, `${f.toUpperCase()} file`))}</select>
        ${fieldError(errors.get('attachmentFormat'))}</div>
      <div><label for="attachmentTemplate">Attachment content (a template)</label>
        <textarea class="code" id="attachmentTemplate" name="attachmentTemplate" placeholder="{{ contact.name }},{{ contact.email }},{{ visit.url }}"${invalid(errors, 'attachmentTemplate')}>${d.attachmentTemplate}</textarea>
        ${fieldError(errors.get('attachmentTemplate'))}</div>
    </div>
    <details${d.templateHtml || errors.has('templateHtml') ? html` open` : ''}><summary>Custom e-mail template (optional — leave empty for the default)</summary>
      <p class="muted">HTML with variables such as <code>{{ contact.name }}</code>, <code>{{ contact.email }}</code>, <code>{{ visit.url }}</code>, <code>{{ alert.description }}</code>. At most 100 KB.</p>
      <textarea class="code" name="templateHtml" aria-label="Custom e-mail template"${invalid(errors, 'templateHtml')}>${d.templateHtml}</textarea>
      ${fieldError(errors.get('templateHtml'))}
    </details>`
}

/** Step E's "Alert on" line: the pages with their minimum times, or the form. */
function alertOn(d: WizardDraft): string {
  if (d.trigger === 'form') {
    const given = [
      ['id', d.formId],
      ['name', d.formName],
      ['action', d.formAction],
    ].filter(([, value]) => value?.trim())
    const which = given.map(([key, value]) => `${key} "${value?.trim()}"`).join(', ')
    return d.formMatch === 'any' ? 'any form submitted' : which ? `the form with ${which} submitted` : '(no form yet)'
  }
  const pages = d.pages
    .filter((p) => p.pattern.trim())
    .map((p) => `${p.pattern.trim()} (${Number(p.minSeconds) > 0 ? `at least ${p.minSeconds} s` : 'at once'})`)
  return pages.join(', ') || '(no page yet)'
}

function summaryStep(d: WizardDraft) {
  const who = [d.notifyCreator && 'me', d.notifyOwner && "the contact's owner", d.cc.trim() && `CC: ${d.cc.trim()}`].filter(Boolean)
  const freq =
    d.frequency === 'custom'
      ? `${frequencyText(Number(d.count) || 0, d.period)} per contact`
      : `${frequencyText(1, d.frequency)} per contact`
  return html`<div class="summary">
    <dl>
      <dt>Name</dt>
      <dd data-summary="name">${d.name || '(no name yet)'}</dd>
      <dt>Alert on</dt>
      ${
        // Not "pages" for a form: the page's script rewrites that one from the page rows as they are typed.
        html`<dd data-summary="${d.trigger === 'form' ? 'form' : 'pages'}">${alertOn(d)}</dd>`
      }
      <dt>Sent</dt>
      <dd data-summary="frequency">${freq}</dd>
      <dt>To</dt>
      <dd data-summary="recipients">${who.join('; ') || '(nobody yet: choose at least one)'}</dd>
      <dt>Attachment</dt>
      <dd data-summary="attachment">${d.attachmentFormat ? `${d.attachmentFormat.toUpperCase()} file from a template` : 'none'}</dd>
      ${
        d.trigger === 'form'
          ? html`<dt>Saved as</dt>
              <dd data-summary="saved-as">a campaign (see Campaigns), where its report and history are</dd>`
          : ''
      }
    </dl>
    <div class="actions">
      <label class="switch"
        ><input type="checkbox" name="active" ${d.active ? html` checked` : ''} /> Alert is
        <span data-summary="active">${d.active ? 'ON' : 'OFF'}</span></label
      >
      <button name="action" value="save">Save alert</button>
    </div>
  </div>`
}

/** The two kinds a new alert can be, as tabs: plain links, so choosing needs no script. */
const triggerTabs = (d: WizardDraft) => {
  const tab = (trigger: string, href: string, label: string) =>
    html`<a href="${href}" ${d.trigger === trigger ? html` aria-current="page"` : ''}>${label}</a>`
  return html`<nav class="tabs" aria-label="What the alert is about">
    ${tab('page', '/admin/alerts/new', 'When a contact reads pages')}
    ${tab('form', '/admin/alerts/new?when=form', 'When a form is submitted')}
  </nav>`
}

/** Steps B to D of a form alert: which form, how often, who and what the e-mail carries. */
const formSteps = (d: WizardDraft, errors: Errors, me: string) =>
  html`<input type="hidden" name="trigger" value="form" /> ${step('B', 'Form', formStep(d, errors))}
    ${step('C', 'Frequency', frequencyStep(d, errors))} ${step('D', 'Details', detailsStep(d, errors, me))}`

export function alertWizard(options: {
  action: string
  /** A new alert: offer the tabs choosing what it is about. */
  kinds: boolean
  draft: WizardDraft
  errors: FieldError[]
  me: string
  heading: string
  cancel: string
  /** Step B's test address and what the matcher said about it. */
  tester: { url: string; view: MatchView }
}) {
  const { draft: d, me } = options
  const errors = errorMap(options.errors)
  return html`<div class="bar">
      <h1>${options.heading}</h1>
      <a href="${options.cancel}">Cancel</a>
    </div>
    ${options.kinds ? triggerTabs(d) : ''}
    ${options.errors.length ? html`<p class="problem" role="alert">The alert was not saved: ${options.errors.length === 1 ? 'one field needs' : `${options.errors.length} fields need`} attention (marked in red below).</p>` : ''}
    ${fieldError(errors.get('body'))}
    <form method="post" action="${options.action}" class="wizard" novalidate>
      <button class="default-submit" name="action" value="save" tabindex="-1" aria-hidden="true">Save</button>
      ${step('A', 'Name', html`<label for="name">Alert name</label><input type="text" id="name" name="name" maxlength="${LIMITS.name}" value="${d.name}" placeholder="e.g. Pricing interest" ${invalid(errors, 'name')} />${fieldError(errors.get('name'))}`)}
      ${
        d.trigger === 'form'
          ? formSteps(d, errors, me)
          : html`${step('B', 'Pages', pagesStep(d, errors, options.tester))} ${step('C', 'Frequency', frequencyStep(d, errors))}
            ${step('D', 'Details', detailsStep(d, errors, me))}`
      }
      ${step('E', 'Summary', summaryStep(d))}
    </form>`
}
