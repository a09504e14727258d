// What the contact objects stored, read as an operator reads it: the bench's contacts found
// through `GET /api/v1/contacts`, then each one's timeline (`GET …/contacts/:id/activity`). A
// contact's object keeps only its newest 50 events (RECENT_ACTIVITY), so a timeline that is not
// full (under 50 items with the alerts) must show every page view the contact was accepted; a
// full one must show only page views that were sent, each once.
import * as v from 'valibot'

// The fields the bench reads of the API's answers (docs/admin-api.md; the worker's own schemas
// live on the Workers side of the type-check).
const ContactPage = v.object({ contacts: v.array(v.object({ id: v.string(), email: v.string() })), nextCursor: v.nullable(v.string()) })
const Timeline = v.object({ items: v.array(v.object({ type: v.string(), url: v.optional(v.string()) })) })

/** Items one timeline shows at most (the object's RECENT_ACTIVITY). */
const TIMELINE_MAX = 50

export type StoredCounts = {
  contactsFound: number
  /** Server contact id → the bench's contact number. */
  contactIds: Map<string, number>
  /** Page views the timelines show. */
  pageviewsShown: number
  /** Page views accepted for the contacts whose timeline is not full: all must show. */
  completeContacts: number
  /** Accepted page views a timeline that is not full lacks: lost. */
  missing: string[]
  /**
   * Accepted page views a full timeline lacks although answered after the oldest one it shows.
   * Not a loss by itself: a request answered 503 may have been stored at its first attempt, and
   * its retry answered seconds later, so the answer order is not quite the order of storage.
   */
  outsideWindow: string[]
  unknown: string[]
  repeated: string[]
}

type Api = (path: string) => Promise<Response>

async function json<T>(api: Api, path: string, schema: v.GenericSchema<unknown, T>): Promise<T> {
  const res = await api(path)
  if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}: ${await res.text()}`)
  return v.parse(schema, await res.json())
}

export async function readStored(
  api: Api,
  emailOf: (contact: number) => string,
  contacts: number,
  /** Per bench contact, the URLs of its accepted page views in the order they were answered. */
  sentUrls: Map<number, string[]>,
): Promise<StoredCounts> {
  const byEmail = new Map(Array.from({ length: contacts }, (_, k) => [emailOf(k), k]))
  const contactIds = new Map<string, number>()
  let cursor: string | null = null
  do {
    const query = `/contacts?q=load-bench.test&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`
    const page: v.InferOutput<typeof ContactPage> = await json(api, query, ContactPage)
    for (const c of page.contacts) {
      const k = byEmail.get(c.email)
      if (k !== undefined) contactIds.set(c.id, k)
    }
    cursor = page.nextCursor
  } while (cursor)

  const counts: StoredCounts = {
    contactsFound: contactIds.size,
    contactIds,
    pageviewsShown: 0,
    completeContacts: 0,
    missing: [],
    outsideWindow: [],
    unknown: [],
    repeated: [],
  }
  const ids = [...contactIds]
  // A few at a time: the worker shares the two cores with this process.
  for (let i = 0; i < ids.length; i += 8) {
    await Promise.all(
      ids.slice(i, i + 8).map(async ([id, k]) => {
        const timeline = await json(api, `/contacts/${id}/activity?limit=${TIMELINE_MAX}`, Timeline)
        const events = timeline.items.filter((item) => item.type !== 'alert' && item.type !== 'campaign')
        const shown = events.filter((item) => item.type === 'pageview').map((item) => item.url ?? '')
        counts.pageviewsShown += shown.length
        const sent = sentUrls.get(k) ?? []
        const sentSet = new Set(sent)
        const seen = new Set<string>()
        for (const url of shown) {
          if (!sentSet.has(url)) counts.unknown.push(url)
          else if (seen.has(url)) counts.repeated.push(url)
          seen.add(url)
        }
        // The timeline is the newest 50 of events and alerts together.
        const full = timeline.items.length >= TIMELINE_MAX
        if (!full) counts.completeContacts++
        // In a full timeline, what was answered after the oldest page view it shows must all be there.
        const from = full ? Math.min(...shown.map((url) => sent.indexOf(url)).filter((at) => at >= 0), sent.length) : 0
        for (const url of sent.slice(from)) if (!seen.has(url)) (full ? counts.outsideWindow : counts.missing).push(url)
      }),
    )
  }
  return counts
}
