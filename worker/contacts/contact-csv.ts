// The contacts list as CSV, with the list's filters: streamed a page at a time so a large export
// never sits in memory. Every cell is quoted and a cell that a spreadsheet would run as a formula
// (= + - @ first) is neutralised, by the same csvCell alert attachments use.
import { createDb } from '../db/client'
import type { AuthUser } from '../db/queries/auth'
import { listContacts, type ContactCursor, type ContactWithOwner } from '../db/queries/contacts'
import { csvCell } from '../delivery/content/liquid'
import type { FieldError } from '../field-errors'
import type { ContactsQueryInput } from './contact-input'
import { resolveFilter } from './contact-list'

const PAGE = 500

const HEADER = [
  'id',
  'email',
  'name',
  'company',
  'phone',
  'owner_email',
  'owner_name',
  'tags',
  'score',
  'identified_by',
  'identified_at',
  'updated_at',
]

const iso = (ms: number) => new Date(ms).toISOString()

const line = (c: ContactWithOwner) =>
  [
    c.id,
    c.email,
    c.name,
    c.company,
    c.phone,
    c.owner?.email ?? '',
    c.owner?.name ?? '',
    c.tags.join(', '),
    c.score,
    c.identifiedBy,
    iso(c.createdAt),
    iso(c.updatedAt),
  ]
    .map(csvCell)
    .join(',')

/** The CSV as a stream of UTF-8 lines (CRLF, header first), or the filter's refusal. */
export async function contactsCsv(
  env: Env,
  user: AuthUser,
  query: ContactsQueryInput,
): Promise<{ ok: true; body: ReadableStream<Uint8Array> } | { ok: false; errors: FieldError[] }> {
  const resolved = await resolveFilter(env, user, query)
  if (!resolved.ok) return resolved
  const db = createDb(env.DB)
  const encoder = new TextEncoder()
  let after: ContactCursor | undefined
  let done = resolved.none
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(`${HEADER.map(csvCell).join(',')}\r\n`))
      if (done) controller.close()
    },
    async pull(controller) {
      const page = await listContacts(db, resolved.scope, resolved.filter, { limit: PAGE, after })
      if (page.rows.length) controller.enqueue(encoder.encode(page.rows.map((c) => `${line(c)}\r\n`).join('')))
      const last = page.rows.at(-1)
      after = last ? { createdAt: last.createdAt, id: last.id } : after
      done = !page.more
      if (done) controller.close()
    },
  })
  return { ok: true, body }
}
