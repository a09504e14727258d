// The first-run form: on an instance with no user, the workspace and its first admin.
import { html } from 'hono/html'
import { LIMITS } from '../../workspace/workspace-input'
import type { SetupDraft } from '../settings-forms'
import { problemSummary, selectField, textField, timeZoneOptions, type Errors } from './form-controls'

export function setupScreen(options: { draft: SetupDraft; errors: Errors; errorCount: number; needsToken: boolean; firstVisit: boolean }) {
  const { draft: d, errors } = options
  return html`<div class="login setup card">
    <h1>Set up Pagebell</h1>
    <p>This Pagebell has no account yet. Create your workspace and its first admin: you. You can add sites and invite your team next.</p>
    ${problemSummary(options.errorCount)}
    <form method="post" action="/admin/setup">
      ${
        options.needsToken
          ? textField({
              id: 'setup-token',
              name: 'token',
              label: 'Setup token',
              value: '',
              type: 'password',
              errors,
              required: true,
              autocomplete: 'off',
              help: 'The SETUP_TOKEN secret of this deployment: it keeps strangers from claiming a fresh instance.',
            })
          : ''
      }
      <fieldset>
        <legend>Your workspace</legend>
        ${textField({
          id: 'workspace',
          name: 'workspace',
          label: 'Workspace name',
          value: d.workspace,
          errors,
          required: true,
          maxlength: LIMITS.workspaceName,
          autocomplete: 'organization',
          placeholder: 'Acme',
          help: 'Your company or team, as your colleagues will see it.',
        })}
        ${selectField({
          id: 'time-zone',
          name: 'timeZone',
          label: 'Time zone',
          value: d.timeZone,
          options: timeZoneOptions(d.timeZone),
          errors,
          extra: options.firstVisit ? html` data-tz-guess` : '',
          help: '"Once a day" limits and daily analytics count days in this zone.',
        })}
      </fieldset>
      <fieldset>
        <legend>You, its first admin</legend>
        ${textField({
          id: 'name',
          name: 'name',
          label: 'Your name',
          value: d.name,
          errors,
          maxlength: LIMITS.userName,
          autocomplete: 'name',
        })}
        ${textField({
          id: 'email',
          name: 'email',
          label: 'E-mail',
          type: 'email',
          value: d.email,
          errors,
          required: true,
          autocomplete: 'username',
          help: 'You log in with it, and alerts for your contacts come to it.',
        })}
        ${textField({
          id: 'password',
          name: 'password',
          label: 'Password',
          type: 'password',
          value: '',
          errors,
          required: true,
          minlength: LIMITS.passwordMin,
          maxlength: LIMITS.passwordMax,
          autocomplete: 'new-password',
          help: `At least ${LIMITS.passwordMin} characters.`,
        })}
      </fieldset>
      <p><button>Create the workspace</button></p>
    </form>
  </div>`
}
