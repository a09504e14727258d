// The workspace's calendar: local dates in its IANA time zone and its first weekday. The one
// place that turns an instant into a local day, used by frequency limits, drop counters and
// analytics. A zone the runtime does not know counts as UTC rather than failing a request or
// stopping every alert of the workspace.

export type Calendar = { timeZone: string; /** 1 = Monday ... 7 = Sunday */ weekStartsOn: number }
export type LocalDate = { year: number; month: number; day: number }

export const UTC_CALENDAR: Calendar = { timeZone: 'UTC', weekStartsOn: 1 }

const DATE_PARTS = { year: 'numeric', month: 'numeric', day: 'numeric' } as const
const formatters = new Map<string, Intl.DateTimeFormat>()

/** True when the runtime knows `timeZone` as an IANA zone name. */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone })
    return true
  } catch {
    return false
  }
}

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: isKnownTimeZone(timeZone) ? timeZone : 'UTC', ...DATE_PARTS })
    formatters.set(timeZone, f)
  }
  return f
}

/** The local calendar date of `at` in `timeZone` (UTC when the zone is unknown). */
export function localDate(at: number, timeZone: string): LocalDate {
  const parts = Object.fromEntries(
    formatterFor(timeZone)
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  )
  return { year: Number(parts.year), month: Number(parts.month), day: Number(parts.day) }
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0')

/** A local date as `YYYY-MM-DD`. */
export const isoDate = ({ year, month, day }: LocalDate) => `${pad(year, 4)}-${pad(month)}-${pad(day)}`

/** The local day of `at` in `timeZone` as `YYYY-MM-DD` (UTC when the zone is unknown). */
export const localDay = (at: number, timeZone: string) => isoDate(localDate(at, timeZone))

/** The workspace's first weekday; anything but 1..7 means Monday, the default. */
export const weekStart = ({ weekStartsOn }: Calendar) =>
  Number.isInteger(weekStartsOn) && weekStartsOn >= 1 && weekStartsOn <= 7 ? weekStartsOn : 1

/** The weekday of a local date, 1 = Monday ... 7 = Sunday. */
export function isoWeekday(date: LocalDate): number {
  const day = new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay()
  return day === 0 ? 7 : day
}

/** The local date `days` after `date`. Date arithmetic in UTC avoids DST shifts. */
export function addDays(date: LocalDate, days: number): LocalDate {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days))
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() }
}

/** The first local day of the week containing `date`. */
export const startOfWeek = (date: LocalDate, calendar: Calendar): LocalDate =>
  addDays(date, -((isoWeekday(date) - weekStart(calendar) + 7) % 7))

// ---- Local clock times ------------------------------------------------------------------------

const HOUR_MS = 3_600_000
const DAY_MS = 24 * HOUR_MS
const WALL_PARTS = { ...DATE_PARTS, hour: 'numeric', minute: 'numeric', second: 'numeric', hourCycle: 'h23' } as const
const wallFormatters = new Map<string, Intl.DateTimeFormat>()

/**
 * The local wall-clock reading of `at` in `timeZone`, as the instant a UTC clock shows that
 * reading (so `wallTime(at) - at` is the zone's offset at `at`).
 */
export function wallTime(at: number, timeZone: string): number {
  let f = wallFormatters.get(timeZone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: isKnownTimeZone(timeZone) ? timeZone : 'UTC', ...WALL_PARTS })
    wallFormatters.set(timeZone, f)
  }
  const p: Record<string, number> = {}
  for (const { type, value } of f.formatToParts(at)) p[type] = Number(value)
  const ms = ((at % 1000) + 1000) % 1000
  return Date.UTC(p.year ?? 1970, (p.month ?? 1) - 1, p.day ?? 1, p.hour ?? 0, p.minute ?? 0, p.second ?? 0, ms)
}

/**
 * The first instant at which the local clock in `timeZone` reads `hour`:00 on `date` or later:
 * the earlier of the two when the hour happens twice (clocks turned back), and the moment the
 * clocks jump when it is skipped (turned forward, by an hour or by 30 minutes as at Lord Howe).
 */
export function localHourInstant(date: LocalDate, hour: number, timeZone: string): number {
  const wall = Date.UTC(date.year, date.month - 1, date.day, hour)
  // The offsets in force around that reading; a zone changes offset at most once in two days.
  const offsets = [...new Set([wall - DAY_MS, wall, wall + DAY_MS].map((t) => wallTime(t, timeZone) - t))]
  const exact = offsets.map((o) => wall - o).filter((t) => wallTime(t, timeZone) === wall)
  if (exact.length) return Math.min(...exact)
  // Skipped: the clock reads before `wall` at `lo` and after it at `hi`; find the jump.
  let lo = wall - Math.max(...offsets)
  let hi = wall - Math.min(...offsets)
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2)
    if (wallTime(mid, timeZone) >= wall) hi = mid
    else lo = mid
  }
  return hi
}

/**
 * The first instant at or after `after` when the local clock in `timeZone` reads `hour`:00, on
 * the given weekday (1 = Monday ... 7 = Sunday) when one is given: "wait until Monday 9:00".
 */
export function nextLocalHour(after: number, timeZone: string, hour: number, weekday?: number): number {
  const today = localDate(after, timeZone)
  for (let i = 0; i <= 7; i++) {
    const date = addDays(today, i)
    if (weekday !== undefined && isoWeekday(date) !== weekday) continue
    const at = localHourInstant(date, hour, timeZone)
    if (at >= after) return at
  }
  // Unreachable: the same weekday comes again within 7 days, a day later within 1.
  return localHourInstant(addDays(today, 8), hour, timeZone)
}
