// The load bench's traffic, decided before anything is sent: which contact each request comes
// from (Zipf-like, s = 1, from a seeded PRNG so every run sends the same requests) and what it
// carries. Each contact's first request identifies it; later ones are page views (some on the
// bench alert's pages, some not) and engage signals of the page last viewed.
import { random } from '../support/repeatable'

export const ORIGIN = 'http://localhost:8787'
/** The bench alert's pattern: every page view under it fires the alert at once (minimum 0 s). */
export const BENCH_PATTERN = '/demo/bench/**'
/** The bench alert's frequency: alerts per contact and day, the API's maximum. */
export const PER_DAY = 100
/**
 * Page views on the alert's pages per contact stay under the frequency limit, so the limit never
 * holds an alert back and every expected alert is one e-mail. (The engine still says so: a held
 * outcome is counted and shown.)
 */
const MATCHING_PER_CONTACT = PER_DAY - 5
/**
 * A visitor id sends at most this many requests, then the contact comes back "on another device":
 * the visitor limit (30 requests per 10 s per visitor id) must not answer 429 to the hottest
 * contact, which gets about one request in eight.
 */
const REQUESTS_PER_VISITOR = 20

export type PlannedRequest = {
  contact: number
  visitor: string
  events: object[]
  /** The page view this request carries, if any, and whether it is on the alert's pages. */
  pageview: { visitId: string; url: string; title: string; matches: boolean } | null
}

export type Plan = { contacts: number; requests: PlannedRequest[]; emailOf: (contact: number) => string }

/** `requests` requests over `contacts` contacts; every contact sends at least one (its identify). */
export function planLoad(options: { requests: number; contacts: number; seed: number; matchingShare: number }): Plan {
  const rand = random(options.seed)
  const unit = () => rand(1_000_000) / 1_000_000
  // Zipf, s = 1: contact k (0-based) is drawn with weight 1 / (k + 1).
  const cumulative: number[] = []
  let total = 0
  for (let k = 0; k < options.contacts; k++) cumulative.push((total += 1 / (k + 1)))
  const draw = () => {
    const x = unit() * total
    let lo = 0
    let hi = cumulative.length - 1
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (cumulative[mid]! < x) lo = mid + 1
      else hi = mid
    }
    return lo
  }
  // One request per contact (so all of them exist), the rest drawn; then shuffled (Fisher–Yates).
  const order = Array.from({ length: options.contacts }, (_, k) => k)
  while (order.length < options.requests) order.push(draw())
  for (let i = order.length - 1; i > 0; i--) {
    const j = rand(i + 1)
    ;[order[i], order[j]] = [order[j]!, order[i]!]
  }

  const emailOf = (contact: number) => `load-${contact.toString().padStart(4, '0')}@load-bench.test`
  const state = new Map<number, { sent: number; matching: number; pages: number; visit: string | null }>()
  let eventSeq = 0
  /** Ids are 8–64 url-safe characters (sdk/wire.ts). */
  const eventId = () => `load-event-${eventSeq++}`
  const requests = order.map((contact): PlannedRequest => {
    const s = state.get(contact) ?? { sent: 0, matching: 0, pages: 0, visit: null }
    state.set(contact, s)
    const device = Math.floor(s.sent / REQUESTS_PER_VISITOR)
    const visitor = `load-visitor-${contact}-d${device}`
    const newDevice = s.sent % REQUESTS_PER_VISITOR === 0
    s.sent++
    const events: object[] = []
    if (newDevice) events.push({ id: eventId(), type: 'identify', email: emailOf(contact) })
    // A new device opens a page; otherwise two in five requests are the open page's heartbeat.
    if (!newDevice && s.visit && unit() < 0.4) {
      events.push({ id: eventId(), type: 'engage', visit: s.visit, state: 'heartbeat', visibleMs: 15_000 })
      return { contact, visitor, events, pageview: null }
    }
    const matches = s.matching < MATCHING_PER_CONTACT && unit() < options.matchingShare
    if (matches) s.matching++
    const n = s.pages++
    const visitId = `load-visit-${contact}-p${n}`
    // Unique per contact and page view, so a duplicate e-mail for one visit can be told apart.
    const url = matches ? `${ORIGIN}/demo/bench/c${contact}/p${n}` : `${ORIGIN}/demo/docs/c${contact}/p${n}`
    const title = matches ? 'Bench page' : 'Docs page'
    s.visit = visitId
    events.push({ id: eventId(), type: 'pageview', visit: visitId, url, title })
    return { contact, visitor, events, pageview: { visitId, url, title, matches } }
  })
  return { contacts: options.contacts, requests, emailOf }
}
