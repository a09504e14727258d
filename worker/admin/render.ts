// Answers with an admin page: the layout around a screen, under the Content-Security-Policy that
// refuses inline script, never cached (pages show workspace data).
import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { AuthUser } from '../db/queries/auth'
import { CSP, page, type Html, type Section } from './ui/layout'

export type PageOptions = { title: string; section: Section; user: AuthUser | null; body: Html; status?: ContentfulStatusCode }

export function renderPage(c: Context, options: PageOptions) {
  c.header('content-security-policy', CSP)
  c.header('cache-control', 'no-store')
  return c.html(page(options.title, options.section, options.user, options.body), options.status ?? 200)
}
