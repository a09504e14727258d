// The team screens (admins): the list of users with the invitation form, and a user's page —
// role, invitation, deactivation and their web sessions. Every control is labelled and works
// from the keyboard; the list stacks into cards at phone width.
import { html } from 'hono/html'
import type { SessionRow } from '../../db/queries/auth'
import type { Role } from '../../db/schema'
import type { UserJson } from '../../users/user-json'
import { deviceLabel } from './device-label'
import { LIMITS } from '../../workspace/workspace-input'
import { problemSummary, selectField, textField, type Errors } from './form-controls'
import { when } from './layout'

export const ROLE_LABELS: Record<Role, string> = { admin: 'Admin', marketer: 'Marketer', sales: 'Sales rep' }

const ROLE_HELP = html`<b>Admin</b>: everything, including the team, sites and settings. <b>Marketer</b>: alerts, contacts and the outbox.
  <b>Sales rep</b>: only the contacts they own and the alerts about them.`

const roleOptions = () => (Object.keys(ROLE_LABELS) as Role[]).map((role) => ({ value: role, label: ROLE_LABELS[role] }))

const TEAM_NOTICES: Record<string, string> = {
  invited: 'Invitation sent. The link in it works once, for 72 hours.',
  'invite-resent': 'A new invitation is on its way; the previous link no longer works.',
  'role-saved': 'Role changed. It applies to their next click.',
  deactivated: 'Deactivated: they are logged out and their API tokens are deleted.',
  reactivated: 'Reactivated.',
  'session-ended': 'Session ended.',
  'sessions-ended': 'Every session of this user ended.',
}

const teamNotice = (key: string | undefined) => {
  const text = key ? TEAM_NOTICES[key] : undefined
  return text ? html`<p class="notice" role="status">${text}</p>` : ''
}

/** A refusal shown above a screen (a guarded change that did not happen). */
const problem = (text: string | undefined) => (text ? html`<p class="problem" role="alert">${text}</p>` : '')

const MAIL_STATES: Record<string, string> = {
  pending: 'e-mail queued',
  sending: 'e-mail being sent',
  sent: 'e-mail sent',
  failed: 'e-mail failed',
  unknown: 'e-mail may not have arrived',
  skipped: 'e-mail not sent',
}

/** Where an invitation stands: its e-mail and its link. */
function invitationText(u: UserJson): string {
  const invite = u.invitation
  if (!invite) return 'no valid link: send a new one'
  if (invite.expired) return 'the link expired: send a new one'
  return `${MAIL_STATES[invite.mail] ?? invite.mail}; link valid until ${when(invite.expiresAt)}`
}

function statusText(u: UserJson): string {
  if (u.status !== 'invited') return u.status === 'active' ? 'Active' : 'Deactivated'
  return `Invited: ${invitationText(u)}`
}

const statusPill = (u: UserJson) =>
  u.status === 'active'
    ? html`<span class="pill on">Active</span>`
    : u.status === 'invited'
      ? html`<span class="pill pending">Invited</span>`
      : html`<span class="pill off">Deactivated</span>`

export type InviteDraft = { email: string; name: string; role: string }

export const emptyInvite = (): InviteDraft => ({ email: '', name: '', role: 'sales' })

