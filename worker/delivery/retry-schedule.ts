// When a delivery that failed for a temporary reason (server down, 4xx, time-out) is tried
// again, and when the outbox stops trying. The delays grow from seconds to four hours so a short
// blip costs seconds and a day-long outage costs a few attempts; temporary failures are retried
// until 24 h after the first attempt (or after a re-send), and the last try falls on that mark,
// so nothing is given up on within 24 h. The table is in docs/delivery.md.

export const MINUTE_MS = 60_000
export const HOUR_MS = 60 * MINUTE_MS

/** How long temporary failures are retried, counted from the first attempt (or a re-send). */
export const RETRY_WINDOW_MS = 24 * HOUR_MS

/** Seconds to wait after the n-th failed attempt (1-based); the last delay repeats. */
export const RETRY_DELAYS_S = [10, 30, 60, 120, 300, 600, 1_200, 2_400, 3_600, 7_200, 10_800, 14_400] as const

export const retryDelaySeconds = (failedAttempts: number): number =>
  RETRY_DELAYS_S[Math.min(Math.max(failedAttempts, 1), RETRY_DELAYS_S.length) - 1]!

/**
 * When to try again after the `failedAttempts`-th attempt failed at `now`: the scheduled delay,
 * but never past `retryUntil`, so the last attempt lands on the end of the window. Null once
 * the window is over: the failure is then final.
 */
export function nextAttemptAt(failedAttempts: number, now: number, retryUntil: number): number | null {
  if (now >= retryUntil) return null
  return Math.min(now + retryDelaySeconds(failedAttempts) * 1000, retryUntil)
}

/**
 * A row found `sending` for longer than this was interrupted (the attempt died between claim
 * and outcome). Younger, another attempt may still be sending it, so it is left alone. A send
 * is bounded well below this by the transports' 10 s time-outs.
 */
export const SENDING_STALE_MS = 10 * MINUTE_MS

/**
 * The sweeper queues a row again once its attempt is this late: the queue normally carries
 * every retry, so a row this overdue lost its message (a local queue restarted, the queue's
 * own retries were used up, D1 was down when the job first arrived).
 */
export const SWEEP_GRACE_MS = 15 * MINUTE_MS

/** Whole seconds from `now` until `at`, at least 1 (a queue delay). */
export const secondsUntil = (at: number, now: number): number => Math.max(1, Math.ceil((at - now) / 1000))
