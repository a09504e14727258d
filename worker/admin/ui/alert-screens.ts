// The alerts screens other than the wizard: the list and one alert with its analytics (chart
// and table of the same numbers), "Send test", duplicate and delete. The list also names the
// form alerts, which are campaigns (one model): each links to its campaign page.
import { html } from 'hono/html'
import type { AlertRow, AlertWindow, AnalyticsDay } from '../../db/queries/alerts'
import type { OutboxEntry } from '../../db/queries/outbox'
import { analyticsChart, shortDay } from './analytics-chart'
import { fieldError, frequencyText, notice, when } from './layout'
import { outboxTable } from './screens'

const pagesText = (a: AlertRow) =>
  a.pages.map((p) => html`<span class="nowrap"><code>${p.pattern}</code> ${p.minSeconds ? `≥ ${p.minSeconds} s` : 'at once'}</span>`)

export const recipientsText = (a: AlertRow) =>
  [a.notifyCreator && "the alert's creator", a.notifyOwner && "contact's owner", a.cc && `CC ${a.cc}`].filter(Boolean).join(', ')

const toggleForm = (a: AlertRow, back: string) =>
  html`<form method="post" action="/admin/alerts/${a.id}/toggle" class="toggle">
    <input type="hidden" name="back" value="${back}" />
    <button
      class="${a.active ? 'on' : 'off'}"
      aria-pressed="${a.active ? 'true' : 'false'}"
      title="Switch ${a.active ? 'OFF' : 'ON'}"
      aria-label="${a.name}: ${a.active ? 'ON, switch off' : 'OFF, switch on'}"
    >
      ${a.active ? 'ON' : 'OFF'}
    </button>
  </form>`

const statePill = (a: { active: boolean }) => html`<span class="pill ${a.active ? 'on' : 'off'}">${a.active ? 'ON' : 'OFF'}</span>`

/** A campaign the wizard could have made (a form submitted, one alert e-mail), in the summary's words. */
export type FormAlertRow = {
  id: string
  name: string
  active: boolean
  when: string
  frequency: { count: number; period: string } | null
  steps: string
}

function formAlertsSection(rows: FormAlertRow[], canEdit: boolean) {
  const intro = html`<p class="muted" data-form-alerts>
    Form alerts are campaigns: see <a href="/admin/campaigns">Campaigns</a>, where each has its report and can be switched ON or OFF or
    changed.${canEdit ? html` Make one with <a href="/admin/alerts/new?when=form">New alert → When a form is submitted</a>.` : ''}
  </p>`
  if (rows.length === 0)
    return html`<h2>Form alerts</h2>
      ${intro}`
  return html`<h2>Form alerts</h2>
    ${intro}
    <table>
      <thead>
        <tr>
          <th>Name</th>
          <th>When</th>
          <th>Frequency</th>
          <th>Sends</th>
          <th>ON/OFF</th>
        </tr>
      </thead>
      <tbody>
        ${rows.map(
          (r) =>
            html`<tr data-form-alert="${r.id}">
              <td><a href="/admin/campaigns/${r.id}">${r.name}</a></td>
              <td>${r.when}</td>
              <td>${r.frequency ? frequencyText(r.frequency.count, r.frequency.period) : 'every time'}</td>
              <td>${r.steps}</td>
              <td>${statePill(r)}</td>
            </tr>`,
        )}
      </tbody>
    </table>`
}

