// What a fault case is: a lane of its own (fixture.ts), a fault made on purpose against a running
// stack, and the contacts that must each get exactly one alert. The runner counts the alerts at
// the SMTP sink once everything has settled; a case adds what it saw on the way (notes) and any
// check beyond the count that failed (problems).
import type { FaultStack } from './fault-stack'
import type { Lane, LaneOptions } from './fixture'
import type { LaneCount } from './lane-mail'
import type { Visitor } from './visitor'

export type CaseContext = {
  stack: FaultStack
  lane: Lane
  /** A new visitor of the lane's site; `name` becomes part of its e-mail. */
  visitor: (name: string) => Visitor
}

export type CaseReport = {
  /** E-mails of the contacts that must get one alert each (none for a case that must fire nothing). */
  expect: string[]
  notes: string[]
  problems: string[]
  /** Run once the counts are final, for checks that need them (e.g. who the message went to). */
  finalCheck?: (count: LaneCount) => Promise<string[]> | string[]
}

export type FaultCase = {
  id: string
  title: string
  /** How the fault is made, in a few words, for the table. */
  fault: string
  lane?: LaneOptions
  run(context: CaseContext): Promise<CaseReport>
}

export type CaseResult = {
  id: string
  title: string
  fault: string
  expected: number
  /** Distinct alerts that arrived at the SMTP sink. */
  delivered: number
  duplicated: number
  notes: string[]
  problems: string[]
  ok: boolean
}

export const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`

export const waitUntil = (at: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, at - Date.now())))

/** Polls `probe` until it returns a value, or throws with `what` at the deadline. */
export async function pollUntil<T>(what: string, deadline: number, probe: () => Promise<T | null> | T | null): Promise<T> {
  for (;;) {
    const value = await probe()
    if (value !== null) return value
    if (Date.now() >= deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
}
