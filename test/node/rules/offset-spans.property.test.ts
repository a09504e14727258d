// Offset spans: the local day the database computes from a quarter hour and the span's offset is
// the day the calendar helper names, for zones with half- and three-quarter-hour offsets, summer
// time of 30 minutes, a skipped day, and an unknown zone.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { localDay } from '../../../durable-objects/rules/calendar'
import { DAY_MS, dayNumberName, offsetSpans, QUARTER_HOUR_MS, type OffsetSpan } from '../../../durable-objects/rules/offset-spans'

const ZONES = [
  'UTC',
  'Europe/Warsaw',
  'America/New_York',
  'Asia/Kolkata', // +5:30
  'Asia/Kathmandu', // +5:45
  'America/St_Johns', // −3:30, with summer time
  'Australia/Adelaide', // +9:30 / +10:30
  'Australia/Lord_Howe', // +10:30 / +11: summer time of half an hour
  'Pacific/Chatham', // +12:45 / +13:45
  'Africa/Casablanca', // summer time suspended for Ramadan
  'Pacific/Apia', // skipped 30 December 2011
  'Mars/Olympus_Mons', // unknown: counted as UTC
]

/** What SQL computes: (quarter hour × 900,000 + offset of its span) / 86,400,000, named. */
function dayBySpans(quarterHour: number, spans: OffsetSpan[]): string {
  const span = spans.findLast((s) => s.fromQuarterHour <= quarterHour) ?? spans[0]
  return dayNumberName(Math.floor((quarterHour * QUARTER_HOUR_MS + (span?.offsetMs ?? 0)) / DAY_MS))
}

const quarterHourOf = (iso: string) => Date.parse(iso) / QUARTER_HOUR_MS

describe('offset spans', () => {
  it('offsetSpans: names every quarter hour of a window on the local day the calendar names', () => {
    const firstQuarter = quarterHourOf('2005-01-01T00:00:00Z')
    const lastQuarter = quarterHourOf('2035-01-01T00:00:00Z')
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        fc.integer({ min: firstQuarter, max: lastQuarter }),
        fc.integer({ min: 1, max: 120 * 96 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 20, maxLength: 20 }),
        (zone, first, length, picks) => {
          const spans = offsetSpans(first, first + length, zone)
          expect(spans[0]?.fromQuarterHour).toBe(first)
          for (const pick of picks) {
            const q = first + Math.floor(pick * length)
            expect(dayBySpans(q, spans), `${zone} ${new Date(q * QUARTER_HOUR_MS).toISOString()}`).toBe(localDay(q * QUARTER_HOUR_MS, zone))
          }
        },
      ),
      { numRuns: 400 },
    )
  })

  it('offsetSpans: a change of offset starts a span at its quarter hour, on both sides of a DST night', () => {
    // Warsaw, 29 March 2026: 01:00Z is 03:00 CEST; 25 October 2026: 01:00Z is 02:00 CET.
    const spring = quarterHourOf('2026-03-29T01:00:00Z')
    const autumn = quarterHourOf('2026-10-25T01:00:00Z')
    expect(offsetSpans(spring - 100, autumn + 100, 'Europe/Warsaw')).toEqual([
      { fromQuarterHour: spring - 100, offsetMs: 3_600_000 },
      { fromQuarterHour: spring, offsetMs: 7_200_000 },
      { fromQuarterHour: autumn, offsetMs: 3_600_000 },
    ])
    expect(offsetSpans(spring - 100, autumn + 100, 'Asia/Kathmandu')).toEqual([{ fromQuarterHour: spring - 100, offsetMs: 20_700_000 }])
  })

  it('offsetSpans: the boundary quarter hours of a half-hour zone fall on the right side of midnight', () => {
    // Kolkata is UTC+5:30: 18:15Z is 23:45 on the 1st, 18:30Z is 00:00 on the 2nd.
    const spans = offsetSpans(quarterHourOf('2026-11-01T00:00:00Z'), quarterHourOf('2026-11-03T00:00:00Z'), 'Asia/Kolkata')
    expect(dayBySpans(quarterHourOf('2026-11-01T18:15:00Z'), spans)).toBe('2026-11-01')
    expect(dayBySpans(quarterHourOf('2026-11-01T18:30:00Z'), spans)).toBe('2026-11-02')
  })
})
