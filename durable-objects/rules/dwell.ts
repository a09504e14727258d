// Visible-time accounting of one page visit from the script's signals. Pure.
// The script reports the visit's total visible time with every signal; between signals the
// server extrapolates while the page is visible, but never past the heartbeat window: a
// visit that stopped signalling counts as left at its last signal plus that window.

export const HEARTBEAT_MS = 15_000
/** No signal for this long and a visible page counts as left. */
export const HEARTBEAT_WINDOW_MS = 2 * HEARTBEAT_MS + 5_000

export type Visit = {
  visitId: string
  url: string
  title: string
  startedAt: number
  /** Visible time as of `lastSignalAt`. */
  visibleMs: number
  visible: boolean
  left: boolean
  lastSignalAt: number
}

export type VisibilitySignal = 'visible' | 'hidden' | 'heartbeat' | 'leave'

export function openVisit(visitId: string, url: string, title: string, at: number): Visit {
  return { visitId, url, title, startedAt: at, visibleMs: 0, visible: true, left: false, lastSignalAt: at }
}

/** Applies a signal received at `at` carrying the script's visible-time total. */
export function applySignal(visit: Visit, state: VisibilitySignal, reportedVisibleMs: number, at: number): Visit {
  if (visit.left) return visit
  // Signals can arrive out of order; visible time never goes backwards.
  const visibleMs = Math.max(visit.visibleMs, reportedVisibleMs)
  return {
    ...visit,
    visibleMs,
    visible: state === 'visible' || state === 'heartbeat',
    left: state === 'leave',
    lastSignalAt: Math.max(visit.lastSignalAt, at),
  }
}

export function visibleMsAt(visit: Visit, now: number): number {
  if (!visit.visible || visit.left) return visit.visibleMs
  const extrapolated = Math.min(now, visit.lastSignalAt + HEARTBEAT_WINDOW_MS) - visit.lastSignalAt
  return visit.visibleMs + Math.max(0, extrapolated)
}

/**
 * The instant the visit reaches `minMs` of visible time, if it can still get there without a
 * new signal: now or earlier if already reached, null if the page is hidden, left or silent.
 */
export function thresholdAt(visit: Visit, minMs: number): number | null {
  if (visit.visibleMs >= minMs) return visit.lastSignalAt
  if (!visit.visible || visit.left) return null
  const at = visit.lastSignalAt + (minMs - visit.visibleMs)
  return at - visit.lastSignalAt <= HEARTBEAT_WINDOW_MS ? at : null
}
