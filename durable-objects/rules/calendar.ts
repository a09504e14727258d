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

/** The first local day of the week containing `date`. Date arithmetic in UTC avoids DST shifts. */
export function startOfWeek(date: LocalDate, calendar: Calendar): LocalDate {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day))
  const isoWeekday = d.getUTCDay() === 0 ? 7 : d.getUTCDay()
  d.setUTCDate(d.getUTCDate() - ((isoWeekday - weekStart(calendar) + 7) % 7))
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() }
}
