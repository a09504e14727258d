// Keeps an alert job small, pure. The queue refuses a message over 128 KB, and a refused job is
// an alert that never goes out, so every job is bounded before it is reserved: texts are cut at
// a UTF-8 byte budget (on a character boundary, marked "…"); a link over its budget is left out
// rather than cut, since a cut link leads somewhere else; form values and tags are capped in
// number; the recent activity keeps its newest items within a total budget. Whatever the
// contact and its events hold, a job stays under MAX_JOB_BYTES (test/node/rules/bounded-job.test.ts).
import type { ActivityItem, AlertJob, ContactSnapshot } from '../contracts/alert-job'

export const JOB_LIMITS = {
  /** Names, titles, form values, phone numbers. */
  textBytes: 256,
  /** The wire's own limit on a URL's length. */
  urlBytes: 2048,
  emailBytes: 320,
  detailEntries: 16,
  detailKeyBytes: 64,
  tags: 20,
  tagBytes: 64,
  activityItems: 10,
  activityBytes: 16 * 1024,
}

/** The largest a bounded job can be, as UTF-8 JSON; in V8's wire form at most twice that. */
export const MAX_JOB_BYTES = 24 * 1024

const encoder = new TextEncoder()

export const utf8Bytes = (text: string): number => encoder.encode(text).byteLength

const codePointBytes = (cp: number) => (cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4)

/** `text` within `maxBytes` of UTF-8, cut on a character boundary and ending in "…" when cut. */
export function clipText(text: string, maxBytes: number): string {
  // Every UTF-16 unit is at most 3 bytes of UTF-8: short texts need no encoding.
  if (text.length * 3 <= maxBytes || utf8Bytes(text) <= maxBytes) return text
  const budget = maxBytes - utf8Bytes('…')
  let used = 0
  let end = 0
  for (const char of text) {
    const size = codePointBytes(char.codePointAt(0) ?? 0)
    if (used + size > budget) break
    used += size
    end += char.length
  }
  return `${text.slice(0, end)}…`
}

/** A link within the budget, or undefined: a cut URL would point elsewhere. */
const keptUrl = (url: string): string | undefined => (utf8Bytes(url) <= JOB_LIMITS.urlBytes ? url : undefined)

const clip = (text: string) => clipText(text, JOB_LIMITS.textBytes)

function boundDetail(detail: NonNullable<ActivityItem['detail']>): NonNullable<ActivityItem['detail']> {
  const entries = Object.entries(detail)
    .slice(0, JOB_LIMITS.detailEntries)
    .map(([key, value]) => [clipText(key, JOB_LIMITS.detailKeyBytes), typeof value === 'string' ? clip(value) : value] as const)
  return Object.fromEntries(entries)
}

export function boundActivityItem(item: ActivityItem): ActivityItem {
  const bounded: ActivityItem = { type: item.type, at: item.at }
  const url = item.url === undefined ? undefined : keptUrl(item.url)
  if (url !== undefined) bounded.url = url
  if (item.title !== undefined) bounded.title = clip(item.title)
  if (item.visibleMs !== undefined) bounded.visibleMs = item.visibleMs
  if (item.detail !== undefined) bounded.detail = boundDetail(item.detail)
  return bounded
}

/** The newest items (first in `items`) that fit the activity budget, each bounded; never none if there were any. */
export function boundActivity(items: ActivityItem[]): ActivityItem[] {
  const kept: ActivityItem[] = []
  let used = 2
  for (const item of items.slice(0, JOB_LIMITS.activityItems)) {
    const bounded = boundActivityItem(item)
    const size = utf8Bytes(JSON.stringify(bounded)) + 1
    if (kept.length > 0 && used + size > JOB_LIMITS.activityBytes) break
    kept.push(bounded)
    used += size
  }
  return kept
}

export function boundContact(contact: ContactSnapshot): ContactSnapshot {
  return {
    ...contact,
    email: clipText(contact.email, JOB_LIMITS.emailBytes),
    name: clip(contact.name),
    company: clip(contact.company),
    phone: clip(contact.phone),
    ownerEmail: contact.ownerEmail === null ? null : clipText(contact.ownerEmail, JOB_LIMITS.emailBytes),
    ownerName: contact.ownerName === null ? null : clip(contact.ownerName),
    tags: contact.tags.slice(0, JOB_LIMITS.tags).map((tag) => clipText(tag, JOB_LIMITS.tagBytes)),
  }
}

export function boundJob(job: AlertJob): AlertJob {
  return {
    ...job,
    contact: boundContact(job.contact),
    visit: { ...job.visit, url: keptUrl(job.visit.url) ?? '', title: clip(job.visit.title) },
    recentActivity: boundActivity(job.recentActivity),
  }
}
