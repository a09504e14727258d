// Load, reconciled: 12,000 requests at 100 a second through the real `POST /api/collect` under
// `wrangler dev`, over 1,000 contacts chosen Zipf-like, then four counts compared: what got a 2xx,
// what the contact objects stored (REST timelines), the alerts the pure engine expects from the
// same accepted page views, and the alert e-mails the SMTP sink received. Lost and duplicated
// alerts must both be 0, or the bench exits non-zero.
// Run: npx tsx bench/load-reconciled.ts [--write] (or `npm run bench -- load`). Bounded: ~2 minutes
// of sending, then up to DELIVERY_DEADLINE_MS for the e-mails. --write puts the table into
// docs/benchmarks.md, dated by the run.
import { appendFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { join } from 'node:path'
import { DEMO } from '../worker/demo/demo-data'
import { RUN_DATE, writeBenchmarkSection } from './support/doc-section'
import { countDelivered, type Delivered } from './load/delivered'
import { expectedAlerts, type AcceptedPageview, type Expectation } from './load/expected'
import { BENCH_PATTERN, PER_DAY, planLoad } from './load/plan'
import { sendPaced, type Answer } from './load/send'
import { VARS, startBenchStack } from './load/stack'
import { readStored, type StoredCounts } from './load/stored'

const WRITE = process.argv.includes('--write')
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 12_000)
const PER_SECOND = 100
const CONTACTS = Number(process.env.BENCH_CONTACTS ?? 1_000)
const SEED = 13
/** One page view in five is on the alert's pages: about 1,500 alerts, which local delivery drains in minutes. */
const MATCHING_SHARE = 0.2
/** How long after the last request the e-mails may take to arrive. */
const DELIVERY_DEADLINE_MS = 300_000
/**
 * Once every expected e-mail is in, the sink is watched this much longer, so a message sent twice
 * (a retry after a lost acknowledgement, a redelivered queue batch) is counted, not missed.
 */
const SETTLE_MS = 15_000

async function waitForMail(count: () => number, expected: number): Promise<number> {
  const deadline = Date.now() + DELIVERY_DEADLINE_MS
  let reachedAt: number | null = null
  for (;;) {
    const now = Date.now()
    if (reachedAt === null && count() >= expected) reachedAt = now
    if (reachedAt !== null && now - reachedAt >= SETTLE_MS) break
    if (now >= deadline) break
    await new Promise((r) => setTimeout(r, 1_000))
  }
  return (reachedAt ?? Date.now()) - (deadline - DELIVERY_DEADLINE_MS)
}

type Result = {
  answers: Answer[]
  events: number
  sendSeconds: number
  expected: Expectation
  delivered: Delivered
  stored: StoredCounts
  acceptedPageviews: number
  lost: number
  extra: number
  duplicates: number
  deliverySeconds: number
}

