// The admin page shell: header with navigation, one stylesheet and one script served by the
// worker (so the Content-Security-Policy can refuse every inline script). Everything
// interpolated through `html` is escaped; only other `html` fragments pass through as markup.
import { html } from 'hono/html'
import type { HtmlEscapedString } from 'hono/utils/html'
import type { AuthUser } from '../../db/queries/auth'
import type { Role } from '../../db/schema'
import { DEMO } from '../../demo/demo-data'

export type Html = HtmlEscapedString | Promise<HtmlEscapedString>

export const CSP =
  "default-src 'none'; style-src 'self'; script-src 'self'; connect-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

/** One entry per screen, in menu order; `roles` hides an entry from everyone else (its routes refuse them too). */
const NAV: ReadonlyArray<{ key: Section; href: string; label: string; roles?: Role[] }> = [
  { key: 'contacts', href: '/admin/contacts', label: 'Contacts' },
  { key: 'alerts', href: '/admin/alerts', label: 'Alerts' },
  { key: 'campaigns', href: '/admin/campaigns', label: 'Campaigns' },
  { key: 'outbox', href: '/admin/outbox', label: 'Outbox' },
  { key: 'sites', href: '/admin/sites', label: 'Sites' },
  { key: 'team', href: '/admin/team', label: 'Team', roles: ['admin'] },
  { key: 'workspace', href: '/admin/workspace', label: 'Settings', roles: ['admin'] },
  { key: 'tokens', href: '/admin/tokens', label: 'API tokens' },
]

export type Section =
  'contacts' | 'alerts' | 'campaigns' | 'outbox' | 'sites' | 'team' | 'workspace' | 'tokens' | 'account' | 'login' | 'setup' | 'error'

export function page(title: string, section: Section, user: AuthUser | null, body: Html): Html {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title} · Pagebell</title>
        <link
          rel="icon"
          href="data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'%3E%3Cpath d='M2 9a6 6 0 0 1 12 0v5H2z' fill='%23f5b400'/%3E%3C/svg%3E"
        />
        <link rel="stylesheet" href="/admin/assets/admin.css" />
        <script src="/admin/assets/admin.js" defer></script>
      </head>
      <body>
        <header class="top">
          <a class="brand" href="/admin/alerts"><span class="mark" aria-hidden="true"></span>Pagebell</a>
          ${
            user
              ? html`<nav>
                    ${NAV.filter((entry) => !entry.roles || entry.roles.includes(user.role)).map(
                      ({ key, href, label }) => html`<a href="${href}" ${key === section ? html` aria-current="page"` : ''}>${label}</a>`,
                    )}
                    ${
                      // The demo site sends events under the demo workspace's key only: elsewhere its visits go nowhere.
                      user.workspaceId === DEMO.workspace.id ? html`<a href="/demo">Demo site</a>` : ''
                    }
                  </nav>
                  <form method="post" action="/admin/logout" class="who">
                    <a href="/admin/account" ${section === 'account' ? html` aria-current="page"` : ''}>${user.email} · ${user.role}</a
                    ><button class="link">Log out</button>
                  </form>`
              : ''
          }
        </header>
        <main>${body}</main>
      </body>
    </html>`
}

const NOTICES: Record<string, string> = {
  created: 'Alert created.',
  saved: 'Alert saved.',
  deleted: 'Alert deleted.',
  'turned-on': 'Alert switched ON.',
  'turned-off': 'Alert switched OFF.',
  'test-sent': 'Test e-mail sent.',
  'token-deleted': 'Token deleted.',
  welcome: 'Your workspace is ready. Next: add the site you want to follow.',
  'site-created': 'Site added. Paste its snippet into your pages.',
  'site-saved': 'Site saved.',
  'site-deleted': 'Site deleted.',
  'settings-saved': 'Settings saved.',
  'contact-saved': 'Contact saved.',
  'contacts-assigned': 'Owner assigned. Their next alerts go to the new owner.',
  'contact-erased': 'Contact erased, with its activity and the personal data in the outbox.',
}

/** A fixed message chosen by key (never text from the query string). */
export const notice = (key: string | undefined) => {
  const text = key ? NOTICES[key] : undefined
  return text ? html`<p class="notice" role="status">${text}</p>` : ''
}

export const fieldError = (message: string | undefined) => (message ? html`<p class="error" role="alert">${message}</p>` : '')

const dateTime = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' })
export const when = (ms: number | null | undefined, none = '—') => (ms ? `${dateTime.format(ms)} UTC` : none)

export const frequencyText = (count: number, period: string) => (count === 1 ? `once a ${period}` : `at most ${count} per ${period}`)
