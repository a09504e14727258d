// Events/s through POST /api/collect (one event per request, as a page view sends it) against
// an empty Hono worker, both under `wrangler dev` started the same way in the same run.
// Goal: collect ≥ 0.5 of the empty worker. `npx tsx bench/collect-throughput.ts [--write]`
// prints the figures; --write also puts them into docs/benchmarks.md.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildScriptIfMissing, prepareDatabase, startWranglerDev, type DevServer } from '../scripts/local-stack'
import { freePort } from '../test/support/free-port'
import { DEMO_SITE_KEY } from '../worker/demo/demo-data'
import { RUN_DATE, writeBenchmarkSection } from './support/doc-section'

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10)
/** Long enough for the collect worker to settle: with 2 s its first load measured ~40 % low. */
const WARMUP_MS = 10_000
const CONCURRENCY = 32
/** Requests one visitor sends in the visit-shaped load: a page view, 4 heartbeats, a leave. */
const PER_VISIT = 6
/** Visitors on the site at once in the visit-shaped load: consecutive requests come from different visitors. */
const IN_PARALLEL = 100
const HEADERS = {
  'content-type': 'text/plain',
  origin: 'http://localhost:8787',
  'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36',
}

type Run = { perSecond: number; statuses: Record<number, number>; p50: number; p99: number }

type Load = 'visit' | 'new-visitor'

let seq = 0
/**
 * One single-event request. `visit`: each visitor sends what one minute on a page sends
 * (page view, heartbeats every 15 s, leave), IN_PARALLEL visitors taking turns, so one
 * request in 6 comes from a new visitor and a visitor's requests are not all in flight at once.
 * `new-visitor`: every request comes from a visitor never seen before (worst case).
 */
function nextBody(load: Load): string {
  const n = seq++
  const step = load === 'visit' ? Math.floor(n / IN_PARALLEL) % PER_VISIT : 0
  const visitor = load === 'visit' ? Math.floor(n / (IN_PARALLEL * PER_VISIT)) * IN_PARALLEL + (n % IN_PARALLEL) : n
  const who = visitor.toString(36).padStart(8, '0')
  const id = `ev${n.toString(36).padStart(8, '0')}`
  const event =
    step === 0
      ? { id, type: 'pageview', visit: `vi${who}`, url: 'http://localhost:8787/demo/pricing', title: 'Pricing' }
      : { id, type: 'engage', visit: `vi${who}`, state: step === PER_VISIT - 1 ? 'leave' : 'heartbeat', visibleMs: step * 15_000 }
  return JSON.stringify({ site: DEMO_SITE_KEY, visitor: `bench${who}`, events: [event] })
}

/** Keeps CONCURRENCY requests in flight for `ms`; counts answers per status. */
async function drive(url: string, ms: number, load: Load): Promise<Run> {
  const statuses: Record<number, number> = {}
  const latencies: number[] = []
  const started = performance.now()
  const end = started + ms
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < end) {
        const t = performance.now()
        const res = await fetch(url, { method: 'POST', headers: HEADERS, body: nextBody(load) })
        await res.arrayBuffer()
        latencies.push(performance.now() - t)
        statuses[res.status] = (statuses[res.status] ?? 0) + 1
      }
    }),
  )
  const elapsed = (performance.now() - started) / 1000
  const ok = Object.entries(statuses).reduce((sum, [s, n]) => sum + (Number(s) < 300 ? n : 0), 0)
  latencies.sort((a, b) => a - b)
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0
  return { perSecond: ok / elapsed, statuses, p50: at(0.5), p99: at(0.99) }
}

async function measure(server: DevServer, load: Load): Promise<Run> {
  const url = `${server.baseUrl}/api/collect`
  await drive(url, WARMUP_MS, load)
  return drive(url, SECONDS * 1000, load)
}

function section(empty: Run, visit: Run, fresh: Run): string {
  const ratio = (r: Run) => (r.perSecond / empty.perSecond).toFixed(2)
  const row = (name: string, r: Run, ratio: string) =>
    `| ${name} | ${Math.round(r.perSecond)} | ${ratio} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${Object.entries(r.statuses)
      .map(([s, n]) => `${s}×${n}`)
      .join(' ')} |`
  return [
    `Measured ${RUN_DATE} with \`npx tsx bench/collect-throughput.ts --write\`: ${SECONDS} s per load after ${WARMUP_MS / 1000} s of the same load,`,
    `${CONCURRENCY} requests in flight from Node's fetch, one event per request, anonymous visitors of the demo site`,
    `(visit-shaped: ${IN_PARALLEL} visitors taking turns). The machine may be shared with other work: expect ±20 % or more.`,
    'Both servers run under `wrangler dev` (local, fresh `--persist-to` folder, migrations and demo data applied),',
    'measured one after the other so they never share the two cores.',
    '',
    '| server, load | events/s | ratio | p50 ms | p99 ms | answers |',
    '|---|---|---|---|---|---|',
    row('empty Hono worker (204)', empty, '1'),
    row(`collect, visit-shaped (${PER_VISIT} requests per visitor)`, visit, ratio(visit)),
    row('collect, every request a new visitor', fresh, ratio(fresh)),
  ].join('\n')
}

async function main(): Promise<void> {
  buildScriptIfMissing()
  const persistDir = mkdtempSync(join(tmpdir(), 'pagebell-bench-'))
  await prepareDatabase(persistDir)
  const servers: DevServer[] = []
  try {
    const empty = await startWranglerDev({
      config: 'bench/empty-worker/wrangler.toml',
      port: await freePort(),
      persistDir: mkdtempSync(join(tmpdir(), 'pagebell-bench-empty-')),
      readyPath: '/',
    })
    servers.push(empty)
    const collect = await startWranglerDev({ config: 'wrangler.toml', port: await freePort(), persistDir, readyPath: '/demo' })
    servers.push(collect)
    const emptyRun = await measure(empty, 'visit')
    const visitRun = await measure(collect, 'visit')
    const freshRun = await measure(collect, 'new-visitor')
    const body = section(emptyRun, visitRun, freshRun)
    console.log(body)
    if (process.argv.includes('--write')) writeBenchmarkSection('## Collect path throughput', body, { keepNotes: true })
  } finally {
    for (const s of servers) await s.stop()
  }
}

await main()
