// Renders the account e-mails: an invitation to a workspace and a password reset. The names in
// them (workspace, inviter) are typed by people, so they are escaped by the HTML engine and kept
// out of the headers: the subjects are fixed sentences.
import type { LinkPurpose } from '../../db/queries/account-links'
import type { Role } from '../../db/schema'
import { renderTemplate } from './liquid'
import { sanitizeHtml } from './sanitize-html'
import { formatTime } from './template-data'

export type AccountMailData = {
  purpose: LinkPurpose
  workspace: string
  /** Who invited, as "Ada (ada@acme.test)"; '' for a reset. */
  inviter: string
  role: string
  email: string
  url: string
  expires: string
}

const ROLE_NAMES: Record<Role, string> = { admin: 'an admin', marketer: 'a marketer', sales: 'a sales rep' }

const SUBJECTS: Record<LinkPurpose, string> = {
  invite: '[Pagebell] You are invited to a workspace',
  reset: '[Pagebell] Reset your password',
}

const TEXT: Record<LinkPurpose, string> = {
  invite: `{{ inviter }} invited you to the workspace "{{ workspace }}" on Pagebell, as {{ role }}.

Choose your password to join:
{{ url }}

The link works once, until {{ expires }}. Your login is {{ email }}.
If you did not expect this invitation, ignore this e-mail.
`,
  reset: `Someone (we hope you) asked to reset the password of {{ email }} in the Pagebell workspace "{{ workspace }}".

Choose a new password:
{{ url }}

The link works once, until {{ expires }}. Setting a new password signs out your other sessions.
If you did not ask for this, ignore this e-mail: your password stays as it is.
`,
}

const HTML: Record<LinkPurpose, string> = {
  invite: `<!doctype html>
<html><body style="font-family:system-ui,sans-serif;color:#1d2330;max-width:560px">
<p>{{ inviter }} invited you to the workspace <b>{{ workspace }}</b> on Pagebell, as {{ role }}.</p>
<p><a href="{{ url }}" style="display:inline-block;background:#2450c8;color:#fff;padding:9px 16px;border-radius:6px;text-decoration:none">Choose your password</a></p>
<p style="color:#4a5368;font-size:14px">The link works once, until {{ expires }}. Your login is {{ email }}.<br>If you did not expect this invitation, ignore this e-mail.</p>
<p style="color:#4a5368;font-size:13px">{{ url }}</p>
</body></html>`,
  reset: `<!doctype html>
<html><body style="font-family:system-ui,sans-serif;color:#1d2330;max-width:560px">
<p>Someone (we hope you) asked to reset the password of {{ email }} in the Pagebell workspace <b>{{ workspace }}</b>.</p>
<p><a href="{{ url }}" style="display:inline-block;background:#2450c8;color:#fff;padding:9px 16px;border-radius:6px;text-decoration:none">Choose a new password</a></p>
<p style="color:#4a5368;font-size:14px">The link works once, until {{ expires }}. Setting a new password signs out your other sessions.<br>If you did not ask for this, ignore this e-mail: your password stays as it is.</p>
<p style="color:#4a5368;font-size:13px">{{ url }}</p>
</body></html>`,
}

export type AccountMailInput = {
  purpose: LinkPurpose
  workspace: string
  inviter: { name: string; email: string } | null
  role: Role
  email: string
  url: string
  expiresAt: number
}

export async function renderAccountMail(input: AccountMailInput) {
  const inviter = input.inviter ? (input.inviter.name ? `${input.inviter.name} (${input.inviter.email})` : input.inviter.email) : ''
  const data: AccountMailData = {
    purpose: input.purpose,
    workspace: input.workspace,
    inviter: inviter || 'An admin',
    role: ROLE_NAMES[input.role],
    email: input.email,
    url: input.url,
    expires: formatTime(input.expiresAt),
  }
  return {
    subject: SUBJECTS[input.purpose],
    text: await renderTemplate('text', TEXT[input.purpose], data),
    html: await sanitizeHtml(await renderTemplate('html', HTML[input.purpose], data)),
    data,
  }
}
