// The worker process killed mid-visit: 3 contacts are on the pricing page when wrangler dev and
// workerd get SIGKILL, 5 s into their visits (before their 10 s threshold); wrangler dev starts
// again on the same state folder. The visitors send nothing more: the objects' alarms, stored
// with their state, must fire after the restart, once each.
import { seconds, waitUntil, type FaultCase } from '../fault-case'
import { arrivals, waitForLane } from '../lane-mail'

export const killedMidVisit: FaultCase = {
  id: 'killed-mid-visit',
  title: 'worker killed mid-visit',
  fault: 'wrangler dev + workerd SIGKILLed 5 s into 3 visits, restarted on the same state',
  async run({ stack, lane, visitor }) {
    const visitors = [visitor('killed0'), visitor('killed1'), visitor('killed2')]
    for (const v of visitors) await v.identify()
    const views = []
    for (const v of visitors) views.push(await v.viewPricing())
    const viewedAt = views[0]!.at
    await waitUntil(viewedAt + 5_000)
    await stack.killWorker()
    const killedAt = Date.now()
    await stack.startWorker()
    const upAt = Date.now()
    const emails = visitors.map((v) => v.email)
    await waitForLane(stack.sink, lane, emails, upAt + 60_000)
    return {
      expect: emails,
      notes: [
        `killed ${seconds(killedAt - viewedAt)} into the visits, serving again at ${seconds(upAt - viewedAt)}; ` +
          `alerts arrived ${arrivals(stack.sink, lane, viewedAt).map(seconds).join(', ')} after the views`,
      ],
      problems: [],
    }
  },
}