export function alertsScreen(options: {
  rows: Array<{ alert: AlertRow; lastSentAt: number | null }>
  formAlerts: FormAlertRow[]
  canEdit: boolean
  notice?: string
}) {
  const { rows, canEdit } = options
  return html`${notice(options.notice)}
    <div class="bar">
      <h1>Alerts</h1>
      ${canEdit ? html`<a class="btn" href="/admin/alerts/new">+ New alert</a>` : ''}
    </div>
    ${
      rows.length === 0
        ? html`<div class="card">
            <p>No alerts yet. An alert e-mails you (or the contact's owner) when a known contact reads a page you choose.</p>
            ${canEdit ? html`<a class="btn" href="/admin/alerts/new">Create your first alert</a>` : ''}
          </div>`
        : html`<table>
            <thead>
              <tr>
                <th>Name</th>
                <th>Pages</th>
                <th>Frequency</th>
                <th>Recipients</th>
                <th>ON/OFF</th>
                <th class="nowrap">Last sent</th>
              </tr>
            </thead>
            <tbody>
              ${rows.map(
                ({ alert: a, lastSentAt }) =>
                  html`<tr>
                    <td><a href="/admin/alerts/${a.id}">${a.name}</a></td>
                    <td>${pagesText(a).map((p, i) => html`${i ? html`<br />` : ''}${p}`)}</td>
                    <td>${frequencyText(a.frequencyCount, a.frequencyPeriod)}</td>
                    <td>${recipientsText(a)}</td>
                    <td>${canEdit ? toggleForm(a, '/admin/alerts') : statePill(a)}</td>
                    <td>${when(lastSentAt, 'never')}</td>
                  </tr>`,
              )}
            </tbody>
          </table>`
    }
    <p class="muted">Alerts fire for contacts (visitors who left their e-mail) on the pages you choose, then go to the outbox.</p>
    ${formAlertsSection(options.formAlerts, canEdit)}`
}

/** Notices of this screen (the shared ones are in layout.ts); a fixed text chosen by key. */
const ALERT_NOTICES: Record<string, string> = {
  duplicated: 'Copy created. It is OFF: check it, then switch it on.',
}

const alertNotice = (key: string | undefined) => {
  const text = key ? ALERT_NOTICES[key] : undefined
  return text ? html`<p class="notice" role="status">${text}</p>` : notice(key)
}

/** Not yet sent nor failed: pending, interrupted (unknown) or skipped while OFF. */
const otherOf = (d: Omit<AnalyticsDay, 'day'>) => d.pending + d.unknown + d.skipped

function analyticsTable(report: AlertWindow) {
  const active = report.days.filter((d) => d.fired > 0)
  const t = report.totals
  if (active.length === 0) return html`<p class="muted">Nothing in these days yet: the table fills in as the alert fires.</p>`
  return html`<div class="table-scroll">
    <table class="numbers">
      <caption>
        Days with activity, newest first
      </caption>
      <thead>
        <tr>
          <th scope="col">Day</th>
          <th scope="col" class="num">Fired</th>
          <th scope="col" class="num">Sent</th>
          <th scope="col" class="num">Held back</th>
          <th scope="col" class="num">In a digest</th>
          <th scope="col" class="num">Failed</th>
          <th scope="col" class="num">Other</th>
        </tr>
      </thead>
      <tbody>
        ${active.map(
          (d) =>
            html`<tr data-day="${d.day}">
              <th scope="row" class="nowrap">${shortDay(d.day)}</th>
              <td class="num">${d.fired}</td>
              <td class="num">${d.sent}</td>
              <td class="num">${d.held}</td>
              <td class="num">${d.digested}</td>
              <td class="num">${d.failed}</td>
              <td class="num">${otherOf(d)}</td>
            </tr>`,
        )}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row">Total</th>
          <th class="num">${t.fired}</th>
          <th class="num">${t.sent}</th>
          <th class="num">${t.held}</th>
          <th class="num">${t.digested}</th>
          <th class="num">${t.failed}</th>
          <th class="num">${otherOf(t)}</th>
        </tr>
      </tfoot>
    </table>
  </div>`
}

function analyticsSection(a: AlertRow, report: AlertWindow) {
  const t = report.totals
  const figure = (key: string, label: string, value: number) =>
    html`<div data-total="${key}">
      <dt>${label}</dt>
      <dd>${value}</dd>
    </div>`
  return html`<section class="card" aria-labelledby="analytics-heading">
    <h2 id="analytics-heading">Analytics, last ${report.days.length} days</h2>
    <p class="muted">
      Days in ${report.timeZone}, the workspace's time zone. <b>Fired</b> counts every time a contact met the alert's condition: then it was
      sent, <b>held back</b> by the frequency limit, folded into the recipient's hourly <b>digest</b> (the flood cap), failed, or is still
      on its way. Held-back visits are counted within about a minute.
    </p>
    <dl class="figures">
      ${figure('fired', 'Fired', t.fired)} ${figure('sent', 'Sent', t.sent)} ${figure('held', 'Held back', t.held)}
      ${figure('digested', 'In a digest', t.digested)} ${figure('failed', 'Failed', t.failed)}
    </dl>
    <figure class="chart">
      ${analyticsChart({ days: report.days, totals: t, timeZone: report.timeZone, name: a.name, id: 'alert-chart' })}
    </figure>
    ${analyticsTable(report)}
  </section>`
}

export function alertScreen(options: {
  alert: AlertRow
  lastSentAt: number | null
  report: AlertWindow
  deliveries: OutboxEntry[]
  canEdit: boolean
  notice?: string
  testTo: string
  testError?: string
}) {
  const { alert: a, canEdit } = options
  return html`${alertNotice(options.notice)}
    <div class="bar">
      <h1>${a.name} ${canEdit ? '' : statePill(a)}</h1>
      <div class="actions">
        ${
          canEdit
            ? html`${toggleForm(a, `/admin/alerts/${a.id}`)}<a class="btn secondary" href="/admin/alerts/${a.id}/edit">Edit</a>
                <form method="post" action="/admin/alerts/${a.id}/duplicate" class="plain">
                  <button class="secondary" title="Make a copy of this alert, switched OFF">Duplicate</button>
                </form>
                <form method="post" action="/admin/alerts/${a.id}/delete" class="toggle">
                  <button class="danger" data-confirm="Delete this alert and its outbox history?">Delete</button>
                </form>`
            : ''
        }<a href="/admin/alerts">All alerts</a>
      </div>
    </div>
    <div class="card summary">
      <dl>
        <dt>Alert on</dt>
        <dd>${pagesText(a).map((p, i) => html`${i ? html`<br />` : ''}${p}`)}</dd>
        <dt>Sent</dt>
        <dd>${frequencyText(a.frequencyCount, a.frequencyPeriod)} per contact</dd>
        <dt>To</dt>
        <dd>${recipientsText(a)}</dd>
        <dt>Description</dt>
        <dd>${a.description || '—'}</dd>
        <dt>Attachment</dt>
        <dd>${a.attachmentFormat ? `${a.attachmentFormat.toUpperCase()} file from a template` : 'none'}</dd>
        <dt>E-mail template</dt>
        <dd>${a.templateHtml ? 'custom HTML' : 'default'}</dd>
        <dt>Last sent</dt>
        <dd>${when(options.lastSentAt, 'never')}</dd>
      </dl>
    </div>
    ${analyticsSection(a, options.report)}
    <section class="card">
      <h2>Send a test</h2>
      <p class="muted">Sends this alert, as saved, for a sample contact to one address. It does not go to the outbox.</p>
      ${
        canEdit
          ? html`<form method="post" action="/admin/alerts/${a.id}/test" class="narrow">
              <label for="to">Send to</label
              ><input
                type="email"
                id="to"
                name="to"
                value="${options.testTo}"
                required${options.testError ? html` class="field-invalid"` : ''}
              />
              ${fieldError(options.testError)}
              <p><button>Send test</button></p>
            </form>`
          : html`<p>Only admins and marketers can send tests.</p>`
      }
    </section>
    <h2>Recent deliveries</h2>
    ${
      // Only sales reps cannot edit alerts; they see the deliveries about their own contacts, while the numbers above count every contact.
      options.canEdit ? '' : html`<p class="muted">The alerts about the contacts you own. The analytics above count every contact.</p>`
    }
    <div class="table-scroll">${outboxTable(options.deliveries, false)}</div>`
}
