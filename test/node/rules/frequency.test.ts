// Frequency periods: calendar day, week and month in the workspace's time zone. Instants are
// written in UTC with the local time they stand for beside them.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { periodKey, type Calendar } from '../../../durable-objects/rules/frequency'

const PARIS: Calendar = { timeZone: 'Europe/Paris', weekStartsOn: 1 }
const NEW_YORK: Calendar = { timeZone: 'America/New_York', weekStartsOn: 1 }
const utc = (iso: string) => Date.parse(`${iso}Z`)
const SECOND = 1000

describe('frequency: calendar day', () => {
  it('frequency: a day ends at local midnight, not UTC midnight', () => {
    // 2026-11-23 23:00Z is midnight in Paris (UTC+1).
    expect(periodKey(utc('2026-11-23T22:59:59'), 'day', PARIS)).toBe('d2026-11-23')
    expect(periodKey(utc('2026-11-23T23:00:00'), 'day', PARIS)).toBe('d2026-11-24')
    // New York (UTC−5) turns at 05:00Z.
    expect(periodKey(utc('2026-11-24T04:59:59'), 'day', NEW_YORK)).toBe('d2026-11-23')
    expect(periodKey(utc('2026-11-24T05:00:00'), 'day', NEW_YORK)).toBe('d2026-11-24')
  })

  it('frequency: one instant falls on different days in two time zones', () => {
    const at = utc('2026-11-24T03:00:00') // 04:00 in Paris, 22:00 the day before in New York
    expect(periodKey(at, 'day', PARIS)).toBe('d2026-11-24')
    expect(periodKey(at, 'day', NEW_YORK)).toBe('d2026-11-23')
  })

  it('frequency: three visits on one local day share one day period', () => {
    const keys = ['2026-11-22T23:00:00', '2026-11-23T12:00:00', '2026-11-23T22:59:59'].map((t) => periodKey(utc(t), 'day', PARIS))
    expect(new Set(keys)).toEqual(new Set(['d2026-11-23']))
  })

  it('frequency: the 23-hour day of spring DST in Paris ends at 22:00Z', () => {
    // 2026-03-29: 02:00 CET → 03:00 CEST. Midnight that night is 22:00Z, not 23:00Z.
    expect(periodKey(utc('2026-03-28T23:00:00'), 'day', PARIS)).toBe('d2026-03-29')
    expect(periodKey(utc('2026-03-29T21:59:59'), 'day', PARIS)).toBe('d2026-03-29')
    expect(periodKey(utc('2026-03-29T22:00:00'), 'day', PARIS)).toBe('d2026-03-30')
  })

  it('frequency: the 25-hour day of autumn DST in Paris ends at 23:00Z', () => {
    // 2026-10-25: 03:00 CEST → 02:00 CET. It starts at 22:00Z the day before.
    expect(periodKey(utc('2026-10-24T21:59:59'), 'day', PARIS)).toBe('d2026-10-24')
    expect(periodKey(utc('2026-10-24T22:00:00'), 'day', PARIS)).toBe('d2026-10-25')
    expect(periodKey(utc('2026-10-25T22:59:59'), 'day', PARIS)).toBe('d2026-10-25')
    expect(periodKey(utc('2026-10-25T23:00:00'), 'day', PARIS)).toBe('d2026-10-26')
  })

  it('frequency: New York DST days end at the shifted local midnight', () => {
    // 2026-03-08 spring forward: the next midnight is 04:00Z (EDT).
    expect(periodKey(utc('2026-03-09T03:59:59'), 'day', NEW_YORK)).toBe('d2026-03-08')
    expect(periodKey(utc('2026-03-09T04:00:00'), 'day', NEW_YORK)).toBe('d2026-03-09')
    // 2026-11-01 fall back: the day starts at 04:00Z (EDT) and ends at 05:00Z (EST).
    expect(periodKey(utc('2026-11-01T03:59:59'), 'day', NEW_YORK)).toBe('d2026-10-31')
    expect(periodKey(utc('2026-11-02T04:59:59'), 'day', NEW_YORK)).toBe('d2026-11-01')
    expect(periodKey(utc('2026-11-02T05:00:00'), 'day', NEW_YORK)).toBe('d2026-11-02')
  })
})

