// What the collect worker tells an object about the site an event came from.
import type { Calendar } from '../rules/calendar'

export type SiteContext = {
  siteId: string
  workspaceId: string
  /** Bumped when an alert of the workspace changes; the object reloads its rules on a new value. */
  rulesVersion: number
  calendar: Calendar
  requireVerifiedIdentity: boolean
}
