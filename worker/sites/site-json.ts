// The API's view of a site: its settings, its key and snippet, and the install check (the last
// event and its origin, from D1 merged with this isolate's unwritten note). Pages of sites are
// walked with an opaque cursor naming the last site of the previous page.
import * as v from 'valibot'
import { lastSeenOf } from '../collect/last-seen'
import type { SiteRow } from '../db/queries/sites'
import { decodePageCursor } from '../page-cursor'
import { SITE_FIELDS } from './site-input'
import { siteSnippet } from './snippet'

const epochMs = v.pipe(v.number(), v.integer(), v.description('epoch ms'))

export const SiteView = v.pipe(
  v.object({
    id: v.string(),
    ...SITE_FIELDS,
    key: v.pipe(v.string(), v.description('The public key in the snippet (data-site).')),
    snippet: v.pipe(v.string(), v.description('The tag to paste into every page of the site.')),
    install: v.pipe(
      v.object({ lastEventAt: v.nullable(epochMs), lastEventOrigin: v.nullable(v.string()) }),
      v.description('The last accepted event and the origin it came from; written at most once a minute, null = none yet.'),
    ),
    createdAt: epochMs,
  }),
  v.metadata({ ref: 'Site' }),
)

export type SiteJson = v.InferOutput<typeof SiteView>

/** `scriptOrigin`: where this worker serves pb.js; `workspaceHonors`: the workspace's privacy setting. */
export function siteJson(row: SiteRow, context: { scriptOrigin: string; workspaceHonors: boolean }): SiteJson {
  const seen = lastSeenOf(row)
  return {
    id: row.id,
    name: row.name,
    allowedDomains: row.allowedDomains,
    defaultOwnerId: row.defaultOwnerId,
    requireVerifiedIdentity: row.requireVerifiedIdentity,
    honorPrivacySignals: row.honorPrivacySignals,
    key: row.key,
    snippet: siteSnippet(context.scriptOrigin, row.key, row.honorPrivacySignals || context.workspaceHonors),
    install: { lastEventAt: seen.at, lastEventOrigin: seen.origin },
    createdAt: row.createdAt,
  }
}

export const SitesQuery = v.object({
  limit: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\d{1,3}$/, 'limit is a whole number from 1 to 100'),
      v.transform(Number),
      v.minValue(1, 'limit is a whole number from 1 to 100'),
      v.maxValue(100, 'limit is a whole number from 1 to 100'),
      v.description('Sites per page, 1 to 100 (default 50).'),
    ),
    '50',
  ),
  cursor: v.optional(
    v.pipe(
      v.string(),
      v.rawTransform(({ dataset, addIssue, NEVER }) => {
        const decoded = decodePageCursor(dataset.value)
        if (decoded) return decoded
        addIssue({ message: 'not a cursor from this API: pass nextCursor from the previous page' })
        return NEVER
      }),
      v.description('nextCursor of the previous page; omit for the first page.'),
    ),
  ),
})

export const SitePage = v.pipe(
  v.object({
    sites: v.array(SiteView),
    nextCursor: v.pipe(v.nullable(v.string()), v.description('Pass as ?cursor= for the next page; null on the last page.')),
  }),
  v.metadata({ ref: 'SitePage' }),
)
