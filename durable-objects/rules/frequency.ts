// Frequency limits: "at most N alerts per contact per calendar day / week / month" in the
// workspace's time zone. Pure: the period of an instant is named by its local calendar date.

export type Period = 'day' | 'week' | 'month'
export type FrequencyLimit = { count: number; period: Period }
export type Calendar = { timeZone: string; /** 1 = Monday ... 7 = Sunday */ weekStartsOn: number }

const formatters = new Map<string, Intl.DateTimeFormat>()

/** A zone the runtime does not know counts as UTC rather than stopping every alert of the workspace. */
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  const options = { year: 'numeric', month: 'numeric', day: 'numeric' } as const
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone, ...options })
  } catch {
    return new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', ...options })
  }
}

function localDate(at: number, timeZone: string): { year: number; month: number; day: number } {
  let f = formatters.get(timeZone)
  if (!f) {
    f = formatterFor(timeZone)
    formatters.set(timeZone, f)
  }
  const parts = Object.fromEntries(f.formatToParts(at).map((p) => [p.type, p.value]))
  return { year: Number(parts.year), month: Number(parts.month), day: Number(parts.day) }
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0')

/** The workspace's first weekday; anything but 1..7 means Monday, the default. */
const weekStart = ({ weekStartsOn }: Calendar) =>
  Number.isInteger(weekStartsOn) && weekStartsOn >= 1 && weekStartsOn <= 7 ? weekStartsOn : 1

/** A stable name for the calendar period containing `at`, e.g. `d2026-11-23`, `w2026-11-23`, `m2026-11`. */
export function periodKey(at: number, period: Period, calendar: Calendar): string {
  const { year, month, day } = localDate(at, calendar.timeZone)
  if (period === 'month') return `m${year}-${pad(month)}`
  if (period === 'day') return `d${year}-${pad(month)}-${pad(day)}`
  // Weeks are named by their first local day; date arithmetic in UTC avoids DST shifts.
  const date = new Date(Date.UTC(year, month - 1, day))
  const isoWeekday = date.getUTCDay() === 0 ? 7 : date.getUTCDay()
  const back = (isoWeekday - weekStart(calendar) + 7) % 7
  date.setUTCDate(date.getUTCDate() - back)
  return `w${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`
}
