// SMTP down for 150 s while 5 contacts cross the threshold (issue 13 measured 0 of 5 arriving).
// Real time: the gate closes the SMTP port (connection refused) just before the page views and
// opens it 150 s later; the queue's own delayed retries carry every attempt, nothing is driven.
import { seconds, waitUntil, type FaultCase } from '../fault-case'
import { waitForLane } from '../lane-mail'

const OUTAGE_MS = 150_000

export const smtpDown150s: FaultCase = {
  id: 'smtp-down-150s',
  title: 'SMTP down 150 s',
  fault: 'SMTP port closed (connection refused) for 150 s from just before 5 contacts reach the threshold; real time',
  async run({ stack, lane, visitor }) {
    const visitors = Array.from({ length: 5 }, (_, i) => visitor(`outage${i}`))
    for (const v of visitors) await v.identify()
    await stack.gate.set('down')
    const downAt = Date.now()
    stack.note('SMTP down')
    for (const v of visitors) await v.viewPricing()
    await waitUntil(downAt + OUTAGE_MS)
    await stack.gate.set('up')
    stack.note('SMTP up')
    const emails = visitors.map((v) => v.email)
    // The schedule retries at 10, 40, 100 and 220 s after the first attempt (~10 s after the views).
    await waitForLane(stack.sink, lane, emails, downAt + 330_000)
    const rows = await stack.outbox(lane.alertId)
    const notes: string[] = []
    const problems: string[] = []
    const sentOn = rows.map((r) => r.attempts.find((a) => a.outcome === 'sent'))
    const firsts = rows.map((r) => r.attempts[0]?.at ?? 0)
    if (rows.length && sentOn.every(Boolean)) {
      const attempts = [...new Set(sentOn.map((a) => a!.attempt))].join('/')
      const after = rows.map((r, i) => (r.sentAt ?? 0) - firsts[i]!)
      notes.push(
        `first attempts ${seconds(Math.min(...firsts) - downAt)} into the outage, refused; sent on attempt ${attempts}, ` +
          `${seconds(Math.min(...after))}–${seconds(Math.max(...after))} after the first (schedule: 3 min 40 s)`,
      )
    }
    if (rows.some((r) => r.status === 'failed')) problems.push('an outbox row went `failed` during a 150 s outage')
    return { expect: emails, notes, problems }
  },
}
