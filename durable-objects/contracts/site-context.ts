// What the collect worker tells an object about the site an event came from.
import type { Calendar } from '../rules/calendar'

export type SiteContext = {
  siteId: string
  workspaceId: string
  /** Bumped when an alert of the workspace changes; the object reloads its rules on a new value. */
  rulesVersion: number
  calendar: Calendar
  requireVerifiedIdentity: boolean
  /**
   * When collect read this site (and `rulesVersion`) from D1. A contact's object starts runs with
   * a version read at most SITE_FRESH_MS before; absent (or older), it reads the version itself.
   */
  checkedAt?: number
}

/**
 * How old a handed site's rules version may be for the campaigns' new runs: collect's site cache
 * renews within this, so a save reaches every edge's new runs within it (docs/campaigns.md).
 */
export const SITE_FRESH_MS = 5_000
