// The screens of one's own account and of the links mailed to people: "Your account" (password
// and sessions), "Forgot your password?", the page an invitation or reset link opens to choose
// a password, and the page for a link that no longer works.
import { html } from 'hono/html'
import type { SessionRow } from '../../db/queries/auth'
import type { AuthUser } from '../../db/queries/auth'
import { LIMITS } from '../../workspace/workspace-input'
import { problemSummary, textField, type Errors } from './form-controls'
import { sessionsTable, ROLE_LABELS } from './team-screens'

const ACCOUNT_NOTICES: Record<string, string> = {
  'password-changed': 'Password changed. Your other sessions were ended.',
  'session-ended': 'Session ended.',
  'others-ended': 'Every other session ended: only this browser is still logged in.',
  welcome: 'Welcome! Your password is set and you are logged in.',
  'password-reset': 'Your new password is set. Every other session was ended.',
}

const accountNotice = (key: string | undefined) => {
  const text = key ? ACCOUNT_NOTICES[key] : undefined
  return text ? html`<p class="notice" role="status">${text}</p>` : ''
}

const passwordFields = (errors: Errors, current: boolean) =>
  html`${
    current
      ? textField({
          id: 'current-password',
          name: 'current',
          label: 'Current password',
          type: 'password',
          value: '',
          errors,
          required: true,
          autocomplete: 'current-password',
        })
      : ''
  }
  ${textField({
    id: 'new-password',
    name: 'password',
    label: current ? 'New password' : 'Password',
    type: 'password',
    value: '',
    errors,
    required: true,
    minlength: LIMITS.passwordMin,
    maxlength: LIMITS.passwordMax,
    autocomplete: 'new-password',
    help: `At least ${LIMITS.passwordMin} characters.`,
  })}
  ${textField({
    id: 'confirm-password',
    name: 'confirm',
    label: 'Type it again',
    type: 'password',
    value: '',
    errors,
    required: true,
    maxlength: LIMITS.passwordMax,
    autocomplete: 'new-password',
  })}`

export function accountScreen(options: {
  user: AuthUser
  sessions: SessionRow[]
  currentId?: string
  errors: Errors
  errorCount: number
  notice?: string
}) {
  const { user } = options
  const others = options.sessions.filter((s) => s.id !== options.currentId).length
  return html`${accountNotice(options.notice)}
    <h1>Your account</h1>
    <div class="card summary">
      <dl>
        <dt>E-mail</dt>
        <dd>${user.email}</dd>
        <dt>Name</dt>
        <dd>${user.name || '—'}</dd>
        <dt>Role</dt>
        <dd>${ROLE_LABELS[user.role]}</dd>
      </dl>
    </div>
    <form method="post" action="/admin/account/password" class="card settings" aria-labelledby="password-heading">
      <h2 id="password-heading">Change your password</h2>
      ${problemSummary(options.errorCount)} ${passwordFields(options.errors, true)}
      <p><button>Change password</button></p>
    </form>
    <section class="card" aria-labelledby="sessions-heading">
      <h2 id="sessions-heading">Where you are logged in</h2>
      <p class="hint">A browser you do not recognise? End its session, then change your password.</p>
      ${sessionsTable({
        sessions: options.sessions,
        currentId: options.currentId,
        action: (id) => `/admin/account/sessions/${id}/end`,
        empty: 'No session.',
      })}
      ${
        others > 0
          ? html`<form method="post" action="/admin/account/sessions/end-others" class="toggle">
              <button class="danger">Log out everywhere else</button>
            </form>`
          : ''
      }
    </section>`
}

export function forgotScreen(options: { email: string; sent: boolean; retryAfterSeconds?: number }) {
  const wait = options.retryAfterSeconds
  return html`<div class="login card">
      <h1>Forgot your password?</h1>
      ${
        options.sent
          ? html`<p class="notice" role="status">
              If ${options.email} has an account, a link to choose a new password is on its way. It works once, for one hour. Nothing
              arrived? Look in the spam folder, or ask an admin of your workspace.
            </p>`
          : html`<p>Type the e-mail you log in with: we send you a link to choose a new password.</p>`
      }
      ${
        wait
          ? html`<p class="problem" role="alert">
              Too many requests for this e-mail or from this network. Try again in
              ${wait < 90 ? `${wait} seconds` : `${Math.ceil(wait / 60)} minutes`}.
            </p>`
          : ''
      }
      <form method="post" action="/admin/forgot">
        <label for="forgot-email">E-mail</label
        ><input type="email" id="forgot-email" name="email" value="${options.email}" autocomplete="username" required autofocus />
        <p><button>Send me a link</button></p>
      </form>
    </div>
    <p class="muted center"><a href="/admin/login">Back to log in</a></p>`
}

export type LinkPage = { purpose: 'invite' | 'reset'; email: string; name: string; action: string }

/** The page an invitation or reset link opens: choose a password (and, for an invitation, one's name). */
export function setPasswordScreen(options: LinkPage & { errors: Errors; errorCount: number }) {
  const invite = options.purpose === 'invite'
  return html`<div class="login setup card">
    <h1>${invite ? 'Join your team on Pagebell' : 'Choose a new password'}</h1>
    <p>
      ${invite ? 'You log in as' : 'For'} <b>${options.email}</b>.
      ${invite ? 'Choose a password to finish joining.' : 'Setting it logs you out of every other browser.'}
    </p>
    ${problemSummary(options.errorCount)}
    <form method="post" action="${options.action}">
      <input type="hidden" name="email" value="${options.email}" autocomplete="username" />
      ${
        invite
          ? textField({
              id: 'invitee-name',
              name: 'name',
              label: 'Your name',
              value: options.name,
              errors: options.errors,
              maxlength: LIMITS.userName,
              autocomplete: 'name',
              help: 'How your colleagues see you.',
            })
          : ''
      }
      ${passwordFields(options.errors, false)}
      <p><button>${invite ? 'Join' : 'Set my password'}</button></p>
    </form>
  </div>`
}

export function linkGoneScreen(purpose: 'invite' | 'reset') {
  return html`<div class="login card">
      <h1>${purpose === 'invite' ? 'This invitation no longer works' : 'This link no longer works'}</h1>
      <p>
        ${
          purpose === 'invite'
            ? 'It was already used, it expired (after 72 hours), or a newer invitation replaced it. Ask an admin of your workspace to send you a new one.'
            : 'It was already used, it expired (after one hour), or a newer link replaced it.'
        }
      </p>
      ${purpose === 'reset' ? html`<p><a class="btn" href="/admin/forgot">Get a new link</a></p>` : ''}
    </div>
    <p class="muted center"><a href="/admin/login">Log in</a></p>`
}
