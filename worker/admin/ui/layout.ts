// The admin page shell: header with navigation, one stylesheet and one script served by the
// worker (so the Content-Security-Policy can refuse every inline script). Everything
// interpolated through `html` is escaped; only other `html` fragments pass through as markup.
import { html } from 'hono/html'
import type { HtmlEscapedString } from 'hono/utils/html'
import type { AuthUser } from '../../db/queries/auth'

export type Html = HtmlEscapedString | Promise<HtmlEscapedString>

export const CSP =
  "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

const NAV = [
  ['alerts', '/admin/alerts', 'Alerts'],
  ['outbox', '/admin/outbox', 'Outbox'],
  ['tokens', '/admin/tokens', 'API tokens'],
] as const

export type Section = (typeof NAV)[number][0] | 'login' | 'error'

export function page(title: string, section: Section, user: AuthUser | null, body: Html): Html {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title} · Pagebell</title>
        <link rel="stylesheet" href="/admin/assets/admin.css" />
        <script src="/admin/assets/admin.js" defer></script>
      </head>
      <body>
        <header class="top">
          <a class="brand" href="/admin/alerts"><span class="mark" aria-hidden="true"></span>Pagebell</a>
          ${
            user
              ? html`<nav>
                    ${NAV.map(([key, href, label]) => html`<a href="${href}" ${key === section ? html` aria-current="page"` : ''}>${label}</a>`)}
                    <a href="/demo">Demo site</a>
                  </nav>
                  <form method="post" action="/admin/logout" class="who">
                    <span>${user.email} · ${user.role}</span><button class="link">Log out</button>
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