describe('frequency: calendar week', () => {
  it('frequency: a week starts on Monday by default, named by its first local day', () => {
    // Sunday 2026-11-29 23:59:59 and Monday 2026-11-30 00:00 in Paris.
    expect(periodKey(utc('2026-11-23T00:00:00'), 'week', PARIS)).toBe('w2026-11-23')
    expect(periodKey(utc('2026-11-29T22:59:59'), 'week', PARIS)).toBe('w2026-11-23')
    expect(periodKey(utc('2026-11-29T23:00:00'), 'week', PARIS)).toBe('w2026-11-30')
  })

  it('frequency: a workspace may start its weeks on Sunday', () => {
    const sunday: Calendar = { timeZone: 'America/New_York', weekStartsOn: 7 }
    // Saturday 2026-11-28 23:59:59 and Sunday 2026-11-29 00:00 in New York (05:00Z).
    expect(periodKey(utc('2026-11-29T04:59:59'), 'week', sunday)).toBe('w2026-11-22')
    expect(periodKey(utc('2026-11-29T05:00:00'), 'week', sunday)).toBe('w2026-11-29')
    // The same instant is still in the Monday-started week in the default calendar.
    expect(periodKey(utc('2026-11-29T05:00:00'), 'week', NEW_YORK)).toBe('w2026-11-23')
  })

  it('frequency: a week that ends on an autumn DST Sunday ends at local midnight', () => {
    // Sunday 2026-10-25 is the 25-hour day in Paris; Monday starts at 23:00Z.
    expect(periodKey(utc('2026-10-25T22:59:59'), 'week', PARIS)).toBe('w2026-10-19')
    expect(periodKey(utc('2026-10-25T23:00:00'), 'week', PARIS)).toBe('w2026-10-26')
  })

  it('frequency: a week that spans new year keeps one name', () => {
    // Monday 2026-12-28 to Sunday 2027-01-03.
    expect(periodKey(utc('2026-12-31T22:59:59'), 'week', PARIS)).toBe('w2026-12-28')
    expect(periodKey(utc('2026-12-31T23:00:00'), 'week', PARIS)).toBe('w2026-12-28')
    expect(periodKey(utc('2027-01-03T22:59:59'), 'week', PARIS)).toBe('w2026-12-28')
    expect(periodKey(utc('2027-01-03T23:00:00'), 'week', PARIS)).toBe('w2027-01-04')
  })

  it('frequency: an impossible first weekday falls back to Monday', () => {
    const at = utc('2026-11-26T12:00:00')
    for (const weekStartsOn of [0, 8, 1.5, Number.NaN])
      expect(periodKey(at, 'week', { timeZone: 'Europe/Paris', weekStartsOn })).toBe('w2026-11-23')
  })

  it('periodKey: counts an unknown time zone as UTC instead of throwing', () => {
    const at = Date.UTC(2026, 10, 23, 23, 30)
    expect(periodKey(at, 'day', { timeZone: 'Mars/Olympus_Mons', weekStartsOn: 1 })).toBe('d2026-11-23')
    expect(periodKey(at, 'day', { timeZone: 'Europe/Paris', weekStartsOn: 1 })).toBe('d2026-11-24')
  })
})

