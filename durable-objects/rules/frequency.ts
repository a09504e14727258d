// Frequency limits: "at most N alerts per contact per calendar day / week / month" in the
// workspace's time zone. Pure: the period of an instant is named by its local calendar date.
import { isoDate, localDate, startOfWeek, type Calendar } from './calendar'

export type { Calendar } from './calendar'
export type Period = 'day' | 'week' | 'month'
export type FrequencyLimit = { count: number; period: Period }

/** A stable name for the calendar period containing `at`, e.g. `d2026-11-23`, `w2026-11-23`, `m2026-11`. */
export function periodKey(at: number, period: Period, calendar: Calendar): string {
  const date = localDate(at, calendar.timeZone)
  if (period === 'month') return `m${isoDate(date).slice(0, 7)}`
  if (period === 'day') return `d${isoDate(date)}`
  return `w${isoDate(startOfWeek(date, calendar))}`
}
