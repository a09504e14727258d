// The forged batch of issue 13: without a browser, one POST with an `identify` of a new e-mail,
// a page view of the pricing page and an `engage` claiming 600 s of visible time. The server
// credits only time it saw pass, so nothing may fire: the case watches for 45 s (past the 35 s
// a silent page is credited) and checks the sink and the outbox.
import { waitUntil, type FaultCase } from '../fault-case'
import { newId } from '../visitor'

const WATCH_MS = 45_000

export const forgedBatch: FaultCase = {
  id: 'forged-batch',
  title: 'forged batch',
  fault: 'one POST: identify (new e-mail) + pricing page view + engage visibleMs 600000',
  async run({ stack, lane, visitor }) {
    const v = visitor('forged')
    const visit = newId('visit')
    const sentAt = Date.now()
    const answer = await v.send([
      { id: newId('evt'), type: 'identify', email: v.email },
      { id: newId('evt'), type: 'pageview', visit, url: lane.pricingUrl, title: 'Pricing' },
      { id: newId('evt'), type: 'engage', visit, state: 'heartbeat', visibleMs: 600_000 },
    ])
    await waitUntil(sentAt + WATCH_MS)
    const rows = await stack.outbox(lane.alertId)
    return {
      expect: [],
      notes: [`collect answered ${answer.body}; after ${WATCH_MS / 1000} s: ${rows.length} outbox rows`],
      problems: rows.length ? [`${rows.length} outbox rows for the forged batch`] : [],
    }
  },
}
