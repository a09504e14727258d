// SMTP answering 451 (a temporary refusal, as a greylisting or overloaded server gives): the
// sink's own fault injection refuses the next 4 messages to the lane's owner at the end of DATA,
// so each of the 2 alerts is refused twice and retried on the schedule (10 s, then 30 s).
import { pollUntil, type FaultCase } from '../fault-case'
import { httpRequest } from '../http-request'
import { waitForLane } from '../lane-mail'

const REFUSALS = 4

export const smtp451: FaultCase = {
  id: 'smtp-451',
  title: 'SMTP answering 451',
  fault: `the SMTP server answers 451 to the next ${REFUSALS} messages for the lane's owner`,
  async run({ stack, lane, visitor }) {
    const faults = `http://127.0.0.1:${stack.sink.httpPort}/faults`
    const setFault = async (body: unknown) => {
      const answer = await httpRequest(faults, { method: 'POST', body: JSON.stringify(body) })
      if (answer.status !== 200) throw new Error(`mail sink /faults answered ${answer.status}: ${answer.body}`)
    }
    const visitors = [visitor('greylisted0'), visitor('greylisted1')]
    for (const v of visitors) await v.identify()
    await setFault({ code: 451, count: REFUSALS, to: lane.ownerEmail })
    for (const v of visitors) await v.viewPricing()
    const emails = visitors.map((v) => v.email)
    await waitForLane(stack.sink, lane, emails, Date.now() + 120_000)
    await setFault(null)
    const rows = await pollUntil('the outbox rows', Date.now() + 10_000, async () => {
      const found = await stack.outbox(lane.alertId)
      return found.length ? found : null
    })
    const refused = rows.flatMap((r) => r.attempts.filter((a) => a.outcome === 'retry'))
    const replies = [...new Set(refused.map((a) => /\b451\b/.test(a.detail)))]
    return {
      expect: emails,
      notes: [
        `${refused.length} attempts refused with ${replies.every(Boolean) ? '451 (the reply is in each attempt)' : 'other errors'}, ` +
          `each alert sent on attempt ${[...new Set(rows.map((r) => r.attempts.find((a) => a.outcome === 'sent')?.attempt))].join('/')}`,
      ],
      problems: refused.length === REFUSALS ? [] : [`expected ${REFUSALS} refused attempts in the outbox, found ${refused.length}`],
    }
  },
}
