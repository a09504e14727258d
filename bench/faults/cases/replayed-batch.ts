// A replayed batch: the same events (same ids) sent again, as a retrying script or someone
// replaying captured traffic does. The batch identifies the visitor and opens the pricing page;
// it is sent three times at once, once more under another visitor id (the contact's own ledger
// must catch it, not only the visitor's shard), and once more after the alert fired. The lane
// allows 10 alerts per contact and day, so it is the dedupe, not the frequency limit, that must
// hold this to one alert.
import type { FaultCase } from '../fault-case'
import { waitForLane } from '../lane-mail'
import { newId } from '../visitor'

export const replayedBatch: FaultCase = {
  id: 'replayed-batch',
  title: 'replayed batch',
  fault: 'one batch (identify + pricing page view) sent 3 times, again under another visitor id, again after the alert',
  lane: { perDay: 10 },
  async run({ stack, lane, visitor }) {
    const v = visitor('replayed')
    const batch = [...v.identifyEvents(), v.pricingView().event]
    const answers = [await v.send(batch), await v.send(batch), await v.send(batch), await v.send(batch, newId('visitor'))]
    await waitForLane(stack.sink, lane, [v.email], Date.now() + 60_000)
    answers.push(await v.send(batch))
    return {
      expect: [v.email],
      notes: [`collect answered ${answers.map((a) => a.body).join(', ')}`],
      problems: [],
    }
  },
}
