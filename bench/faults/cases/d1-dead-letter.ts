// D1 failing inside the dead-letter consumer. The stack runs the dead-letter config (the alerts
// queue's max_retries lowered to 2, so a message is dead-lettered after ~40 s rather than days).
// `alert_deliveries` is renamed away before two contacts reach the threshold: the consumer cannot
// write their outbox rows, the queue's retries run out, the jobs land in the dead-letter queue,
// and its consumer finds D1 failing too. Once it has failed twice, the table is renamed back:
// its next retry must create each row from the job (the job never reached the outbox), and the
// sweeper (driven 16 min ahead) queues it; the alert is then sent once.
import { pollUntil, type FaultCase } from '../fault-case'
import { waitForLane } from '../lane-mail'

const DEAD_LETTER_FAILED = /dead letter not recorded/
const MOVED = /to dead letter queue "pagebell-alerts-dlq"/
const SWEEP_AHEAD_MS = 16 * 60_000

export const d1DeadLetter: FaultCase = {
  id: 'd1-dead-letter',
  title: 'D1 failing inside the dead-letter consumer',
  fault: '`alert_deliveries` renamed away until the dead-letter consumer failed twice (queue max_retries 2 for this case)',
  async run({ stack, lane, visitor }) {
    await stack.killWorker()
    await stack.startWorker({ deadLetter: true })
    const visitors = [visitor('deadletter0'), visitor('deadletter1')]
    for (const v of visitors) await v.identify()
    await stack.d1('ALTER TABLE alert_deliveries RENAME TO alert_deliveries_faults_off')
    const mark = stack.logMark()
    for (const v of visitors) await v.viewPricing()
    await pollUntil('the dead-letter consumer failing twice on each job', Date.now() + 180_000, () =>
      stack.logCount(DEAD_LETTER_FAILED, mark) >= 2 * visitors.length ? true : null,
    )
    await stack.d1('ALTER TABLE alert_deliveries_faults_off RENAME TO alert_deliveries')
    const rows = await pollUntil('the dead-letter consumer writing the rows', Date.now() + 120_000, async () => {
      const found = await stack.outbox(lane.alertId)
      return found.length >= visitors.length ? found : null
    })
    await stack.sweep(Date.now() + SWEEP_AHEAD_MS)
    const emails = visitors.map((v) => v.email)
    await waitForLane(stack.sink, lane, emails, Date.now() + 60_000)
    return {
      expect: emails,
      notes: [
        `${stack.logCount(MOVED, mark)} jobs dead-lettered, the dead-letter consumer failed ${stack.logCount(DEAD_LETTER_FAILED, mark)} times; ` +
          `then it created each row from its job ("${[...new Set(rows.map((r) => r.attempts.at(-1)?.detail ?? ''))].join('; ')}"), and a sweep queued them`,
      ],
      problems: [],
    }
  },
}
