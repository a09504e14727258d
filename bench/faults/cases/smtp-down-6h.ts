// SMTP down for 6 hours, in about half a minute. The SMTP port stays closed while the outbox
// sweeper is driven through six hours of its clock: `/cdn-cgi/handler/scheduled?time=T` for T
// every 20 minutes. A sweep at T queues again each pending row whose next attempt is more than
// 15 minutes before T, and the consumer tries it at once (refused). The consumer schedules the
// next attempt on its own clock, which moves only seconds during the case, so every sweep finds
// every row due: 18 attempts in the 6 simulated hours, more than the 11 the schedule makes (a
// harsher test for duplicates, not a replay of the schedule). The queue's own delayed retries
// ask for real seconds to hours and mostly never come within the run. After T = 6 h the port
// opens and one more sweep delivers. Not simulated: the 24 h window, measured from the real
// first attempt (test/workers/delivery/outage-retries.test.ts drives that clock to the mark).
import { pollUntil, type FaultCase } from '../fault-case'
import type { Delivery } from '../fault-stack'
import { waitForLane } from '../lane-mail'

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const STEP = 20 * MINUTE
const GRACE = 15 * MINUTE
const OUTAGE = 6 * HOUR

const failedAttempts = (r: Delivery) => r.attempts.filter((a) => a.outcome === 'retry').length

export const smtpDown6h: FaultCase = {
  id: 'smtp-down-6h',
  title: 'SMTP down 6 hours',
  fault: 'SMTP port closed; the sweeper driven through 6 h of its clock in 20-min steps (`?time=`), then the port opens',
  async run({ stack, lane, visitor }) {
    const visitors = Array.from({ length: 5 }, (_, i) => visitor(`sixhours${i}`))
    for (const v of visitors) await v.identify()
    await stack.gate.set('down')
    stack.note('SMTP down')
    for (const v of visitors) await v.viewPricing()
    const emails = visitors.map((v) => v.email)
    const outbox = () => stack.outbox(lane.alertId)
    const first = await pollUntil('a first failed attempt of every alert', Date.now() + 60_000, async () => {
      const rows = await outbox()
      return rows.length === emails.length && rows.every((r) => failedAttempts(r) > 0) ? rows : null
    })
    const start = Math.min(...first.map((r) => r.createdAt))

    let sweeps = 0
    for (let at = start + STEP; at <= start + OUTAGE; at += STEP) {
      const before = await outbox()
      const due = new Map(
        before
          .filter((r) => r.status === 'pending' && (r.nextAttemptAt ?? Infinity) < at - GRACE)
          .map((r) => [r.alertKey, failedAttempts(r)]),
      )
      await stack.sweep(at)
      sweeps++
      // Each row the sweep queued is tried at once; wait for that attempt before the clock moves on.
      await pollUntil(`the attempts a sweep at +${(at - start) / MINUTE} min queued`, Date.now() + 30_000, async () => {
        const rows = await outbox()
        return rows.every((r) => !due.has(r.alertKey) || failedAttempts(r) > due.get(r.alertKey)!) ? true : null
      })
    }
    const afterOutage = await outbox()
    const problems: string[] = []
    const notes: string[] = []
    const attempts = afterOutage.map(failedAttempts)
    notes.push(
      `${sweeps} sweeps over 6 h: ${[...new Set([Math.min(...attempts), Math.max(...attempts)])].join('–')} refused attempts per alert, ` +
        `every row still \`${[...new Set(afterOutage.map((r) => r.status))].join('/')}\``,
    )
    if (afterOutage.some((r) => r.status !== 'pending')) problems.push('a row left `pending` during the 6 h outage')

    await stack.gate.set('up')
    stack.note('SMTP up')
    const back = start + OUTAGE + STEP
    await stack.sweep(back)
    const count = await waitForLane(stack.sink, lane, emails, Date.now() + 60_000)
    const rows = await outbox()
    const sentOn = rows.map((r) => r.attempts.find((a) => a.outcome === 'sent')?.attempt).filter(Boolean)
    notes.push(`port open, sweep at +6 h 20 min: ${count.alerts} sent, on attempt ${[...new Set(sentOn)].join('/')}`)
    return { expect: emails, notes, problems }
  },
}
