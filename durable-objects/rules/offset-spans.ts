// A time zone's UTC offsets over a window of quarter hours, as spans of one offset each: what lets
// the database name the local day of a quarter hour by arithmetic, (quarter hour × 900,000 +
// offset) / 86,400,000, instead of the worker naming thousands of quarter hours one by one. Half-
// and three-quarter-hour zones and summer time come out as the calendar helper names them.
import { isKnownTimeZone } from './calendar'

/** Every zone's offset from UTC is a whole number of quarter hours today, so a quarter hour falls in one local day. */
export const QUARTER_HOUR_MS = 15 * 60_000
export const DAY_MS = 86_400_000

/** From `fromQuarterHour` on (until the next span), local time is UTC + `offsetMs`. */
export type OffsetSpan = { fromQuarterHour: number; offsetMs: number }

/**
 * Sampled every 6 hours, then halved down to the quarter hour where the offset changes. The tz
 * database has no two changes of offset within 6 hours (they are weeks or months apart), so none
 * is missed between two samples.
 */
const SAMPLE_QUARTER_HOURS = 24

const TIME_PARTS = {
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
  hourCycle: 'h23',
} as const
const formatters = new Map<string, Intl.DateTimeFormat>()

/** Local time minus UTC at the start of `quarterHour`, in ms. */
function offsetAt(quarterHour: number, formatter: Intl.DateTimeFormat): number {
  const at = quarterHour * QUARTER_HOUR_MS
  const parts = Object.fromEntries(formatter.formatToParts(at).map((p) => [p.type, Number(p.value)]))
  const local = Date.UTC(parts.year ?? 0, (parts.month ?? 1) - 1, parts.day ?? 1, parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0)
  return local - at
}

/**
 * The spans covering quarter hours `first` to `last` of `timeZone` (UTC when the runtime does not
 * know it, as the calendar helper counts it), oldest first; the first starts at `first`.
 */
export function offsetSpans(first: number, last: number, timeZone: string): OffsetSpan[] {
  if (!isKnownTimeZone(timeZone)) return [{ fromQuarterHour: first, offsetMs: 0 }]
  let formatter = formatters.get(timeZone)
  if (!formatter) formatters.set(timeZone, (formatter = new Intl.DateTimeFormat('en-US', { timeZone, ...TIME_PARTS })))
  const offset = (q: number) => offsetAt(q, formatter)
  const spans: OffsetSpan[] = [{ fromQuarterHour: first, offsetMs: offset(first) }]
  for (let from = first; from < last; from += SAMPLE_QUARTER_HOURS) {
    const to = Math.min(from + SAMPLE_QUARTER_HOURS, last)
    const current = spans[spans.length - 1]!.offsetMs
    if (offset(to) === current) continue
    // The offset is `current` at `low` and not at `high`: halve until they are neighbours.
    let low = from
    let high = to
    while (high - low > 1) {
      const mid = Math.floor((low + high) / 2)
      if (offset(mid) === current) low = mid
      else high = mid
    }
    spans.push({ fromQuarterHour: high, offsetMs: offset(high) })
  }
  return spans
}

/** The local day (`YYYY-MM-DD`) of a day number, whole local days since 1970-01-01. */
export const dayNumberName = (dayNumber: number) => new Date(dayNumber * DAY_MS).toISOString().slice(0, 10)
