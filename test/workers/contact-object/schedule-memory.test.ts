// The schedule keeps its pending due times in memory so that repeated asks cost no SQL. Whatever
// the sequence of asks, cancels, failures and due-takes, what it answers from memory must be what
// its table holds, and a fresh instance reading the table must answer the same.
import { env, runInDurableObject } from 'cloudflare:test'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { contactStub } from '../../../durable-objects/contact-stub'
import { Schedule } from '../../../durable-objects/schedule'

type Op =
  | { op: 'at'; key: string; dueAt: number }
  | { op: 'cancel'; key: string }
  | { op: 'failed'; key: string; now: number }
  | { op: 'takeDue'; now: number }

const key = fc.constantFrom('evaluate', 'purge', 'flush-pages', 'campaign-step:a', 'campaign-step:b')
const time = fc.integer({ min: 0, max: 1_000 })
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('at' as const), key, dueAt: time }),
  fc.record({ op: fc.constant('cancel' as const), key }),
  fc.record({ op: fc.constant('failed' as const), key, now: time }),
  fc.record({ op: fc.constant('takeDue' as const), now: time }),
)

function apply(schedule: Schedule, o: Op): void {
  if (o.op === 'at') schedule.at(o.key, 'kind', o.dueAt)
  else if (o.op === 'cancel') schedule.cancel(o.key)
  else if (o.op === 'failed')
    schedule.failed({ key: o.key, kind: 'kind', firstDueAt: o.now, payload: null, attempts: 0 }, new Error('x'), o.now)
  else schedule.takeDue(o.now)
}

describe('contact object: the schedule kept in memory', () => {
  it('answers the earliest entry and what is pending exactly as its table holds them, after any sequence of changes', async () => {
    const stub = contactStub(env, 'schedule-memory-probe')
    await runInDurableObject(stub, (_, state) => {
      const table = () =>
        new Map(
          state.storage.sql
            .exec<{ key: string; due_at: number }>('SELECT key, due_at FROM schedule')
            .toArray()
            .map((r) => [r.key, r.due_at]),
        )
      fc.assert(
        fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
          state.storage.sql.exec('DELETE FROM schedule')
          const schedule = new Schedule(state.storage)
          for (const o of ops) {
            apply(schedule, o)
            const rows = table()
            const min = rows.size ? Math.min(...rows.values()) : null
            expect(schedule.earliest()).toBe(min)
            for (const k of ['evaluate', 'purge', 'flush-pages', 'campaign-step:a', 'campaign-step:b']) {
              expect(schedule.isPending(k)).toBe(rows.has(k))
            }
          }
          // A new instance reads the table: it answers as the one that wrote it.
          expect(new Schedule(state.storage).earliest()).toBe(schedule.earliest())
        }),
        { numRuns: 200 },
      )
    })
  })
})