async function main() {
  const plan = planLoad({ requests: REQUESTS, contacts: CONTACTS, seed: SEED, matchingShare: MATCHING_SHARE })
  const logFile = join(process.env.TMPDIR ?? '/tmp', `pagebell-load-bench-${process.pid}.log`)
  const stack = await startBenchStack((line) => appendFileSync(logFile, line))
  console.log(`stack up at ${stack.baseUrl}, bench alert ${stack.alertId}; wrangler log in ${logFile}`)
  try {
    const started = performance.now()
    const answers = await sendPaced(stack.baseUrl, plan.requests, PER_SECOND)
    const sendSeconds = (performance.now() - started) / 1000

    const accepted: AcceptedPageview[] = []
    const sentUrls = new Map<number, string[]>()
    plan.requests.forEach((request, i) => {
      const answer = answers[i]!
      if (answer.status < 200 || answer.status >= 300 || answer.capped || !request.pageview) return
      accepted.push({ contact: request.contact, ...request.pageview, at: answer.sentAt })
    })
    // Per contact, its accepted page views in the order the server stored them (as answered).
    const byAnswer = plan.requests
      .map((request, i) => ({ request, answer: answers[i]! }))
      .sort((a, b) => a.answer.answeredAt - b.answer.answeredAt)
    for (const { request, answer } of byAnswer) {
      if (answer.status < 200 || answer.status >= 300 || answer.capped || !request.pageview) continue
      sentUrls.set(request.contact, [...(sentUrls.get(request.contact) ?? []), request.pageview.url])
    }
    const rule = {
      id: stack.alertId,
      kind: 'alert' as const,
      pages: [{ pattern: BENCH_PATTERN, minSeconds: 0 }],
      limit: { count: PER_DAY, period: 'day' as const },
    }
    const expected = expectedAlerts(rule, DEMO.workspace, accepted)
    console.log(`sent in ${sendSeconds.toFixed(0)} s; the engine expects ${expected.alerts} alerts (${expected.held} held)`)

    const deliveryMs = await waitForMail(() => countDelivered(stack.sink.messages, stack.alertId).messages, expected.alerts)
    const delivered = countDelivered(stack.sink.messages, stack.alertId)
    const stored = await readStored(stack.api, plan.emailOf, CONTACTS, sentUrls)

    let lost = 0
    let extra = 0
    const byContact = new Map([...stored.contactIds].map(([id, k]) => [k, delivered.perContact.get(id) ?? 0]))
    for (let k = 0; k < CONTACTS; k++) {
      const want = expected.perContact.get(k) ?? 0
      const got = byContact.get(k) ?? 0
      lost += Math.max(0, want - got)
      extra += Math.max(0, got - want)
    }
    // Alert e-mails for contacts the REST list did not find count as extra too.
    for (const [id, n] of delivered.perContact) if (!stored.contactIds.has(id)) extra += n
    const result: Result = {
      answers,
      events: plan.requests.reduce((sum, r) => sum + r.events.length, 0),
      sendSeconds,
      expected,
      delivered,
      stored,
      acceptedPageviews: accepted.length,
      lost,
      extra,
      duplicates: Math.max(delivered.duplicateKeys, delivered.duplicateVisits),
      deliverySeconds: deliveryMs / 1000,
    }
    const table = tableOf(result)
    console.log(`\n${table}\n`)
    if (stored.missing.length || stored.unknown.length || stored.repeated.length || stored.outsideWindow.length) {
      console.log(
        `timelines: missing ${stored.missing.slice(0, 5).join(' ')}; outside window ${stored.outsideWindow.slice(0, 5).join(' ')}; unknown ${stored.unknown.slice(0, 5).join(' ')}; repeated ${stored.repeated.slice(0, 5).join(' ')}`,
      )
    }
    const failed =
      answers.some((a) => a.status < 200 || a.status >= 300 || a.capped) ||
      lost !== 0 ||
      result.duplicates !== 0 ||
      extra !== 0 ||
      stored.missing.length !== 0 ||
      stored.repeated.length !== 0
    if (failed) process.exitCode = 1
    if (WRITE) writeSection(table, result, failed)
  } finally {
    await stack.stop()
  }
}

function statusSummary(answers: Answer[]): string {
  const counts = new Map<number, number>()
  for (const a of answers) counts.set(a.status, (counts.get(a.status) ?? 0) + 1)
  return [...counts]
    .sort(([a], [b]) => a - b)
    .map(([status, n]) => `${n.toLocaleString('en-US')} × ${status === 0 ? 'no answer' : status}`)
    .join(', ')
}

function retrySummary(answers: Answer[]): string {
  const retried = answers.filter((a) => a.retried.length > 0)
  if (retried.length === 0) return 'none retried'
  return `${retried.length.toLocaleString('en-US')} retried as the script does (${statusSummary(retried.flatMap((a) => a.retried.map((status) => ({ ...a, status }))))})`
}

