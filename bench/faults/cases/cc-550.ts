// 550 for one CC: the lane's alert copies a valid address and one the SMTP server refuses at
// RCPT TO with 550 (the sink refuses any `reject-…@`, like an unknown mailbox). The owner and
// the valid CC must still get the alert, once; the refused one is recorded with the reply.
import type { FaultCase } from '../fault-case'
import { waitForLane } from '../lane-mail'

const REFUSED = 'reject-cc@faults.test'
const KEPT = 'cc-kept@faults.test'

export const cc550: FaultCase = {
  id: 'cc-550',
  title: '550 for one CC',
  fault: `the alert's CC list has ${REFUSED}, refused with 550 at RCPT TO`,
  lane: { cc: `${KEPT}, ${REFUSED}` },
  async run({ stack, lane, visitor }) {
    const visitors = [visitor('refusedcc0'), visitor('refusedcc1')]
    for (const v of visitors) await v.identify()
    for (const v of visitors) await v.viewPricing()
    const emails = visitors.map((v) => v.email)
    await waitForLane(stack.sink, lane, emails, Date.now() + 60_000)
    const rows = await stack.outbox(lane.alertId)
    const refused = rows.map((r) => r.recipientOutcomes.find((o) => o.address === REFUSED))
    return {
      expect: emails,
      notes: [
        `rows ${[...new Set(rows.map((r) => r.status))].join('/')}; ${REFUSED}: ` +
          `${[...new Set(refused.map((o) => `${o?.status ?? 'missing'}${o?.error && /550/.test(o.error) ? ' (550 recorded)' : ''}`))].join('/')}`,
      ],
      problems: refused.every((o) => o?.status === 'failed') ? [] : [`${REFUSED} is not recorded as refused on every row`],
      finalCheck: ({ messages }) =>
        messages.flatMap((m) => {
          const to = m.envelopeTo.map((a) => a.toLowerCase())
          const missing = [lane.ownerEmail, KEPT].filter((a) => !to.includes(a))
          return [
            ...(missing.length ? [`message ${m.headers['x-pagebell-alert-key']} did not go to ${missing.join(', ')}`] : []),
            ...(to.includes(REFUSED) ? [`message ${m.headers['x-pagebell-alert-key']} names the refused CC in its envelope`] : []),
          ]
        }),
    }
  },
}