describe('frequency: calendar month', () => {
  it('frequency: a month ends at local midnight of its last day', () => {
    expect(periodKey(utc('2026-11-30T22:59:59'), 'month', PARIS)).toBe('m2026-11')
    expect(periodKey(utc('2026-11-30T23:00:00'), 'month', PARIS)).toBe('m2026-12')
    expect(periodKey(utc('2026-12-01T04:59:59'), 'month', NEW_YORK)).toBe('m2026-11')
    expect(periodKey(utc('2026-12-01T05:00:00'), 'month', NEW_YORK)).toBe('m2026-12')
  })

  it('frequency: February of a leap year has its 29th day', () => {
    expect(periodKey(utc('2028-02-29T12:00:00'), 'day', PARIS)).toBe('d2028-02-29')
    expect(periodKey(utc('2028-02-29T22:59:59'), 'month', PARIS)).toBe('m2028-02')
    expect(periodKey(utc('2028-02-29T23:00:00'), 'month', PARIS)).toBe('m2028-03')
  })

  it('frequency: a year ends at local midnight', () => {
    expect(periodKey(utc('2026-12-31T22:59:59'), 'month', PARIS)).toBe('m2026-12')
    expect(periodKey(utc('2026-12-31T23:00:00'), 'month', PARIS)).toBe('m2027-01')
    expect(periodKey(utc('2026-12-31T23:00:00'), 'day', PARIS)).toBe('d2027-01-01')
    // At that instant it is still 18:00 on 31 December in New York.
    expect(periodKey(utc('2026-12-31T23:00:00'), 'month', NEW_YORK)).toBe('m2026-12')
    expect(periodKey(utc('2027-01-01T05:00:00'), 'month', NEW_YORK)).toBe('m2027-01')
  })

  it('frequency: a month that contains a DST change is one period', () => {
    expect(periodKey(utc('2026-03-01T00:00:00'), 'month', NEW_YORK)).toBe('m2026-02')
    expect(periodKey(utc('2026-03-01T05:00:00'), 'month', NEW_YORK)).toBe('m2026-03')
    expect(periodKey(utc('2026-04-01T03:59:59'), 'month', NEW_YORK)).toBe('m2026-03')
    expect(periodKey(utc('2026-04-01T04:00:00'), 'month', NEW_YORK)).toBe('m2026-04')
  })
})

describe('frequency: properties', () => {
  const zones = ['Europe/Paris', 'America/New_York', 'Asia/Kolkata', 'Pacific/Chatham', 'UTC']
  const instant = fc.integer({ min: utc('2020-01-01T00:00:00'), max: utc('2035-12-31T23:59:59') })
  const calendar = fc.record({ timeZone: fc.constantFrom(...zones), weekStartsOn: fc.integer({ min: 1, max: 7 }) })
  /** The local date by another route: Swedish dates are written YYYY-MM-DD. */
  const localDate = (at: number, timeZone: string) => new Date(at).toLocaleDateString('sv-SE', { timeZone })
  const daysBetween = (a: string, b: string) => (Date.parse(b) - Date.parse(a)) / 86_400_000

  it('frequency: the day and month keys name the local date', () => {
    fc.assert(
      fc.property(instant, calendar, (at, cal) => {
        const date = localDate(at, cal.timeZone)
        expect(periodKey(at, 'day', cal)).toBe(`d${date}`)
        expect(periodKey(at, 'month', cal)).toBe(`m${date.slice(0, 7)}`)
      }),
      { numRuns: 2000 },
    )
  })

  it('frequency: the week key is the latest first-weekday on or before the local date', () => {
    fc.assert(
      fc.property(instant, calendar, (at, cal) => {
        const date = localDate(at, cal.timeZone)
        const start = periodKey(at, 'week', cal).slice(1)
        const back = daysBetween(start, date)
        expect(back).toBeGreaterThanOrEqual(0)
        expect(back).toBeLessThanOrEqual(6)
        expect(new Date(`${start}T12:00:00Z`).getUTCDay() || 7).toBe(cal.weekStartsOn)
      }),
      { numRuns: 2000 },
    )
  })

  it('frequency: a period changes only where the local date changes', () => {
    fc.assert(
      fc.property(instant, calendar, fc.constantFrom<'day' | 'week' | 'month'>('day', 'week', 'month'), (at, cal, period) => {
        const sameDate = localDate(at, cal.timeZone) === localDate(at + SECOND, cal.timeZone)
        if (sameDate) expect(periodKey(at + SECOND, period, cal)).toBe(periodKey(at, period, cal))
      }),
      { numRuns: 2000 },
    )
  })
})
