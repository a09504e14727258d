// "Wait until a weekday and hour in the workspace's zone": the next instant a local clock reads
// the hour, through DST changes of an hour and of 30 minutes, in zones offset by half and
// quarter hours. Checked by hand at the awkward moments, then against a brute-force reading of
// Intl's clock, quarter-hour by quarter-hour.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { isoWeekday, localDate, nextLocalHour, wallTime } from '../../../durable-objects/rules/calendar'

const utc = (iso: string) => Date.parse(`${iso}Z`)
const QUARTER = 15 * 60_000

describe('calendar: next local hour', () => {
  it('calendar: Monday 9:00 in Kolkata (UTC+5:30) is 03:30Z', () => {
    // 2026-11-29 is a Sunday.
    expect(nextLocalHour(utc('2026-11-29T12:00:00'), 'Asia/Kolkata', 9, 1)).toBe(utc('2026-11-30T03:30:00'))
  })

  it('calendar: the hour itself counts when the clock reads it exactly, a minute later waits a day', () => {
    const nine = utc('2026-11-30T08:00:00') // 09:00 in Paris
    expect(nextLocalHour(nine, 'Europe/Paris', 9)).toBe(nine)
    expect(nextLocalHour(nine + 60_000, 'Europe/Paris', 9)).toBe(nine + 24 * 3_600_000)
    expect(nextLocalHour(nine + 60_000, 'Europe/Paris', 9, 1)).toBe(utc('2026-12-07T08:00:00'))
  })

  it('calendar: 02:00 on the day Paris skips it is the moment the clocks jump to 03:00', () => {
    // 2026-03-29: 02:00 CET → 03:00 CEST at 01:00Z.
    expect(nextLocalHour(utc('2026-03-28T23:30:00'), 'Europe/Paris', 2)).toBe(utc('2026-03-29T01:00:00'))
  })

  it('calendar: 02:00 on the day Paris repeats it is the first of the two', () => {
    // 2026-10-25: 03:00 CEST → 02:00 CET at 01:00Z; 02:00 CEST is 00:00Z.
    expect(nextLocalHour(utc('2026-10-24T23:30:00'), 'Europe/Paris', 2)).toBe(utc('2026-10-25T00:00:00'))
  })

  it('calendar: Lord Howe turns 30 minutes forward, so its skipped 02:00 is 02:30 local', () => {
    // 2026-10-04: 02:00 +10:30 → 02:30 +11 at 15:30Z the day before.
    expect(nextLocalHour(utc('2026-10-03T12:00:00'), 'Australia/Lord_Howe', 2)).toBe(utc('2026-10-03T15:30:00'))
    expect(wallTime(utc('2026-10-03T15:30:00'), 'Australia/Lord_Howe')).toBe(utc('2026-10-04T02:30:00'))
  })

  it('calendar: an unknown zone reads as UTC', () => {
    expect(nextLocalHour(utc('2026-11-29T12:00:00'), 'Mars/Olympus', 9)).toBe(utc('2026-11-30T09:00:00'))
  })
})

const ZONES = [
  'Europe/Paris',
  'Europe/London',
  'America/New_York',
  'America/St_Johns',
  'America/Sao_Paulo',
  'America/Havana',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'Australia/Lord_Howe',
  'Pacific/Chatham',
  'UTC',
]

/**
 * The oracle: walks the quarter-hours from `after` (every modern zone changes offset on a
 * quarter-hour) and stops at the first where the local clock reaches the hour on a wanted day
 * coming from before it.
 */
function bruteForce(after: number, timeZone: string, hour: number, weekday?: number): number {
  for (let s = Math.ceil(after / QUARTER) * QUARTER; ; s += QUARTER) {
    const date = localDate(s, timeZone)
    const target = Date.UTC(date.year, date.month - 1, date.day, hour)
    const dayOk = weekday === undefined || isoWeekday(date) === weekday
    if (dayOk && wallTime(s - QUARTER, timeZone) < target && wallTime(s, timeZone) >= target) return s
  }
}

describe('calendar: next local hour against Intl', () => {
  it('calendar: agrees with a quarter-hour walk of the local clock in 11 zones, 1990–2040', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: utc('1990-01-01T00:00:00'), max: utc('2040-01-01T00:00:00') }),
        fc.constantFrom(...ZONES),
        fc.integer({ min: 0, max: 23 }),
        fc.option(fc.integer({ min: 1, max: 7 }), { nil: undefined }),
        (after, zone, hour, weekday) => {
          const at = nextLocalHour(after, zone, hour, weekday)
          expect(at).toBeGreaterThanOrEqual(after)
          expect(at).toBe(bruteForce(after, zone, hour, weekday))
        },
      ),
      { numRuns: 300 },
    )
  })

  it('calendar: agrees around DST changes, where random instants rarely fall', () => {
    // Hours before each change, at and around the changed hours.
    const changes: Array<[string, string]> = [
      ['Europe/Paris', '2026-03-29T01:00:00'],
      ['Europe/Paris', '2026-10-25T01:00:00'],
      ['America/New_York', '2026-03-08T07:00:00'],
      ['America/New_York', '2026-11-01T06:00:00'],
      ['Australia/Lord_Howe', '2026-10-03T15:30:00'],
      ['Australia/Lord_Howe', '2026-04-04T15:00:00'],
      ['Pacific/Chatham', '2026-09-27T14:00:00'],
      ['America/Sao_Paulo', '2018-11-04T03:00:00'],
      ['America/Havana', '2026-03-08T05:00:00'],
    ]
    fc.assert(
      fc.property(
        fc.constantFrom(...changes),
        fc.integer({ min: -30 * 3_600_000, max: 3_600_000 }),
        fc.integer({ min: 0, max: 23 }),
        fc.option(fc.integer({ min: 1, max: 7 }), { nil: undefined }),
        ([zone, change], shift, hour, weekday) => {
          const after = utc(change) + shift
          expect(nextLocalHour(after, zone, hour, weekday)).toBe(bruteForce(after, zone, hour, weekday))
        },
      ),
      { numRuns: 300 },
    )
  })
})
