// The contacts list's filters turned into a query: the search term, the owner ("me", "none" or a
// user; a sales rep always sees only their own), "identified since", and "visited a page in the
// last N days", which matches the alert URL pattern against the distinct pages the workspace's
// contacts visited in that window (contact_page_days) and keeps the contacts of those that match.
import { matchesPattern, normalizeUrl, parsePattern } from '../../durable-objects/rules/url-pattern'
import { createDb } from '../db/client'
import type { AuthUser } from '../db/queries/auth'
import { utcDay, visitedUrls } from '../db/queries/contact-pages'
import { listContacts, type ContactFilter, type ContactScope, type ContactWithOwner } from '../db/queries/contacts'
import type { FieldError } from '../field-errors'
import { encodePageCursor } from '../page-cursor'
import type { ContactsQueryInput } from './contact-input'
import { contactScope } from './contact-scope'

/** Distinct pages a "visited" filter may match against; past it the window is too wide to answer quickly. */
export const MAX_VISITED_PAGES = 20_000
export const DEFAULT_VISITED_DAYS = 30
export const DEFAULT_PAGE_SIZE = 50

export type Resolved = { ok: true; scope: ContactScope; filter: ContactFilter; none: boolean } | { ok: false; errors: FieldError[] }

/** The filter for a query (`none`: it can match nobody, such as a pattern no visited page matches). */
export async function resolveFilter(env: Env, user: AuthUser, query: ContactsQueryInput, now = Date.now()): Promise<Resolved> {
  const scope = contactScope(user)
  const filter: ContactFilter = {}
  if (query.q) filter.term = query.q
  if (query.owner && scope.ownerId === undefined) {
    filter.ownerId = query.owner === 'none' ? null : query.owner === 'me' ? user.id : query.owner
  }
  if (query.identifiedSince !== undefined) filter.since = query.identifiedSince
  if (!query.visited) return { ok: true, scope, filter, none: false }

  const parsed = parsePattern(query.visited)
  if (!parsed.ok) return { ok: false, errors: [{ field: 'visited', reason: parsed.reason }] }
  const fromDay = utcDay(now) - ((query.visitedDays ?? DEFAULT_VISITED_DAYS) - 1)
  const urls = await visitedUrls(createDb(env.DB), scope.workspaceId, fromDay, MAX_VISITED_PAGES + 1)
  if (urls.length > MAX_VISITED_PAGES) {
    const reason = `contacts visited more than ${MAX_VISITED_PAGES.toLocaleString('en')} different pages in that window: look back fewer days`
    return { ok: false, errors: [{ field: 'visitedDays', reason }] }
  }
  const matched = urls.filter((url) => {
    const normalized = normalizeUrl(url)
    return normalized !== null && matchesPattern(parsed.pattern, normalized)
  })
  filter.visited = { fromDay, urls: matched }
  return { ok: true, scope, filter, none: matched.length === 0 }
}

export type ContactsPage = { rows: ContactWithOwner[]; nextCursor: string | null }

export async function findContacts(
  env: Env,
  user: AuthUser,
  query: ContactsQueryInput,
): Promise<{ ok: true; page: ContactsPage } | { ok: false; errors: FieldError[] }> {
  const resolved = await resolveFilter(env, user, query)
  if (!resolved.ok) return resolved
  if (resolved.none) return { ok: true, page: { rows: [], nextCursor: null } }
  const page = await listContacts(createDb(env.DB), resolved.scope, resolved.filter, {
    limit: query.limit ?? DEFAULT_PAGE_SIZE,
    after: query.cursor,
  })
  const last = page.rows.at(-1)
  return { ok: true, page: { rows: page.rows, nextCursor: page.more && last ? encodePageCursor(last) : null } }
}
