// The sites screens: the list with each site's install state, the form (new and edit), and a
// site's page — the snippet to paste with a copy button, the install check that updates by
// itself, the site's settings, and how to sign identify calls from the site's backend.
import { html } from 'hono/html'
import type { SiteRow } from '../../db/queries/sites'
import type { WorkspaceUser } from '../../db/queries/workspaces'
import type { InstallCheck } from '../../sites/install-check'
import { LIMITS } from '../../sites/site-input'
import { IDENTIFY_EXAMPLES, IDENTIFY_PAGE_CALL, SECRET_VARIABLE } from '../../sites/snippet'
import type { SiteDraft } from '../settings-forms'
import { checkboxField, copyButton, problemSummary, selectField, textArea, textField, type Errors } from './form-controls'
import { notice } from './layout'
import { assignableUserOptions, userLabel } from './owner-choices'

const ownerText = (users: WorkspaceUser[], id: string | null) => {
  const owner = id ? users.find((u) => u.id === id) : undefined
  return owner ? userLabel(owner) : 'nobody'
}

/** The install check in one sentence, for the page and for its live updates. */
export function installMessage(check: InstallCheck): string {
  const from = check.state === 'waiting' || !check.origin ? '' : ` from ${check.origin}`
  switch (check.state) {
    case 'waiting':
      return 'Waiting for the first event. Open a page of your site that carries the snippet: this check updates by itself.'
    case 'live':
      return `Receiving events: last event ${check.ago}${from}.`
    case 'stale':
      return `No event for a while: last event ${check.ago}${from}. Is the snippet still on your pages?`
  }
}

const installPill = (check: InstallCheck) =>
  check.state === 'live'
    ? html`<span class="pill on">Receiving events</span>`
    : check.state === 'stale'
      ? html`<span class="pill pending">Quiet since ${check.ago}</span>`
      : html`<span class="pill off">No event yet</span>`

export function sitesScreen(options: {
  sites: Array<{ site: SiteRow; check: InstallCheck }>
  users: WorkspaceUser[]
  canEdit: boolean
  nextPage: string | null
  notice?: string
}) {
  const { sites, canEdit } = options
  return html`${notice(options.notice)}
    <div class="bar">
      <h1>Sites</h1>
      ${canEdit && sites.length ? html`<a class="btn" href="/admin/sites/new">+ Add a site</a>` : ''}
    </div>
    ${
      sites.length === 0
        ? html`<div class="card empty">
            <p>
              <b>No site yet.</b> A site is a website whose pages carry the Pagebell snippet: add one, paste its snippet into your pages,
              and visits start arriving.
            </p>
            ${canEdit ? html`<a class="btn" href="/admin/sites/new">Add your first site</a>` : html`<p>Ask an admin of your workspace to add one.</p>`}
          </div>`
        : html`<div class="table-scroll">
              <table class="stack">
                <thead>
                  <tr>
                    <th>Site</th>
                    <th>Allowed domains</th>
                    <th>Install</th>
                    <th>New contacts go to</th>
                  </tr>
                </thead>
                <tbody>
                  ${sites.map(
                    ({ site: s, check }) =>
                      html`<tr>
                        <td><a href="/admin/sites/${s.id}">${s.name}</a></td>
                        <td data-label="Allowed domains">
                          ${s.allowedDomains.map((d, i) => html`${i ? ', ' : ''}<span class="nowrap">${d}</span>`)}
                        </td>
                        <td data-label="Install">${installPill(check)}</td>
                        <td data-label="New contacts go to">${ownerText(options.users, s.defaultOwnerId)}</td>
                      </tr>`,
                  )}
                </tbody>
              </table>
            </div>
            ${options.nextPage ? html`<p><a href="${options.nextPage}">More sites →</a></p>` : ''}`
    }`
}

export function siteFormScreen(options: {
  heading: string
  action: string
  cancel: string
  draft: SiteDraft
  users: WorkspaceUser[]
  errors: Errors
  errorCount: number
  workspaceHonors: boolean
  hasIdentitySecret: boolean
}) {
  const { draft: d, errors } = options
  return html`<h1>${options.heading}</h1>
    <form method="post" action="${options.action}" class="card settings">
      ${problemSummary(options.errorCount)}
      ${textField({
        id: 'site-name',
        name: 'name',
        label: 'Site name',
        value: d.name,
        errors,
        required: true,
        maxlength: LIMITS.name,
        placeholder: 'Acme shop',
      })}
      ${textArea({
        id: 'site-domains',
        name: 'allowedDomains',
        label: 'Allowed domains',
        value: d.domains,
        errors,
        required: true,
        rows: 3,
        placeholder: 'shop.com',
        help: html`One per line. Only pages on these domains may send events; their subdomains are included (<code>shop.com</code> also
          allows <code>www.shop.com</code>). A pasted URL is fine: its path and port are ignored. International names are stored as browsers
          send them (<code>bücher.de</code> → <code>xn--bcher-kva.de</code>).`,
      })}
      ${selectField({
        id: 'site-owner',
        name: 'defaultOwnerId',
        label: 'Default owner of new contacts',
        value: d.defaultOwnerId,
        options: [{ value: '', label: 'Nobody' }, ...assignableUserOptions(options.users, d.defaultOwnerId)],
        errors,
        help: 'Alerts sent to "the contact\'s owner" go to this person for the contacts this site identifies.',
      })}
      ${checkboxField({
        id: 'site-verified',
        name: 'requireVerifiedIdentity',
        label: 'Alerts only for verified contacts',
        checked: d.requireVerifiedIdentity,
        errors,
        help: options.hasIdentitySecret
          ? 'Only visitors identified by your backend with a signed identify call become contacts; e-mails typed into forms and unsigned calls are ignored.'
          : html`Only visitors identified by your backend with a signed identify call become contacts. Your workspace has no identity secret
              yet: <a href="/admin/workspace#identity-secret">create one in Settings</a>, or no contact can be verified.`,
      })}
      ${
        options.workspaceHonors
          ? html`${d.honorPrivacySignals ? html`<input type="hidden" name="honorPrivacySignals" value="on" />` : ''}
            ${checkboxField({
              id: 'site-privacy',
              name: 'honorPrivacySignalsShown',
              label: 'Honour privacy signals (Global Privacy Control, Do-Not-Track)',
              checked: true,
              disabled: true,
              errors,
              help: html`On for every site of the workspace (<a href="/admin/workspace">Settings</a>).`,
            })}`
          : checkboxField({
              id: 'site-privacy',
              name: 'honorPrivacySignals',
              label: 'Honour privacy signals (Global Privacy Control, Do-Not-Track)',
              checked: d.honorPrivacySignals,
              errors,
              help: 'Visits from browsers that ask not to be tracked are not recorded.',
            })
      }
      <div class="actions">
        <button>Save site</button>
        <a href="${options.cancel}">Cancel</a>
      </div>
    </form>`
}

