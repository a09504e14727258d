// Alert latency: from the second a visitor reaches an alert's minimum time on a page to the
// message being accepted by the local SMTP sink, through the real path under `wrangler dev`:
// collect → contact object (alarm at the threshold) → queue → consumer → SMTP.
// Run: npx tsx bench/alert-latency.ts [alerts=60] [alerts-per-second=4]. Bounded: ~1 minute.
// The rate matters: locally the queue hands the consumer one batch at a time, so above roughly
// ten alerts a second messages wait for earlier batches (see docs/benchmarks.md).
import { startLocalStack } from '../scripts/local-stack'
import { DEMO } from '../worker/demo/demo-data'
import { freePort } from '../test/support/free-port'

const ALERTS = Math.max(50, Number(process.argv[2] ?? 60))
/** Heartbeats report this much visible time; the demo alert needs 10 s, so it fires 1 s later. */
const REPORTED_MS = 9_000
const THRESHOLD_MS = DEMO.alert.pages[0]!.minSeconds * 1000
const RATE = Number(process.argv[3] ?? 4)
const SPACING_MS = 1000 / RATE
const ORIGIN = 'http://localhost:8787'
const UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36'
const PLANS = `${ORIGIN}/demo/pricing/plans`

let n = 0
const id = (p: string) => `${p}${Date.now().toString(36)}${(n++).toString(36)}`

async function collect(baseUrl: string, visitor: string, events: unknown[]) {
  const res = await fetch(`${baseUrl}/api/collect`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain', origin: ORIGIN, 'user-agent': UA },
    body: JSON.stringify({ site: DEMO.site.key, visitor, events }),
  })
  if (res.status !== 200) throw new Error(`collect answered ${res.status}: ${await res.text()}`)
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!

async function main() {
  const log: string[] = []
  const stack = await startLocalStack({ port: await freePort(), vars: { ALERTS_PER_RECIPIENT_HOUR: '100000' }, log: (l) => log.push(l) })
  try {
    // Identify every visitor first, so only the threshold-to-mail path is timed.
    const visitors = Array.from({ length: ALERTS }, (_, i) => ({ visitor: id('v'), email: `bench-${i}-${id('e')}@buyer.test` }))
    for (const v of visitors) {
      const visit = id('visit')
      await collect(stack.baseUrl, v.visitor, [
        { id: id('e'), type: 'pageview', visit, url: `${ORIGIN}/demo/contact`, title: 'Contact' },
        {
          id: id('e'),
          type: 'form',
          visit,
          form: { id: 'contact-form', name: 'contact' },
          fields: { email: v.email, name: 'Bench Visitor' },
        },
      ])
    }
    const thresholds = new Map<string, number>()
    for (const v of visitors) {
      const visit = id('visit')
      const sentAt = Date.now()
      // The object receives this a moment after `sentAt`, so the threshold below is, if anything, early.
      thresholds.set(v.email, sentAt + THRESHOLD_MS - REPORTED_MS)
      void collect(stack.baseUrl, v.visitor, [
        { id: id('e'), type: 'pageview', visit, url: PLANS, title: 'Plans' },
        { id: id('e'), type: 'engage', visit, state: 'heartbeat', visibleMs: REPORTED_MS },
      ])
      await new Promise((r) => setTimeout(r, SPACING_MS))
    }
    const arrived = await Promise.all(
      visitors.map((v) =>
        stack.sink
          .waitFor((m) => m.text.includes(v.email), 30_000)
          .then(
            (mail) => mail.receivedAt - thresholds.get(v.email)!,
            () => null,
          ),
      ),
    )
    const latencies = arrived.filter((ms): ms is number => ms !== null)
    const missing = ALERTS - latencies.length
    if (missing > 0) {
      // Say where they were lost: the queue consumer logs one line per batch it received.
      console.error(
        log
          .join('')
          .split('\n')
          .filter((l) => /error|QUEUE/i.test(l))
          .join('\n'),
      )
      process.exitCode = 1
    }
    const sorted = [...latencies].sort((a, b) => a - b)
    console.log(
      JSON.stringify({
        alerts: ALERTS,
        per_second: RATE,
        arrived: sorted.length,
        missing,
        p50_ms: percentile(sorted, 50),
        p95_ms: percentile(sorted, 95),
        max_ms: sorted.at(-1),
        min_ms: sorted[0],
      }),
    )
  } finally {
    await stack.stop()
  }
}

await main()
