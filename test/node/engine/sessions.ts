// Random visitor sessions for the engine properties: page views, visibility signals and alarms,
// often at the same instant (two tabs), mostly seconds apart, sometimes hours or days, so
// sessions cross local days and weeks.
import fc from 'fast-check'
import type { VisibilitySignal } from '../../../durable-objects/rules/dwell'

export type Step =
  | { type: 'open'; path: string; dt: number }
  | { type: 'signal'; visit: number; state: VisibilitySignal; addMs: number; dt: number }
  | { type: 'alarm'; dt: number }

export const paths = ['/pricing', '/pricing/team', '/video', '/blog']

const dt = fc.oneof(
  { weight: 2, arbitrary: fc.constant(0) },
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 40_000 }) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 3 * 86_400_000 }) },
)

export const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ type: fc.constant('open' as const), path: fc.constantFrom(...paths), dt }),
  fc.record({
    type: fc.constant('signal' as const),
    visit: fc.nat(),
    state: fc.constantFrom<VisibilitySignal>('visible', 'hidden', 'heartbeat', 'leave'),
    addMs: fc.integer({ min: 0, max: 30_000 }),
    dt,
  }),
  fc.record({ type: fc.constant('alarm' as const), dt }),
)