export function teamScreen(options: {
  users: UserJson[]
  me: string
  draft: InviteDraft
  errors: Errors
  errorCount: number
  notice?: string
}) {
  const { draft: d, errors } = options
  const alone = options.users.filter((u) => u.status !== 'deactivated').length <= 1
  return html`${teamNotice(options.notice)}
    <h1>Team</h1>
    <form method="post" action="/admin/team/invite" class="card settings" aria-labelledby="invite-heading">
      <h2 id="invite-heading">Invite someone</h2>
      <p class="hint">They get an e-mail with a link to choose their password. The link works once, for 72 hours.</p>
      ${problemSummary(options.errorCount)}
      <div class="grid2">
        ${textField({
          id: 'invite-email',
          name: 'email',
          label: 'E-mail',
          type: 'email',
          value: d.email,
          errors,
          required: true,
          maxlength: LIMITS.email,
          autocomplete: 'off',
          placeholder: 'colleague@company.com',
        })}
        ${textField({ id: 'invite-name', name: 'name', label: 'Name (optional)', value: d.name, errors, maxlength: LIMITS.userName, autocomplete: 'off' })}
      </div>
      ${selectField({ id: 'invite-role', name: 'role', label: 'Role', value: d.role, options: roleOptions(), errors, help: ROLE_HELP })}
      <p><button>Send invitation</button></p>
    </form>
    ${
      alone
        ? html`<div class="card empty">
            <p>
              <b>You are the only one here.</b> Invite your marketers and sales reps above: alerts can then go to the owner of each contact.
            </p>
          </div>`
        : ''
    }
    <div class="table-scroll">
      <table class="stack">
        <caption class="visually-hidden">
          Users of the workspace
        </caption>
        <thead>
          <tr>
            <th>Name</th>
            <th>Role</th>
            <th>Status</th>
            <th><span class="visually-hidden">Actions</span></th>
          </tr>
        </thead>
        <tbody>
          ${options.users.map(
            (u) =>
              html`<tr>
                <td>
                  <b>${u.name || u.email}</b
                  >${u.id === options.me ? ' (you)' : ''}${u.name ? html`<br /><span class="muted">${u.email}</span>` : ''}
                </td>
                <td data-label="Role">${ROLE_LABELS[u.role]}</td>
                <td data-label="Status">
                  ${statusPill(u)} ${u.status === 'invited' ? html`<br /><span class="muted">${invitationText(u)}</span>` : ''}
                </td>
                <td><a href="/admin/team/${u.id}" aria-label="Manage ${u.name || u.email}">Manage</a></td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>`
}

/** A user's sessions as a table with a button to end each one; `action(id)` is where its form posts. */
export function sessionsTable(options: { sessions: SessionRow[]; currentId?: string; action: (id: string) => string; empty: string }) {
  if (options.sessions.length === 0) return html`<p class="muted">${options.empty}</p>`
  return html`<div class="table-scroll">
    <table class="stack">
      <caption class="visually-hidden">
        Sessions
      </caption>
      <thead>
        <tr>
          <th>Browser</th>
          <th>Logged in</th>
          <th>Last seen</th>
          <th><span class="visually-hidden">End</span></th>
        </tr>
      </thead>
      <tbody>
        ${options.sessions.map(
          (s) =>
            html`<tr>
              <td>
                <span title="${s.userAgent}">${deviceLabel(s.userAgent)}</span>${
                  s.id === options.currentId ? html` <span class="pill on">This browser</span>` : ''
                }
              </td>
              <td data-label="Logged in">${when(s.createdAt)}</td>
              <td data-label="Last seen">${when(s.lastSeenAt ?? s.createdAt)}</td>
              <td>
                <form method="post" action="${options.action(s.id)}" class="toggle">
                  <button class="danger nowrap" aria-label="End the session of ${deviceLabel(s.userAgent)} logged in ${when(s.createdAt)}">
                    End session
                  </button>
                </form>
              </td>
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`
}

export function memberScreen(options: {
  member: UserJson
  me: string
  sessions: SessionRow[]
  ownedContacts: number
  roleErrors: Errors
  problem?: string
  notice?: string
}) {
  const { member: m } = options
  const self = m.id === options.me
  const base = `/admin/team/${m.id}`
  return html`${teamNotice(options.notice)}${problem(options.problem)}
    <p><a href="/admin/team">← Team</a></p>
    <div class="bar">
      <h1>${m.name || m.email}${self ? ' (you)' : ''}</h1>
      ${statusPill(m)}
    </div>
    <div class="card summary">
      <dl>
        <dt>E-mail</dt>
        <dd>${m.email}</dd>
        <dt>Status</dt>
        <dd>${statusText(m)}</dd>
        <dt>Member since</dt>
        <dd>${when(m.createdAt)}</dd>
        ${
          m.deactivatedAt
            ? html`<dt>Deactivated</dt>
                <dd>${when(m.deactivatedAt)}</dd>`
            : ''
        }
        <dt>Contacts owned</dt>
        <dd>
          ${options.ownedContacts}
          ${
            options.ownedContacts > 0 && m.status === 'deactivated'
              ? html` — <a href="/admin/contacts?owner=${m.id}">reassign them</a> so their alerts reach someone`
              : ''
          }
        </dd>
      </dl>
      ${
        m.status === 'invited'
          ? html`<form method="post" action="${base}/invitation" class="toggle">
              <button class="secondary">Send the invitation again</button>
            </form>`
          : ''
      }
    </div>
    <form method="post" action="${base}/role" class="card settings" aria-labelledby="role-heading">
      <h2 id="role-heading">Role</h2>
      ${selectField({ id: 'member-role', name: 'role', label: `${self ? 'Your' : 'Their'} role in the workspace`, value: m.role, options: roleOptions(), errors: options.roleErrors, help: ROLE_HELP })}
      <p><button>Save role</button></p>
    </form>
    <section class="card" aria-labelledby="sessions-heading">
      <h2 id="sessions-heading">Sessions</h2>
      <p class="hint">Browsers logged in as ${m.email}. Ending a session logs that browser out on its next click.</p>
      ${sessionsTable({
        sessions: options.sessions,
        action: (id) => `${base}/sessions/${id}/end`,
        empty: m.status === 'active' ? 'Not logged in anywhere.' : 'None.',
      })}
      ${
        options.sessions.length > 1
          ? html`<form method="post" action="${base}/sessions/end" class="toggle">
              <button class="danger">End every session</button>
            </form>`
          : ''
      }
    </section>
    <section class="card" aria-labelledby="access-heading">
      <h2 id="access-heading">Access</h2>
      ${
        m.status === 'deactivated'
          ? html`<p>
                Deactivated users cannot log in. Reactivating restores their access with their role; one who never set a password needs a
                new invitation.
              </p>
              <form method="post" action="${base}/reactivate" class="toggle"><button class="secondary">Reactivate</button></form>`
          : html`<p>
                Deactivating logs ${self ? 'you' : 'them'} out everywhere at once, deletes ${self ? 'your' : 'their'} API tokens and stops
                ${self ? 'your' : 'their'} invitation link. Contacts they own keep them as owner until reassigned.
              </p>
              <form method="post" action="${base}/deactivate" class="toggle">
                <button class="danger" data-confirm="Deactivate ${m.email}? ${self ? 'You' : 'They'} will be logged out at once.">
                  Deactivate
                </button>
              </form>`
      }
    </section>`
}
