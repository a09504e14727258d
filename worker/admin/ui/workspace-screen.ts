// Settings (admins): the workspace's name, time zone, week start, sender name and privacy
// setting, and its identity secret — shown once when created or rotated.
import { html } from 'hono/html'
import type { WorkspaceRow } from '../../db/queries/workspaces'
import { LIMITS, WEEKDAYS } from '../../workspace/workspace-input'
import type { WorkspaceDraft } from '../settings-forms'
import { checkboxField, copyButton, problemSummary, selectField, textField, timeZoneOptions, type Errors } from './form-controls'
import { notice, when } from './layout'

export function workspaceScreen(options: {
  workspace: WorkspaceRow
  draft: WorkspaceDraft
  errors: Errors
  errorCount: number
  newSecret?: string
  notice?: string
}) {
  const { workspace: w, draft: d, errors } = options
  return html`${notice(options.notice)}
    <h1>Settings</h1>
    <form method="post" action="/admin/workspace" class="card settings">
      <h2>Workspace</h2>
      ${problemSummary(options.errorCount)}
      ${textField({ id: 'ws-name', name: 'name', label: 'Workspace name', value: d.name, errors, required: true, maxlength: LIMITS.workspaceName })}
      ${selectField({
        id: 'ws-time-zone',
        name: 'timeZone',
        label: 'Time zone',
        value: d.timeZone,
        options: timeZoneOptions(d.timeZone),
        errors,
        help: 'Alert limits ("once a day", "at most 3 per week") and analytics count calendar days, weeks and months in this zone.',
      })}
      ${selectField({
        id: 'ws-week-start',
        name: 'weekStartsOn',
        label: 'Weeks start on',
        value: d.weekStartsOn,
        options: WEEKDAYS.map((day, i) => ({ value: String(i + 1), label: day })),
        errors,
        help: 'When a "once a week" limit starts counting again.',
      })}
      ${textField({
        id: 'ws-sender',
        name: 'senderName',
        label: 'Sender name',
        value: d.senderName,
        errors,
        maxlength: LIMITS.senderName,
        placeholder: 'Acme Sales',
        help: 'The name alert e-mails show as their sender. Letters, digits, spaces and simple punctuation; empty = the default.',
      })}
      ${checkboxField({
        id: 'ws-privacy',
        name: 'honorPrivacySignals',
        label: 'Honour privacy signals on every site',
        checked: d.honorPrivacySignals,
        errors,
        help: 'Visits from browsers that send Global Privacy Control or Do-Not-Track are not recorded, on all sites of the workspace. Off: each site decides for itself.',
      })}
      <p><button>Save settings</button></p>
    </form>
    <section class="card settings" id="identity-secret" aria-labelledby="identity-secret-title">
      <h2 id="identity-secret-title">Identity secret</h2>
      <p>
        Your backend signs each <code>identify</code> call with this secret, so nobody can claim to be one of your contacts from their
        browser. Sites set to "Alerts only for verified contacts" accept only signed calls. Each site's page shows the few lines of code it
        takes.
      </p>
      ${
        options.newSecret
          ? html`<div class="new-secret">
              <p>
                <b>Your new secret.</b> Copy it now into your backend's settings (as <code>PAGEBELL_IDENTITY_SECRET</code>): it is not shown
                again.
              </p>
              <p class="secret" id="identity-secret-value" data-testid="identity-secret">${options.newSecret}</p>
              ${copyButton('identity-secret-value', 'Copy the secret')}
            </div>`
          : html`<p>
              ${w.identitySecret ? `A secret is set (created ${when(w.identitySecretCreatedAt)}).` : 'No secret yet: identify calls cannot be verified.'}
            </p>`
      }
      <form method="post" action="/admin/workspace/identity-secret">
        ${
          w.identitySecret
            ? html`<button
                class="danger"
                data-confirm="Rotate the identity secret? The current one stops working at once: signed identify calls fail until your backend uses the new one."
              >
                Rotate the secret
              </button>`
            : html`<button>Create a secret</button>`
        }
      </form>
    </section>`
}
