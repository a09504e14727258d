// What makes an in-process timing repeatable: the same pseudo-random inputs on every run, and a
// collected heap before each measurement, so one does not pay for the garbage of another.
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'

setFlagsFromString('--expose-gc')
const gc: unknown = runInNewContext('gc')
const isThunk = (f: unknown): f is () => void => typeof f === 'function'
if (!isThunk(gc)) throw new Error('--expose-gc did not take effect: no gc() to call between timings')

export const collectGarbage: () => void = gc

/** A small deterministic PRNG: `random(seed)(n)` is an integer in [0, n). */
export function random(seed: number): (n: number) => number {
  let s = seed >>> 0
  return (n) => {
    s = (s * 1664525 + 1013904223) >>> 0
    return s % n
  }
}
