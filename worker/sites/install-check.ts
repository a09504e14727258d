// "Is the snippet installed?": the site's last accepted event (worker/collect/last-seen.ts) read
// as a state — waiting for the first event, live (an event within a day), or stale — with how
// long ago it was, in words.
import { lastSeenOf } from '../collect/last-seen'
import type { SiteRow } from '../db/queries/sites'

export const LIVE_WITHIN_MS = 86_400_000

export type InstallCheck = { state: 'waiting' } | { state: 'live' | 'stale'; at: number; origin: string | null; ago: string }

/** "just now", "3 min ago", "5 h ago", "2 days ago". */
export function agoText(ms: number): string {
  const minutes = Math.floor(Math.max(ms, 0) / 60_000)
  if (minutes < 1) return 'just now'
  if (minutes < 60) return `${minutes} min ago`
  const hours = Math.floor(minutes / 60)
  if (hours < 48) return `${hours} h ago`
  return `${Math.floor(hours / 24)} days ago`
}

export function installCheck(site: SiteRow, now = Date.now()): InstallCheck {
  const seen = lastSeenOf(site)
  if (seen.at === null) return { state: 'waiting' }
  return { state: now - seen.at <= LIVE_WITHIN_MS ? 'live' : 'stale', at: seen.at, origin: seen.origin, ago: agoText(now - seen.at) }
}
