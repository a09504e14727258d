// The admin screens of login and the outbox (alerts: alert-screens.ts and alert-wizard.ts; API tokens: tokens-screen.ts).
import { html } from 'hono/html'
import * as v from 'valibot'
import type { OutboxEntry } from '../../db/queries/outbox'
import { when } from './layout'

/** `retryAfterSeconds`: too many attempts (worker/auth/login-limits.ts); the form says when to try again. */
export function loginScreen(options: { next: string; email: string; failed: boolean; demoHint: boolean; retryAfterSeconds?: number }) {
  const wait = options.retryAfterSeconds
  return html`<div class="login card">
      <h1>Log in to Pagebell</h1>
      ${options.failed ? html`<p class="problem" role="alert">That e-mail and password do not match an account.</p>` : ''}
      ${
        wait
          ? html`<p class="problem" role="alert">
              Too many login attempts. Try again in ${wait < 90 ? `${wait} seconds` : `${Math.ceil(wait / 60)} minutes`}.
            </p>`
          : ''
      }
      <form method="post" action="/admin/login">
        <input type="hidden" name="next" value="${options.next}" />
        <label for="email">E-mail</label
        ><input type="email" id="email" name="email" value="${options.email}" autocomplete="username" required autofocus />
        <label for="password">Password</label
        ><input type="password" id="password" name="password" autocomplete="current-password" required />
        <p class="actions"><button>Log in</button> <a href="/admin/forgot">Forgot your password?</a></p>
      </form>
      ${options.demoHint ? html`<p class="muted">Local demo: <code>owner@acme.test</code> / <code>pagebell-demo</code></p>` : ''}
    </div>
    <p class="muted center"><a href="/demo">Open the demo site</a></p>`
}

/** Re-send applies to these; over SMTP an unknown one may have arrived, so the button says so. */
const resendConfirm = (d: OutboxEntry) =>
  d.status === 'unknown'
    ? 'The earlier attempt was interrupted and may have arrived: over SMTP a re-send can be a duplicate. Send again?'
    : 'Send this alert again, with the same alert key, to the recipients who did not get it?'

const resendForm = (d: OutboxEntry, back: string) =>
  (d.status === 'failed' || d.status === 'unknown') && d.job !== null
    ? html`<form method="post" action="/admin/outbox/${d.id}/resend">
        <input type="hidden" name="back" value="${back}" />
        <button data-confirm="${resendConfirm(d)}">Re-send</button>
      </form>`
    : ''

const statusCell = (d: OutboxEntry, resend: { back: string } | undefined) =>
  html`<span class="pill ${d.status === 'skipped' ? 'off' : d.status}">${d.status}</span>
    ${d.error ? html`<br /><span class="muted">${d.error}</span>` : ''}
    ${d.status === 'pending' && d.nextAttemptAt ? html`<br /><span class="muted">next attempt ${when(d.nextAttemptAt)}</span>` : ''}
    ${resend ? resendForm(d, resend.back) : ''}`

const recipientsCell = (d: OutboxEntry) =>
  d.recipientOutcomes.length
    ? html`<ul class="attempts">
        ${d.recipientOutcomes.map(
          (o) => html`<li>${o.address} — ${o.status}${o.error ? html` <span class="muted">(${o.error})</span>` : ''}</li>`,
        )}
      </ul>`
    : d.recipients.join(', ') || '—'

/** The part of the stored job (an AlertJob) that says who the alert is about; erasing a contact blanks it. */
const JobContact = v.object({ contact: v.object({ email: v.string(), name: v.string() }) })

/** Who the alert is about, linked to their profile: without it every row of an alert looks the same. */
function contactCell(d: OutboxEntry) {
  const job = v.safeParse(JobContact, d.job)
  const label = job.success ? job.output.contact.name || job.output.contact.email : ''
  return label ? html`<a href="/admin/contacts/${d.contactId}">${label}</a>` : html`<span class="muted">—</span>`
}

/** The outbox rows; with `resend`, a Re-send button on failed and unknown rows that come back to `resend.back`. */
export function outboxTable(rows: OutboxEntry[], withAlert: boolean, resend?: { back: string }) {
  if (rows.length === 0)
    return html`<div class="card">
      <p>Nothing in the outbox yet. When an alert fires, its e-mail and every delivery attempt show up here.</p>
    </div>`
  // Scrolls sideways on its own at phone width, so the page does not.
  return html`<div class="table-scroll">
    <table>
      <thead>
        <tr>
          <th>Fired</th>
          ${withAlert ? html`<th>Alert</th>` : ''}
          <th>Contact</th>
          <th>Status</th>
          <th>Recipients</th>
          <th>Attempts</th>
        </tr>
      </thead>
      <tbody>
        ${rows.map(
          (d) =>
            html`<tr>
              <td class="nowrap">${when(d.createdAt)}${d.sentAt ? html`<br /><span class="muted">sent ${when(d.sentAt)}</span>` : ''}</td>
              ${withAlert ? html`<td><a href="/admin/alerts/${d.alertId}">${d.alertName}</a></td>` : ''}
              <td>${contactCell(d)}</td>
              <td>${statusCell(d, resend)}</td>
              <td>${recipientsCell(d)}<br /><span class="muted">${d.subject}</span></td>
              <td>
                ${
                  d.attemptLog.length
                    ? html`<ol class="attempts">
                        ${d.attemptLog.map((t) => html`<li>${t.outcome}${t.detail ? ` — ${t.detail}` : ''} <span class="muted">${when(t.at)}</span></li>`)}
                      </ol>`
                    : html`<span class="muted">none yet</span>`
                }
              </td>
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`
}

const OUTBOX_NOTICES: Record<string, string> = {
  resent: 'Queued to be sent again, with the same alert key. Reload to follow it.',
}

export function outboxScreen(options: { rows: OutboxEntry[]; canResend: boolean; notice?: string }) {
  const notice = options.notice ? OUTBOX_NOTICES[options.notice] : undefined
  return html`${notice ? html`<p class="notice" role="status">${notice}</p>` : ''}
    <div class="bar">
      <h1>Outbox</h1>
      <span class="muted"
        >Every alert sent, failed or still being tried, newest first, with each recipient, each delivery attempt and its reason. Temporary
        failures are retried for 24 hours.</span
      >
    </div>
    ${outboxTable(options.rows, true, options.canResend ? { back: '/admin/outbox' } : undefined)}`
}
