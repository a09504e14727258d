// Visible time as a specification: the server credits a visit at most the time it has itself
// seen pass since the page view arrived, whatever the script reports; a real visit still reaches
// its threshold on the server's clock between heartbeats; a forged figure buys nothing, not even
// the time the server would credit a silent open page.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  applySignal,
  CLOCK_SLACK_MS,
  HEARTBEAT_MS,
  HEARTBEAT_WINDOW_MS,
  openVisit,
  thresholdAt,
  visibleMsAt,
  type VisibilitySignal,
  type Visit,
} from '../../../durable-objects/rules/dwell'

const T0 = Date.parse('2026-11-23T10:00:00Z')
const open = () => openVisit('v1', 'https://shop.test/pricing', 'Pricing', T0)
const states: VisibilitySignal[] = ['visible', 'hidden', 'heartbeat', 'leave']

type Signal = { state: VisibilitySignal; reportedMs: number; dt: number }

/** Any sequence of signals: any state, any figure the wire allows, arriving at any pace (even overtaking each other). */
const signals = fc.array(
  fc.record({
    state: fc.constantFrom(...states),
    reportedMs: fc.oneof(fc.integer({ min: 0, max: 60_000 }), fc.integer({ min: 0, max: 86_400_000 })),
    dt: fc.integer({ min: -5_000, max: 120_000 }),
  }),
  { maxLength: 30 },
)

/** Applies the signals; each arrives `dt` after the previous one (never before the page view). */
function play(steps: Signal[]): { visit: Visit; lastAt: number } {
  let visit = open()
  let at = T0
  let lastAt = T0
  for (const s of steps) {
    at = Math.max(T0, at + s.dt)
    lastAt = Math.max(lastAt, at)
    visit = applySignal(visit, s.state, s.reportedMs, at)
  }
  return { visit, lastAt }
}

describe('dwell: server-bounded visible time', () => {
  it('dwell: credits never more than the server saw pass since the page view, for any signals and any instant', () => {
    fc.assert(
      fc.property(signals, fc.integer({ min: -10_000, max: 3_600_000 }), (steps, later) => {
        const { visit, lastAt } = play(steps)
        const now = lastAt + later
        expect(visibleMsAt(visit, now)).toBeLessThanOrEqual(Math.max(0, now - T0))
        expect(visit.visibleMs).toBeLessThanOrEqual(visit.lastSignalAt - T0)
      }),
    )
  })

  it('dwell: a threshold is never due before the server saw that much time pass since the page view', () => {
    fc.assert(
      fc.property(signals, fc.integer({ min: 1, max: 600 }), (steps, minSeconds) => {
        const { visit } = play(steps)
        const at = thresholdAt(visit, minSeconds * 1000)
        if (at !== null) {
          expect(at).toBeGreaterThanOrEqual(T0 + minSeconds * 1000)
          expect(visibleMsAt(visit, at)).toBeGreaterThanOrEqual(minSeconds * 1000)
        }
      }),
    )
  })

  it('dwell: credited time never goes down as the server clock runs on', () => {
    fc.assert(
      fc.property(signals, fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 0, max: 100_000 }), (steps, a, b) => {
        const { visit, lastAt } = play(steps)
        expect(visibleMsAt(visit, lastAt + a + b)).toBeGreaterThanOrEqual(visibleMsAt(visit, lastAt + a))
      }),
    )
  })

  it('dwell: a real 11 s visit reaches 10 s at the 10 s mark on the server clock, before its first heartbeat', () => {
    // The script sends the page view, then its first heartbeat only at 15 s; this visitor leaves at 11 s.
    const visit = open()
    expect(HEARTBEAT_MS).toBeGreaterThan(11_000)
    expect(thresholdAt(visit, 10_000)).toBe(T0 + 10_000)
    expect(visibleMsAt(visit, T0 + 9_999)).toBe(9_999)
    expect(visibleMsAt(visit, T0 + 10_000)).toBe(10_000)
    const left = applySignal(visit, 'leave', 11_000, T0 + 11_040)
    expect(visibleMsAt(left, T0 + 60_000)).toBe(11_000)
  })

  it("dwell: a forged figure in the page view's own batch buys no time, and stops the server crediting any", () => {
    for (const state of states) {
      const forged = applySignal(open(), state, 600_000, T0)
      expect(visibleMsAt(forged, T0)).toBe(0)
      expect(visibleMsAt(forged, T0 + 3_600_000)).toBe(0)
      expect(thresholdAt(forged, 10_000)).toBeNull()
      // Sent twice, or again later with the same figure: still nothing.
      const again = applySignal(applySignal(forged, state, 600_000, T0), 'heartbeat', 600_000, T0 + 20_000)
      expect(thresholdAt(again, 30_000)).toBeNull()
      expect(visibleMsAt(again, T0 + 3_600_000)).toBe(state === 'leave' ? 0 : 20_000)
    }
  })

  it("dwell: a figure a few seconds ahead (the page view's own network delay) still counts between heartbeats", () => {
    const visit = applySignal(open(), 'heartbeat', 15_000 + CLOCK_SLACK_MS, T0 + 15_000)
    expect(visit.visibleMs).toBe(15_000)
    expect(thresholdAt(visit, 20_000)).toBe(T0 + 20_000)
    const ahead = applySignal(open(), 'heartbeat', 15_001 + CLOCK_SLACK_MS, T0 + 15_000)
    expect(thresholdAt(ahead, 20_000)).toBeNull()
    // The next heartbeat that agrees with the server's clock counts again.
    const back = applySignal(ahead, 'heartbeat', 30_000, T0 + 30_000)
    expect(thresholdAt(back, 40_000)).toBe(T0 + 40_000)
  })

  it('dwell: a page that stops signalling is credited at most the heartbeat window after its last signal', () => {
    const visit = applySignal(open(), 'heartbeat', 20_000, T0 + 20_000)
    expect(visibleMsAt(visit, T0 + 20_000 + HEARTBEAT_WINDOW_MS)).toBe(20_000 + HEARTBEAT_WINDOW_MS)
    expect(visibleMsAt(visit, T0 + 3_600_000)).toBe(20_000 + HEARTBEAT_WINDOW_MS)
    expect(thresholdAt(visit, 20_000 + HEARTBEAT_WINDOW_MS + 1)).toBeNull()
  })

  it('dwell: hidden time is not credited, and the page counts again once visible', () => {
    const hidden = applySignal(open(), 'hidden', 12_000, T0 + 12_000)
    expect(visibleMsAt(hidden, T0 + 22_000)).toBe(12_000)
    expect(thresholdAt(hidden, 15_000)).toBeNull()
    const shown = applySignal(hidden, 'visible', 12_000, T0 + 22_000)
    expect(thresholdAt(shown, 15_000)).toBe(T0 + 25_000)
  })

  it('dwell: a signal overtaken by a newer one updates the figure but not the state', () => {
    const hidden = applySignal(open(), 'hidden', 8_000, T0 + 8_000)
    const late = applySignal(hidden, 'heartbeat', 7_000, T0 + 7_000)
    expect(late.counting).toBe(false)
    expect(late.lastSignalAt).toBe(T0 + 8_000)
    expect(late.visibleMs).toBe(8_000)
  })
})
