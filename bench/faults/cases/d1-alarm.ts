// D1 failing inside the alarm. At the threshold the contact's alarm reads the site's rules
// version from D1 (sites ⋈ workspaces) before deciding. Right after the page views, another
// process renames `workspaces` in the running stack's local D1 (`wrangler d1 execute --local`),
// so every statement on it fails with a D1 error, and renames it back 25 s later. The alarm
// must keep its check and retry it (5 s, 10 s, 20 s ...) until D1 answers, then fire once.
import { seconds, waitUntil, type FaultCase } from '../fault-case'
import { LANE_MIN_SECONDS } from '../fixture'
import { arrivals, waitForLane } from '../lane-mail'

const OUTAGE_MS = 25_000

export const d1Alarm: FaultCase = {
  id: 'd1-alarm',
  title: 'D1 failing inside the alarm',
  fault: '`workspaces` renamed away in the running local D1 from the page views until 25 s later',
  async run({ stack, lane, visitor }) {
    const visitors = [visitor('alarmd1a'), visitor('alarmd1b')]
    for (const v of visitors) await v.identify()
    const mark = stack.logMark()
    const views = []
    for (const v of visitors) views.push(await v.viewPricing())
    const viewedAt = views[0]!.at
    await stack.d1('ALTER TABLE workspaces RENAME TO workspaces_faults_off')
    const problems: string[] = []
    const renamedAfter = Date.now() - viewedAt
    if (renamedAfter >= LANE_MIN_SECONDS * 1000)
      problems.push(`D1 was made to fail only ${seconds(renamedAfter)} after the page views: too late to hit the alarm`)
    await waitUntil(viewedAt + OUTAGE_MS)
    await stack.d1('ALTER TABLE workspaces_faults_off RENAME TO workspaces')
    const back = Date.now()
    const emails = visitors.map((v) => v.email)
    await waitForLane(stack.sink, lane, emails, back + 90_000)
    const failures = stack.logCount(/scheduled evaluate failed/, mark)
    if (failures === 0) problems.push('the worker log shows no failed alarm check: the case did not test a D1 failure')
    return {
      expect: emails,
      notes: [
        `D1 failing from ${seconds(renamedAfter)} to ${seconds(back - viewedAt)} after the views; ${failures} alarm checks failed (worker log); ` +
          `alerts arrived ${arrivals(stack.sink, lane, viewedAt).map(seconds).join(', ')} after the views`,
      ],
      problems,
    }
  },
}
