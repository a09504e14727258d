// The checks a contact change, a bulk owner assignment and the contacts list's filters pass, for
// the REST API and the admin screens alike, and the schemas the OpenAPI document is generated
// from. The e-mail is the contact's identity (a later claim with it finds this contact) and the
// score is the product's, so neither is changed here.
import * as v from 'valibot'
import { PAGE_DAYS_KEPT } from '../db/queries/contact-pages'
import { decodePageCursor } from '../page-cursor'

export const LIMITS = {
  name: 200,
  company: 200,
  phone: 50,
  tags: 50,
  tagChars: 50,
  ownerId: 64,
  bulkIds: 500,
  search: 100,
  pattern: 500,
  pageSize: 100,
} as const

const NO_CONTROL = /^\P{Cc}*$/u

const text = (label: string, max: number) =>
  v.pipe(
    v.string(`the ${label} must be text`),
    v.trim(),
    v.maxLength(max, `the ${label} is at most ${max} characters`),
    v.regex(NO_CONTROL, `the ${label} cannot contain control characters (line breaks, tabs)`),
  )

const Tag = v.pipe(
  v.string('each tag is text'),
  v.trim(),
  v.minLength(1, 'a tag cannot be empty'),
  v.maxLength(LIMITS.tagChars, `a tag is at most ${LIMITS.tagChars} characters`),
  v.regex(/^[^\p{Cc},]*$/u, 'a tag cannot contain a comma or control characters'),
)

/** Tags as given, without duplicates (compared case-insensitively, the first spelling kept). */
const Tags = v.pipe(
  v.array(Tag, 'tags is a list of text'),
  v.maxLength(LIMITS.tags, `at most ${LIMITS.tags} tags`),
  v.transform((tags) => tags.filter((tag, i) => tags.findIndex((t) => t.toLowerCase() === tag.toLowerCase()) === i)),
  v.description(`Replaces the contact's tags: at most ${LIMITS.tags}, each 1 to ${LIMITS.tagChars} characters, no commas.`),
  v.metadata({ example: ['hot lead', 'enterprise'] }),
)

export const OwnerId = v.nullable(
  v.pipe(
    v.string('the owner is a user id'),
    v.trim(),
    v.minLength(1, 'the owner is a user id, or null for nobody'),
    v.maxLength(LIMITS.ownerId, 'no user with this id in your workspace'),
    v.description('A user of the workspace; null = nobody. Alerts for "the contact\'s owner" go to this person.'),
  ),
)

export const ContactPatchBody = v.pipe(
  v.partial(
    v.strictObject(
      {
        name: text('name', LIMITS.name),
        company: text('company', LIMITS.company),
        phone: text('phone', LIMITS.phone),
        tags: Tags,
        ownerId: OwnerId,
      },
      'the body must be a JSON object',
    ),
  ),
  v.description('The fields to change; the others stay. The e-mail (the identity) and the score cannot be set.'),
  v.metadata({ ref: 'ContactPatch' }),
)

export type ContactPatch = v.InferOutput<typeof ContactPatchBody>

const ContactId = v.pipe(v.string('each id is text'), v.minLength(1, 'an id cannot be empty'), v.maxLength(64, 'not a contact id'))

export const AssignBody = v.pipe(
  v.strictObject(
    {
      ids: v.pipe(
        v.array(ContactId, 'ids is a list of contact ids'),
        v.minLength(1, 'name at least one contact'),
        v.maxLength(LIMITS.bulkIds, `at most ${LIMITS.bulkIds} contacts at once`),
        v.transform((ids) => [...new Set(ids)]),
      ),
      ownerId: OwnerId,
    },
    'the body must be a JSON object',
  ),
  v.description('Gives every contact named to one owner (or to nobody), all or none: an unknown id changes nothing.'),
  v.metadata({ ref: 'ContactAssignment' }),
)

export type Assignment = v.InferOutput<typeof AssignBody>

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/

/** `YYYY-MM-DD` (from 00:00 UTC) or a full ISO timestamp, as epoch ms. */
const Instant = v.pipe(
  v.string(),
  v.rawTransform(({ dataset, addIssue, NEVER }) => {
    const value = dataset.value.trim()
    const at = ISO_DAY.test(value) ? Date.parse(`${value}T00:00:00Z`) : /^\d{4}-\d{2}-\d{2}T/.test(value) ? Date.parse(value) : NaN
    if (Number.isFinite(at)) return at
    addIssue({ message: 'identifiedSince is a date, 2026-05-01, or an ISO timestamp' })
    return NEVER
  }),
)

const wholeNumber = (name: string, min: number, max: number) =>
  v.pipe(
    v.string(),
    v.regex(/^\d{1,4}$/, `${name} is a whole number from ${min} to ${max}`),
    v.transform(Number),
    v.minValue(min, `${name} is a whole number from ${min} to ${max}`),
    v.maxValue(max, `${name} is a whole number from ${min} to ${max}`),
  )

/** The list's filters and page, from a query string (the API's and the admin screen's). */
export const ContactsQuery = v.object({
  q: v.optional(
    v.pipe(
      v.string(),
      v.trim(),
      v.maxLength(LIMITS.search, `the search is at most ${LIMITS.search} characters`),
      v.description('Finds contacts whose e-mail, name or company contains this text (case and accents ignored).'),
    ),
  ),
  owner: v.optional(
    v.pipe(
      v.string(),
      v.trim(),
      v.maxLength(LIMITS.ownerId, 'owner is a user id, "me" or "none"'),
      v.description('A user id, "me", or "none" for contacts without an owner. Ignored for sales reps, who see only their own.'),
    ),
  ),
  identifiedSince: v.optional(v.pipe(Instant, v.description('Contacts identified on or after this date (00:00 UTC) or ISO timestamp.'))),
  visited: v.optional(
    v.pipe(
      v.string(),
      v.trim(),
      v.maxLength(LIMITS.pattern, `the page pattern is at most ${LIMITS.pattern} characters`),
      v.description(
        'A URL pattern, as in alerts (/pricing/**, shop.com/*/checkout): contacts who viewed a matching page in the last visitedDays days.',
      ),
    ),
  ),
  visitedDays: v.optional(
    v.pipe(
      wholeNumber('visitedDays', 1, PAGE_DAYS_KEPT),
      v.description(`Days the visited filter looks back, today included: 1 to ${PAGE_DAYS_KEPT} (default 30).`),
    ),
  ),
  limit: v.optional(
    v.pipe(wholeNumber('limit', 1, LIMITS.pageSize), v.description(`Contacts per page, 1 to ${LIMITS.pageSize} (default 50).`)),
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
      v.description('nextCursor of the previous page, with the same filters; omit for the first page.'),
    ),
  ),
})

export type ContactsQueryInput = v.InferOutput<typeof ContactsQuery>

export const ActivityQuery = v.object({
  limit: v.optional(v.pipe(wholeNumber('limit', 1, 50), v.description('Events, newest first: 1 to 50 (default 50).'))),
})
