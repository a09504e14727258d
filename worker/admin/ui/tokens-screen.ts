// The API tokens screen: the user's tokens with their scope, and the form that creates one (its
// secret shown once).
import { html } from 'hono/html'
import type { TokenScope } from '../../auth/token-scopes'
import { fieldError, notice, when } from './layout'

const SCOPE_TEXT: Record<TokenScope, string> = {
  read: 'Read: only looks (GET)',
  write: 'Write: also changes alerts, contacts and the outbox',
  admin: 'Admin: also manages users, sites and the workspace',
}

const scopeCell = (scope: TokenScope | null) => (scope ? SCOPE_TEXT[scope].split(':')[0] : 'Your role (made before scopes)')

export function tokensScreen(options: {
  tokens: Array<{ id: string; name: string; scope: TokenScope | null; createdAt: number; lastUsedAt: number | null }>
  scopes: TokenScope[]
  created?: { name: string; secret: string; scope: TokenScope }
  error?: string
  scopeError?: string
  notice?: string
}) {
  return html`${notice(options.notice)}
    <h1>API tokens</h1>
    <p>
      Tokens let scripts use the REST API (<code>/api/v1/…</code>) as you. A token's scope limits it further: a <b>read</b> token only
      reads, a <b>write</b> token also changes alerts, contacts and the outbox, an <b>admin</b> token also manages users, sites and the
      workspace. It never does more than your role allows. Send one as <code>Authorization: Bearer &lt;token&gt;</code>. The API is
      described at <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>.
    </p>
    ${
      options.created
        ? html`<div class="card" role="status">
            <h2>Token "${options.created.name}" created (${options.created.scope})</h2>
            <p>Copy it now: it is shown only once.</p>
            <p class="secret" data-testid="new-token">${options.created.secret}</p>
          </div>`
        : ''
    }
    <form method="post" action="/admin/tokens" class="card settings">
      <div class="field">
        <label for="token-name">New token name</label
        ><input
          type="text"
          id="token-name"
          name="name"
          maxlength="80"
          placeholder="e.g. CRM sync"
          required
          ${options.error ? html` class="field-invalid" aria-invalid="true" aria-describedby="token-name-error"` : ''}
        />
        ${options.error ? html`<p class="error" id="token-name-error" role="alert">${options.error}</p>` : ''}
      </div>
      <fieldset>
        <legend>Scope</legend>
        ${options.scopes.map(
          (scope, i) =>
            html`<label class="inline" for="token-scope-${scope}"
              ><input type="radio" id="token-scope-${scope}" name="scope" value="${scope}" ${i === 0 ? html` checked` : ''} />
              ${SCOPE_TEXT[scope]}</label
            >`,
        )}
        ${fieldError(options.scopeError)}
      </fieldset>
      <p><button>Create token</button></p>
    </form>
    ${
      options.tokens.length
        ? html`<div class="table-scroll">
            <table class="stack">
              <caption class="visually-hidden">
                Your API tokens
              </caption>
              <thead>
                <tr>
                  <th>Name</th>
                  <th>Scope</th>
                  <th>Created</th>
                  <th>Last used</th>
                  <th><span class="visually-hidden">Delete</span></th>
                </tr>
              </thead>
              <tbody>
                ${options.tokens.map(
                  (t) =>
                    html`<tr>
                      <td>${t.name}</td>
                      <td data-label="Scope">${scopeCell(t.scope)}</td>
                      <td data-label="Created">${when(t.createdAt)}</td>
                      <td data-label="Last used">${when(t.lastUsedAt, 'never')}</td>
                      <td>
                        <form method="post" action="/admin/tokens/${t.id}/delete" class="toggle">
                          <button class="danger" aria-label="Delete the token ${t.name}">Delete</button>
                        </form>
                      </td>
                    </tr>`,
                )}
              </tbody>
            </table>
          </div>`
        : html`<div class="card empty">
            <p>You have no tokens yet. Create one above for each script or integration, with the smallest scope it needs.</p>
          </div>`
    }`
}
