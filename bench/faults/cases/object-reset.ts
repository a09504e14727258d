// The contact object reset between reserving an alert and queueing it. The object writes the
// reservation (its job, under the alert key) and then sends the job to the queue; a reset in
// between (an eviction, a deploy, a crash of the machine) leaves a reservation that is not
// queued, no message and no outbox row. That instant is too short to hit with a kill, so the
// case builds exactly that state from a real run:
//  1. `alert_deliveries` is renamed away in the local D1, so the consumer cannot record the job
//     it receives and asks the queue to retry it: the job exists only as a queue message;
//  2. two contacts reach the threshold; their objects reserve and queue their alerts; the
//     consumer fails on both (worker log);
//  3. wrangler dev is killed: the local queue keeps messages in memory, so both messages are gone;
//  4. `alert_deliveries` is renamed back, and in each object (through the runtime's storage API,
//     bench/faults/object-surgeon) the reservation is set back to "not queued" and the alarm set
//     to run again shortly, as the runtime retries an alarm that did not finish: now each object
//     holds what a reset inside its alarm, just before the send, leaves;
//  5. wrangler dev starts again. Visitor A is still on the page and sends its next heartbeat;
//     visitor B has left and sends nothing. Both alerts must arrive, once.
import { pollUntil, seconds, waitUntil, type FaultCase } from '../fault-case'
import { waitForLane } from '../lane-mail'

const UNRECORDED = /delivery failed before an outcome was recorded/
/** When the interrupted alarm runs again: after the restart (about 8 s), before A's heartbeat. */
const ALARM_AGAIN_MS = 20_000

export const objectReset: FaultCase = {
  id: 'object-reset',
  title: 'contact object reset between reservation and queueing',
  fault: 'reservation written, job never queued (built from a real run: queue message lost by a kill, `queued` flag unset)',
  async run({ stack, lane, visitor }) {
    const stays = visitor('resetstays')
    const leaves = visitor('resetleaves')
    const visitors = [stays, leaves]
    for (const v of visitors) await v.identify()
    await stack.d1('ALTER TABLE alert_deliveries RENAME TO alert_deliveries_faults_off')
    const mark = stack.logMark()
    const views = []
    for (const v of visitors) views.push(await v.viewPricing())
    await pollUntil('the consumer failing to record both jobs', Date.now() + 60_000, () =>
      stack.logCount(UNRECORDED, mark) >= visitors.length ? true : null,
    )
    const emails = visitors.map((v) => v.email)
    const contacts = await stack.d1<{ id: string; email: string }>(
      `SELECT id, email FROM contacts WHERE email IN (${emails.map((e) => `'${e}'`).join(', ')})`,
    )
    await stack.killWorker()
    await stack.d1('ALTER TABLE alert_deliveries_faults_off RENAME TO alert_deliveries')
    const reset = await stack.objectSql(
      contacts.map((c) => ({
        contactId: c.id,
        query: 'UPDATE reservations SET queued = 0 RETURNING alert_key',
        alarmInMs: ALARM_AGAIN_MS,
      })),
    )
    const reservations = reset.flat().length
    const problems = reservations === visitors.length ? [] : [`expected ${visitors.length} reservations to reset, found ${reservations}`]
    const resetAt = Date.now()
    await stack.startWorker()
    const upAt = Date.now()
    // A's page sends its heartbeat once the objects' alarms have run again.
    await waitUntil(resetAt + ALARM_AGAIN_MS + 5_000)
    const stayed = views[0]!
    await stays.heartbeat(stayed.visit, Date.now() - stayed.at)
    const heartbeatAt = Date.now()
    await waitForLane(stack.sink, lane, emails, heartbeatAt + 30_000)
    return {
      expect: emails,
      notes: [
        `${reservations} reservations left unqueued with no message and no outbox row; serving again after ${seconds(upAt - resetAt)}; ` +
          `alarms run again; A's heartbeat ${seconds(heartbeatAt - upAt)} after the restart, B silent`,
      ],
      problems,
      finalCheck: ({ missing }) =>
        missing.includes(leaves.email)
          ? ['B (no further event) never alerted: its reservation stays unqueued (docs/reliability.md, "What the suite found")']
          : [],
    }
  },
}
