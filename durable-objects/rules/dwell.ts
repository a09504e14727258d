// Visible-time accounting of one page visit, bounded by the server's own clock. Pure.
// The script reports the visit's total visible time with every signal. The server believes that
// figure only up to the time it has itself seen pass since the visit's page view arrived
// (`startedAt`, the server's receive time): no signal, however it is sent, can be credited more.
// Between signals a page last seen visible is credited the server's time as it passes, so an
// alert due at 10 s fires at 10 s although the script heartbeats only every 15 s; never past the
// heartbeat window, so a visit that stops signalling counts as left at its last signal plus that
// window. A signal whose figure runs ahead of the server's clock by more than CLOCK_SLACK_MS
// (forged, or held back on the device) is not taken as a sign that the page is still open: no
// time is credited after it until a signal that agrees with the server's clock.

export const HEARTBEAT_MS = 15_000
/** No signal for this long and a visible page counts as left. */
export const HEARTBEAT_WINDOW_MS = 2 * HEARTBEAT_MS + 5_000
/**
 * How far a script's figure may run ahead of the server's clock and still agree with it: the
 * script starts counting as it sends the page view, so the page view's own delay on the network
 * (a slow connection, one retry) shows up as a lead of that size.
 */
export const CLOCK_SLACK_MS = 5_000

export type Visit = {
  visitId: string
  url: string
  title: string
  /** When the server received the page view. */
  startedAt: number
  /** Visible time credited as of `lastSignalAt`; never more than `lastSignalAt - startedAt`. */
  visibleMs: number
  /** Whether the server credits time after the last signal: it said "visible" and agreed with the server's clock. */
  counting: boolean
  left: boolean
  /** When the server received the latest signal (or the page view). */
  lastSignalAt: number
}

export type VisibilitySignal = 'visible' | 'hidden' | 'heartbeat' | 'leave'

export function openVisit(visitId: string, url: string, title: string, at: number): Visit {
  return { visitId, url, title, startedAt: at, visibleMs: 0, counting: true, left: false, lastSignalAt: at }
}

/** What the server has seen pass of the visit by `at`. */
const serverElapsed = (visit: Visit, at: number): number => Math.max(0, at - visit.startedAt)

/** Applies a signal received at `at` carrying the script's visible-time total. */
export function applySignal<V extends Visit>(visit: V, state: VisibilitySignal, reportedVisibleMs: number, at: number): V {
  if (visit.left) return visit
  const elapsed = serverElapsed(visit, at)
  // Visible time never goes backwards, and never past what the server saw pass.
  const visibleMs = Math.max(visit.visibleMs, Math.min(reportedVisibleMs, elapsed))
  const agrees = reportedVisibleMs <= elapsed + CLOCK_SLACK_MS
  const left = state === 'leave'
  // A signal older than the latest (two requests overtaking each other) updates the figure only:
  // the page's state is the newest one the server has.
  if (at < visit.lastSignalAt) return { ...visit, visibleMs, left, counting: visit.counting && !left }
  return { ...visit, visibleMs, left, counting: (state === 'visible' || state === 'heartbeat') && agrees, lastSignalAt: at }
}

/** Visible time credited by `now`: at most what the server has seen pass since the page view. */
export function visibleMsAt(visit: Visit, now: number): number {
  let credited = visit.visibleMs
  if (visit.counting && !visit.left) {
    credited += Math.max(0, Math.min(now, visit.lastSignalAt + HEARTBEAT_WINDOW_MS) - visit.lastSignalAt)
  }
  return Math.min(credited, serverElapsed(visit, now))
}

/**
 * The instant the visit reaches `minMs` of visible time, if it can still get there without a
 * new signal: now or earlier if already reached, null if the page is hidden, left or silent.
 */
export function thresholdAt(visit: Visit, minMs: number): number | null {
  if (visit.visibleMs >= minMs) return visit.lastSignalAt
  if (!visit.counting || visit.left) return null
  const at = visit.lastSignalAt + (minMs - visit.visibleMs)
  return at - visit.lastSignalAt <= HEARTBEAT_WINDOW_MS ? at : null
}