function tableOf(r: Result): string {
  const ok = r.answers.filter((a) => a.status >= 200 && a.status < 300)
  const acceptedEvents = ok.reduce((sum, a) => sum + a.accepted, 0)
  const capped = ok.filter((a) => a.capped).length
  const n = (v: number) => v.toLocaleString('en-US')
  return [
    '| count | figure |',
    '|---|---|',
    `| (1) requests answered 2xx | ${n(ok.length)} of ${n(r.answers.length)} (${statusSummary(r.answers)}; ${retrySummary(r.answers)}); ${n(acceptedEvents)} of ${n(r.events)} events accepted, ${capped} identities dropped by the contact cap |`,
    `| (2) stored by the contact objects (REST) | ${n(r.stored.contactsFound)} of ${n(CONTACTS)} contacts; ${n(r.stored.pageviewsShown)} page views in their timelines (${n(r.acceptedPageviews)} accepted; ${n(r.stored.completeContacts)} timelines not full, where every page view must show); ${r.stored.missing.length} missing from those, ${r.stored.repeated.length} shown twice, ${r.stored.unknown.length} never sent; ${r.stored.outsideWindow.length} answered after the oldest page view of a full timeline and not in it |`,
    `| (3) alerts the engine expects | ${n(r.expected.alerts)} (${r.expected.held} held by the frequency limit) |`,
    `| (4) alert e-mails received | ${n(r.delivered.messages)} messages, ${n([...r.delivered.perContact.values()].reduce((a, b) => a + b, 0))} distinct alert keys, all in ${r.deliverySeconds.toFixed(0)} s after sending ended |`,
    `| **lost** (expected − delivered) | **${r.lost}** |`,
    `| **duplicates** (same alert key or page view twice) | **${r.duplicates}** (${r.delivered.duplicateKeys} by key, ${r.delivered.duplicateVisits} by page view); ${r.extra} delivered beyond the expectation |`,
  ].join('\n')
}

function writeSection(table: string, r: Result, failed: boolean): void {
  const load = loadavg()[0] ?? 0
  writeBenchmarkSection(
    '## Load, reconciled',
    [
      `Measured ${RUN_DATE} with \`npx tsx bench/load-reconciled.ts --write\` (Node ${process.version}, ${cpus().length} cores, load average ${load.toFixed(1)}${load > 1 ? ', shared with other work' : ''}): ${n0(REQUESTS)} requests (${n0(r.events)} events) sent in ${r.sendSeconds.toFixed(0)} s.`,
      '',
      table,
      '',
      ABOUT,
      '',
      `Goal 0 lost, 0 duplicates: ${failed ? '**not met**' : 'met'}.`,
    ].join('\n'),
    { keepNotes: true },
  )
}

const n0 = (v: number) => v.toLocaleString('en-US')

const ABOUT = [
  `What it measures: whether anything accepted is lost or sent twice under sustained load through the whole path (collect → visitor shard → contact object → queue → consumer → SMTP).`,
  `${n0(CONTACTS)} contacts are drawn Zipf-like (s = 1, seeded PRNG ${SEED}, so every run sends the same requests; every contact at least once, the hottest about one request in eight), paced at ${PER_SECOND} requests a second, one batch per request.`,
  `A contact's first request on each "device" (a visitor id sends at most 20 requests, under the visitor limit of 30 per 10 s) is an \`identify\` with its own address plus a page view; the others are page views (${MATCHING_SHARE * 100} % on \`${BENCH_PATTERN}\`, the rest elsewhere) or a heartbeat of the open page.`,
  `The bench alert is created through \`POST /api/v1/alerts\` with an admin token: pattern \`${BENCH_PATTERN}\`, minimum 0 s, at most ${PER_DAY} a contact a day (no contact gets more than ${PER_DAY - 5} page views there, so the limit never holds one back), to the contact's owner.`,
  `Vars: \`ALERTS_PER_RECIPIENT_HOUR=${VARS.ALERTS_PER_RECIPIENT_HOUR}\`, since one recipient gets every alert and the default cap of 20 an hour would fold the rest into digests.`,
  `The site's cap of 1,000 new contacts an hour is a constant (\`NEW_CONTACTS_PER_SITE_HOUR\`), not a var: the bench makes exactly 1,000 contacts on a fresh state, and counts any answer saying \`contact-cap\`.`,
  `(2) reads each contact's timeline through \`GET /api/v1/contacts/:id/activity\`, which shows its newest 50 events only: a timeline not full must show every accepted page view, a full one must show only sent ones, once each (page views answered after its oldest one yet not in it are counted, not failed: a request answered 503 may have been stored at its first attempt, so answer order is not quite storage order).`,
  `(3) runs \`decideAlerts\` (durable-objects/rules/alert-engine.ts) with the same rule over the accepted page views, per contact, at the instant each was sent.`,
  `(4) counts the sink's messages carrying the bench alert's key (\`X-Pagebell-Alert-Key\`) per contact; a duplicate is a key or a page view received twice. The wait is a poll with a deadline, then ${SETTLE_MS / 1000} s more to catch late duplicates.`,
].join(' ')

await main()