export function siteScreen(options: {
  site: SiteRow
  snippet: string
  check: InstallCheck
  drops: Record<string, number>
  users: WorkspaceUser[]
  canEdit: boolean
  workspaceHonors: boolean
  hasIdentitySecret: boolean
  notice?: string
}) {
  const { site: s, check } = options
  const refused = Object.entries(options.drops).filter(([, n]) => n > 0)
  return html`${notice(options.notice)}
    <div class="bar">
      <h1>${s.name}</h1>
      <div class="actions">
        ${
          options.canEdit
            ? html`<a class="btn secondary" href="/admin/sites/${s.id}/edit">Edit</a>
                <form method="post" action="/admin/sites/${s.id}/delete" class="toggle">
                  <button
                    class="danger"
                    data-confirm="Delete this site? Its snippet stops working at once. Its contacts stay in the workspace."
                  >
                    Delete
                  </button>
                </form>`
            : ''
        }<a href="/admin/sites">All sites</a>
      </div>
    </div>
    <section class="card" aria-labelledby="install-title">
      <h2 id="install-title">Install</h2>
      <p>Paste this tag into every page of the site, just before <code>&lt;/head&gt;</code>:</p>
      <pre class="code" id="snippet">${options.snippet}</pre>
      ${copyButton('snippet', 'Copy the snippet')}
      <div
        class="install ${check.state}"
        data-install="${check.state}"
        data-install-url="/admin/sites/${s.id}/install"
        role="status"
        aria-live="polite"
      >
        <span class="dot" aria-hidden="true"></span><span data-install-text>${installMessage(check)}</span>
      </div>
      ${
        refused.length
          ? html`<p class="muted">
              Refused today: ${refused.map(([reason, n], i) => html`${i ? '; ' : ''}${n} ${DROP_REASONS[reason] ?? reason}`)}.
            </p>`
          : ''
      }
    </section>
    <section class="card summary wide" aria-labelledby="settings-title">
      <h2 id="settings-title">Settings</h2>
      <dl>
        <dt>Allowed domains</dt>
        <dd>
          ${s.allowedDomains.map((d, i) => html`${i ? html`<br />` : ''}<code>${d}</code>`)} <span class="muted">and their subdomains</span>
        </dd>
        <dt>Site key</dt>
        <dd><code>${s.key}</code></dd>
        <dt>New contacts go to</dt>
        <dd>${ownerText(options.users, s.defaultOwnerId)}</dd>
        <dt>Alerts only for verified contacts</dt>
        <dd>${s.requireVerifiedIdentity ? 'yes' : 'no'}</dd>
        <dt>Honour privacy signals</dt>
        <dd>${s.honorPrivacySignals ? 'yes' : options.workspaceHonors ? 'yes (for the whole workspace)' : 'no'}</dd>
      </dl>
    </section>
    <section class="card" aria-labelledby="identify-title">
      <h2 id="identify-title">Identify signed-in visitors from your backend</h2>
      <p>
        When a visitor is logged in to your site, tell Pagebell who they are. Your backend signs their e-mail with the workspace's identity
        secret
        (${options.hasIdentitySecret ? html`set in <a href="/admin/workspace#identity-secret">Settings</a>` : html`<a href="/admin/workspace#identity-secret">create it in Settings</a>`};
        keep it in the environment variable <code>${SECRET_VARIABLE}</code>), and the page passes the signature along:
      </p>
      <pre class="code" id="identify-page">${IDENTIFY_PAGE_CALL}</pre>
      ${copyButton('identify-page', 'Copy the page code')}
      <p>The signature is the hex HMAC-SHA256 of the e-mail, trimmed and in lower case. In your backend:</p>
      ${IDENTIFY_EXAMPLES.map(
        (example, i) =>
          html`<details class="example" ${i === 0 ? html` open` : ''}>
            <summary>${example.label}</summary>
            <pre class="code" id="identify-${example.language}">${example.code}</pre>
            ${copyButton(`identify-${example.language}`, `Copy the ${example.label} code`)}
          </details>`,
      )}
    </section>`
}

const DROP_REASONS: Record<string, string> = {
  bot: 'from bots or headless browsers',
  origin: 'from pages outside the allowed domains',
  'privacy-signal': 'from browsers asking not to be tracked',
}
