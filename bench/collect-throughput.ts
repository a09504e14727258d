// Events/s through POST /api/collect (one event per request, as a page view sends it) against
// an empty Hono worker, both under `wrangler dev` started the same way in the same run.
// Goal: collect ≥ 0.5 of the empty worker, also for identified visitors with 200 campaigns active
// (bench/support/campaign-workspace.ts). `npx tsx bench/collect-throughput.ts [--write]` prints
// the figures; --write also puts them into docs/benchmarks.md. `--only=mixed,identified` runs the
// empty worker and those loads only (visit, new-visitor, mixed, identified, plain), and prints them.
// The servers keep their local state in memory (/dev/shm) unless `--disk` is given: see stateRoot.
// They run without a DevTools inspector (bench/support/start-worker.ts says why) unless
// `--wrangler-dev` is given, which starts them with the `wrangler dev` command, inspector and all.
// BENCH_INSPECT=<port> opens the collect server's DevTools inspector there, for a CPU profile
// (with `--wrangler-dev` only).
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildScriptIfMissing, prepareDatabase, startServerProcess, startWranglerDev, type DevServer } from '../scripts/local-stack'
import { freePort } from '../test/support/free-port'
import { DEMO_SITE_KEY } from '../worker/demo/demo-data'
import {
  CAMPAIGNS,
  LISTS,
  SCORING_RULES,
  campaignEffects,
  pageUrl,
  seedCampaignWorkspace,
  type CampaignEffects,
} from './support/campaign-workspace'
import { RUN_DATE, writeBenchmarkSection } from './support/doc-section'

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10)
/**
 * Where the servers' local D1 and object storage live. On this machine's disk every SQLite commit
 * waits for fsync (11 % I/O wait during the mixed load), which measures the disk, not the worker:
 * Cloudflare's storage is not a local file. In memory the two servers differ only by the work
 * the worker does; `--disk` measures the disk case as well, for comparison.
 */
const stateRoot = !process.argv.includes('--disk') && existsSync('/dev/shm') ? '/dev/shm' : tmpdir()
/**
 * How the servers are started. `wrangler dev` always attaches a DevTools inspector with its
 * Network domain on, so every subrequest (each local D1 query) sends four messages through
 * wrangler's Node process into its debug log file: work the empty worker, which makes no
 * subrequest, never pays, and that no deployed worker does.
 */
const WRANGLER_DEV = process.argv.includes('--wrangler-dev')
const startedBy = WRANGLER_DEV
  ? 'the `wrangler dev` command'
  : "wrangler's dev server with no DevTools inspector attached, `bench/support/start-worker.ts`"

/**
 * The collect servers' site quota: the bench drives the one demo site past 1,000 requests a second
 * for minutes, which the product's flood limit (1,000/s, a burst of 20,000: wrangler.toml) would
 * answer 429. The quota's lease path still runs on every request; only its limit is out of reach.
 */
const UNLIMITED_SITE = { SITE_REQUESTS_PER_SECOND: '1000000', SITE_REQUEST_BURST: '100000000' }

async function startServer(options: { config: string; persistDir: string; readyPath: string; inspectorPort?: string }): Promise<DevServer> {
  const port = await freePort()
  const { config, persistDir, readyPath } = options
  const vars = Object.entries(UNLIMITED_SITE)
  if (WRANGLER_DEV) {
    const args = [
      ...(options.inspectorPort ? ['--inspector-port', options.inspectorPort] : []),
      ...vars.flatMap(([k, v]) => ['--var', `${k}:${v}`]),
    ]
    return startWranglerDev({ config, port, persistDir, readyPath, args })
  }
  const launcher = ['tsx', 'bench/support/start-worker.ts', '--config', config, '--port', String(port), '--persist-to', persistDir]
  return startServerProcess([...launcher, ...vars.flatMap(([k, v]) => ['--var', `${k}=${v}`])], { port, readyPath })
}

/** Long enough for the collect worker to settle: with 2 s its first load measured ~40 % low. */
const WARMUP_MS = 10_000
/**
 * The loads through contacts' objects (mixed, identified) are measured in their steady state: after
 * this long and over at least this long, so each contact's periodic copies to D1 (its state at
 * most every 30 s, its page days and step counts about once a minute) fall in the window as often
 * as they do on a long day. A shorter window saw none of them (the first copies come a minute in).
 */
const STEADY_MS = 60_000
const throughObjects = (load: Load) => load === 'mixed' || load === 'identified'
const warmupMs = (load: Load) => (throughObjects(load) ? STEADY_MS : WARMUP_MS)
const windowMs = (load: Load) => (throughObjects(load) ? Math.max(SECONDS * 1000, STEADY_MS) : SECONDS * 1000)
const CONCURRENCY = 32
/** Requests one visitor sends in the visit-shaped load: a page view, 4 heartbeats, a leave. */
const PER_VISIT = 6
/** Visitors on the site at once in the visit-shaped load: consecutive requests come from different visitors. */
const IN_PARALLEL = 100
/**
 * `accept-encoding: identity`: the local stack's entry worker gzips JSON answers as Cloudflare's
 * front line does, outside the worker; here the Node client would then gunzip every answer on the
 * same two cores (about 150 µs of CPU per request, measured), a cost the empty worker's bodiless
 * 204 never asks of it. The servers measured are the same either way.
 */
const HEADERS = {
  'content-type': 'text/plain',
  'accept-encoding': 'identity',
  origin: 'http://localhost:8787',
  'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36',
}

/** `capped`: answers that say an identity was not made a contact (`dropped: contact-cap`). */
type Run = {
  perSecond: number
  statuses: Record<number, number>
  capped: number
  p50: number
  p99: number
  newlyIdentified: number
  identifiedTotal: number
  /** The mixed load's requests in the measurement (answered), from returning contacts, and new contacts made. */
  mixed?: { sent: number; returning: number; newContacts: number }
}

type Load = 'visit' | 'new-visitor' | 'identified' | 'mixed'

/**
 * Identified visitors in the `identified` load: each one becomes a contact on its first request,
 * then comes back for further visits. The load runs on a server of its own, so that no other
 * load's new contacts count against the site's cap of 1,000 new contacts per clock hour
 * (NEW_CONTACTS_PER_SITE_HOUR, a constant); answers saying `contact-cap` (warm-up included) are
 * counted and shown.
 */
const IDENTIFIED = 900
const identified = new Set<number>()

/**
 * The mixed load: visit-shaped, but one visitor slot in MIXED_RETURNING_EVERY is a contact
 * coming back (one of MIXED_CONTACTS, identified before the warm-up, so their objects and links
 * exist), whose events go through its contact's object and the campaigns; the other visitors are
 * anonymous, and the visitor numbers 1 modulo MIXED_IDENTIFY_EVERY (all of them anonymous) identify
 * with their first page view (a new contact).
 */
const MIXED_RETURNING_EVERY = 5
const MIXED_CONTACTS = 100
const MIXED_IDENTIFY_EVERY = 40
const mixedCounts = { returningRequests: 0, newContacts: 0 }

let seq = 0
/**
 * One single-event request. `visit`: each visitor sends what one minute on a page sends
 * (page view, heartbeats every 15 s, leave), IN_PARALLEL visitors taking turns, so one
 * request in 6 comes from a new visitor and a visitor's requests are not all in flight at once.
 * `new-visitor`: every request comes from a visitor never seen before (worst case).
 * `identified`: visit-shaped, but IDENTIFIED known visitors come back visit after visit, each
 * sending an `identify` with its own e-mail along with its very first page view, so its events
 * go through its contact's object, which evaluates the workspace's campaigns for each of them.
 */
function nextBody(load: Load): string {
  if (load === 'mixed') return mixedBody()
  const n = seq++
  const step = load === 'new-visitor' ? 0 : Math.floor(n / IN_PARALLEL) % PER_VISIT
  const round = Math.floor(n / (IN_PARALLEL * PER_VISIT))
  const visitor =
    load === 'new-visitor'
      ? n
      : load === 'visit'
        ? round * IN_PARALLEL + (n % IN_PARALLEL)
        : (round * IN_PARALLEL + (n % IN_PARALLEL)) % IDENTIFIED
  const who = visitor.toString(36).padStart(8, '0')
  const visit = load === 'identified' ? `vi${who}r${round.toString(36)}` : `vi${who}`
  const id = `ev${n.toString(36).padStart(8, '0')}`
  const url = load === 'identified' ? pageUrl(visitor + round) : 'http://localhost:8787/demo/pricing'
  const events: object[] = [
    step === 0
      ? { id, type: 'pageview', visit, url, title: 'Page' }
      : { id, type: 'engage', visit, state: step === PER_VISIT - 1 ? 'leave' : 'heartbeat', visibleMs: step * 15_000 },
  ]
  if (load === 'identified' && !identified.has(visitor)) {
    identified.add(visitor)
    events.unshift({ id: `id${id}`, type: 'identify', email: `visitor-${who}@bench.test` })
  }
  const prefix = load === 'identified' ? 'known' : 'bench'
  return JSON.stringify({ site: DEMO_SITE_KEY, visitor: `${prefix}${who}`, events })
}

const mixedEmail = (who: string) => `mixed-${who}@bench.test`

/** One request of the mixed load (see MIXED_RETURNING_EVERY). */
function mixedBody(): string {
  const n = seq++
  const slot = n % IN_PARALLEL
  const step = Math.floor(n / IN_PARALLEL) % PER_VISIT
  const round = Math.floor(n / (IN_PARALLEL * PER_VISIT))
  const returning = slot % MIXED_RETURNING_EVERY === 0
  const number = returning
    ? (round * (IN_PARALLEL / MIXED_RETURNING_EVERY) + slot / MIXED_RETURNING_EVERY) % MIXED_CONTACTS
    : round * IN_PARALLEL + slot
  const who = number.toString(36).padStart(8, '0')
  const visitor = returning ? `mixk${who}` : `mixa${who}`
  const id = `ev${n.toString(36).padStart(8, '0')}`
  const visit = `vi${visitor}r${round.toString(36)}`
  const events: object[] = [
    step === 0
      ? { id, type: 'pageview', visit, url: pageUrl(number + round), title: 'Page' }
      : { id, type: 'engage', visit, state: step === PER_VISIT - 1 ? 'leave' : 'heartbeat', visibleMs: step * 15_000 },
  ]
  if (returning) mixedCounts.returningRequests++
  else if (step === 0 && number % MIXED_IDENTIFY_EVERY === 1) {
    events.unshift({ id: `id${id}`, type: 'identify', email: mixedEmail(`new-${who}`) })
    mixedCounts.newContacts++
  }
  return JSON.stringify({ site: DEMO_SITE_KEY, visitor, events })
}

/** Makes the mixed load's returning contacts: each identifies with one page view, CONCURRENCY at a time. */
async function identifyMixedContacts(url: string): Promise<void> {
  let next = 0
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let i = next++; i < MIXED_CONTACTS; i = next++) {
        const who = i.toString(36).padStart(8, '0')
        const events = [
          { id: `idmix${who}`, type: 'identify', email: mixedEmail(who) },
          { id: `pvmix${who}`, type: 'pageview', visit: `vimixk${who}`, url: pageUrl(i), title: 'Page' },
        ]
        const body = JSON.stringify({ site: DEMO_SITE_KEY, visitor: `mixk${who}`, events })
        let res = await fetch(url, { method: 'POST', headers: HEADERS, body })
        let text = await res.text()
        // `wrangler dev`'s proxy answers 503 "restarted mid-request" when its hop to the runtime
        // drops (workers-sdk#14641) and retries only GET: this set-up step sends once more (the
        // event ids make a second delivery harmless); the measured loads count every 503.
        if (res.status === 503) {
          console.log(`identifying mixed contact ${i}: ${res.status} ${text.slice(0, 80)}; sent again`)
          res = await fetch(url, { method: 'POST', headers: HEADERS, body })
          text = await res.text()
        }
        if (res.status !== 200 || text.includes('contact-cap')) throw new Error(`identifying mixed contact ${i}: ${res.status} ${text}`)
      }
    }),
  )
}

/** Keeps CONCURRENCY requests in flight for `ms`; counts answers per status. */
async function drive(url: string, ms: number, load: Load): Promise<Run> {
  const statuses: Record<number, number> = {}
  const latencies: number[] = []
  let capped = 0
  const started = performance.now()
  const end = started + ms
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < end) {
        const t = performance.now()
        const res = await fetch(url, { method: 'POST', headers: HEADERS, body: nextBody(load) })
        const text = await res.text()
        if (text.includes('contact-cap')) capped++
        // The first answer of each failing status, so a run's log says what failed.
        if (res.status >= 300 && !statuses[res.status]) console.log(`${load}: ${res.status} ${text.slice(0, 200)}`)
        latencies.push(performance.now() - t)
        statuses[res.status] = (statuses[res.status] ?? 0) + 1
      }
    }),
  )
  const elapsed = (performance.now() - started) / 1000
  const ok = Object.entries(statuses).reduce((sum, [s, n]) => sum + (Number(s) < 300 ? n : 0), 0)
  latencies.sort((a, b) => a - b)
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0
  return { perSecond: ok / elapsed, statuses, capped, p50: at(0.5), p99: at(0.99), newlyIdentified: 0, identifiedTotal: 0 }
}

async function measure(server: DevServer, load: Load): Promise<Run> {
  // Each identified run starts from visitors not yet identified (a fresh database each time).
  if (load === 'identified') identified.clear()
  const url = `${server.baseUrl}/api/collect`
  if (load === 'mixed') await identifyMixedContacts(url)
  const warmup = await drive(url, warmupMs(load), load)
  const before = identified.size
  const mixedBefore = { ...mixedCounts }
  const measured = await drive(url, windowMs(load), load)
  const run = { ...measured, capped: warmup.capped + measured.capped }
  if (load === 'mixed') {
    const sent = Object.values(run.statuses).reduce((sum, count) => sum + count, 0)
    const returning = mixedCounts.returningRequests - mixedBefore.returningRequests
    return { ...run, mixed: { sent, returning, newContacts: mixedCounts.newContacts - mixedBefore.newContacts } }
  }
  return { ...run, newlyIdentified: identified.size - before, identifiedTotal: identified.size }
}

type Runs = { empty: Run; visit?: Run; fresh?: Run; mixed?: Run; known?: Run; plain?: Run }

function section(runs: Required<Runs>, effects: CampaignEffects, load: string): string {
  const { empty, visit, fresh, mixed, known, plain } = runs
  const ratio = (r: Run) => (r.perSecond / empty.perSecond).toFixed(2)
  const mix = mixed.mixed ?? { sent: 0, returning: 0, newContacts: 0 }
  const met = (r: Run) => (r.perSecond / empty.perSecond >= 0.5 ? 'met' : 'not met')
  return [
    `Measured ${RUN_DATE} with \`npx tsx bench/collect-throughput.ts --write\`: ${SECONDS} s per load after ${WARMUP_MS / 1000} s of the same load`,
    `(the mixed and identified loads ${windowMs('identified') / 1000} s after ${STEADY_MS / 1000} s: their steady state, with each contact's periodic copies to D1 in the window),`,
    `${CONCURRENCY} requests in flight from Node's fetch (asking for answers unencoded, \`accept-encoding: identity\`: the local entry worker`,
    "would gzip each JSON answer as Cloudflare's front line does, outside the worker, and the client gunzip it on the same two cores),",
    'one event per request, anonymous visitors of the demo site',
    `(visit-shaped: ${IN_PARALLEL} visitors taking turns). The machine may be shared with other work: expect ±20 % or more`,
    `(1-minute load average on the 2 cores ${load}).`,
    `The servers run under ${startedBy}: local, each a fresh \`--persist-to\` folder ${stateRoot === tmpdir() ? 'on disk' : 'in memory (/dev/shm)'},`,
    'migrations and demo data applied, measured one after the other so they never share the two cores; the collect servers with the',
    "site's flood quota (1,000 requests/s, a burst of 20,000) out of reach (its lease path still runs on every request).",
    `"${CAMPAIGNS} campaigns active": the demo workspace also holds ${CAMPAIGNS} active campaigns (a third on page patterns that these`,
    `page views match, the rest on forms, custom events, tags, score thresholds, list edges, field changes, contact created),`,
    `${SCORING_RULES} scoring rules and ${LISTS} smart lists (\`bench/support/campaign-workspace.ts\`, written into D1 before the server starts).`,
    'The campaigns tag now and wait an hour before any alert, so no mail is sent during the run.',
    `"Mixed": visit-shaped on pages of the demo site, ${IN_PARALLEL} visitors taking turns, one visitor in ${MIXED_RETURNING_EVERY} a contact coming back`,
    `(one of ${MIXED_CONTACTS} contacts identified before the warm-up, so their objects exist; each visit a new visit id), whose`,
    `events go through its contact's object and the campaigns; the other visitors anonymous, one visitor number in ${MIXED_IDENTIFY_EVERY}`,
    `(all anonymous: one anonymous visitor in ${(MIXED_IDENTIFY_EVERY * (MIXED_RETURNING_EVERY - 1)) / MIXED_RETURNING_EVERY}) identifying with its first page view (a new contact). In the measurement: ${mix.sent} requests, ${mix.returning}`,
    `of them from returning contacts, ${mix.newContacts} new contacts.`,
    `"Identified" (the harsh case): ${IDENTIFIED} visitors each send an \`identify\` with their own e-mail along with their first page view (that request carries 2 events;`,
    'the table counts requests), then visit after visit of 6 requests, so every event goes through the',
    "contact's object. It runs on a collect server of its own (a fresh folder, the same campaigns), so only its own new contacts count",
    `against the site's cap of 1,000 new contacts per hour (a constant, not changed for the bench): ${known.capped ? `${known.capped} answers said \`contact-cap\`` : 'no identity was dropped as `contact-cap`'} (warm-up included). Visitors identified (warm-up and measurement):`,
    `${known.identifiedTotal} with campaigns, ${known.newlyIdentified} of them during the measurement; ${plain.identifiedTotal} without, ${plain.newlyIdentified} during it.`,
    `${Math.min(known.identifiedTotal, plain.identifiedTotal) < IDENTIFIED ? `Fewer than ${IDENTIFIED}: no visitor came back for a second visit, so every request was from a visitor in its first visit as a contact.` : `All ${IDENTIFIED} were reached: later requests were returning identified visitors.`}`,
    `After the run D1 held ${effects.contacts} bench contacts, ${effects.tagged} of them tagged and ${effects.scored} with a score by the campaigns and`,
    `scoring rules, and ${effects.stepsReached} campaign steps reached (as the objects reported them by then).`,
    'The last row is the identified load against another collect server started afterwards on a fresh folder with the demo data',
    'only (no campaign, list or scoring rule but the demo alert), so the cost of identifying visitors and the cost of the campaigns can be told apart.',
    '',
    '| server, load | events/s | ratio | p50 ms | p99 ms | answers |',
    '|---|---|---|---|---|---|',
    row('empty Hono worker (204)', empty, '1'),
    row(`collect, visit-shaped (${PER_VISIT} requests per visitor)`, visit, ratio(visit)),
    row('collect, every request a new visitor', fresh, ratio(fresh)),
    row(`collect, mixed: 1 visitor in ${MIXED_RETURNING_EVERY} a returning contact, ${CAMPAIGNS} campaigns active`, mixed, ratio(mixed)),
    row(
      `collect, identified (${IDENTIFIED} contacts, each identified with its first page view, then coming back), ${CAMPAIGNS} campaigns active`,
      known,
      ratio(known),
    ),
    row('collect, identified, no campaign (a server of its own, demo data only)', plain, ratio(plain)),
    '',
    `Goal ≥ 0.5 of the empty worker with the campaigns active: ${met(mixed)} for the mixed load (${ratio(mixed)}), ${met(known)} for`,
    `the identified load (${ratio(known)}).`,
  ].join('\n')
}

function row(name: string, r: Run, ratio: string): string {
  const answers = Object.entries(r.statuses)
    .map(([s, n]) => `${s}×${n}`)
    .join(' ')
  return `| ${name} | ${Math.round(r.perSecond)} | ${ratio} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${answers}${r.capped ? `, ${r.capped} contact-cap` : ''} |`
}

const LOADS = ['visit', 'new-visitor', 'mixed', 'identified', 'plain'] as const
type Section = (typeof LOADS)[number]

/** The loads to run: all of them, or those `--only=a,b` names. */
function chosenLoads(): Set<Section> {
  const only = process.argv.find((a) => a.startsWith('--only='))
  if (!only) return new Set(LOADS)
  const names = only.slice('--only='.length).split(',')
  const unknown = names.filter((n) => !LOADS.some((l) => l === n))
  if (unknown.length) throw new Error(`unknown load ${unknown.join(', ')}; choose from ${LOADS.join(', ')}`)
  return new Set(LOADS.filter((l) => names.includes(l)))
}

async function main(): Promise<void> {
  if (process.env.BENCH_INSPECT && !WRANGLER_DEV)
    throw new Error('BENCH_INSPECT needs --wrangler-dev: only `wrangler dev` opens an inspector')
  const loads = chosenLoads()
  const all = loads.size === LOADS.length
  if (process.argv.includes('--write') && !all) throw new Error('--write needs every load: leave out --only')
  buildScriptIfMissing()
  const folders: string[] = []
  const stateFolder = (prefix: string) => {
    const dir = mkdtempSync(join(stateRoot, prefix))
    folders.push(dir)
    return dir
  }
  const persistDir = stateFolder('pagebell-bench-')
  await prepareDatabase(persistDir)
  await seedCampaignWorkspace(persistDir)
  const servers: DevServer[] = []
  const loadAtStart = (loadavg()[0] ?? 0).toFixed(1)
  const ratioOf = (r: Run, empty: Run) => (r.perSecond / empty.perSecond).toFixed(2)
  try {
    const empty = await startServer({
      config: 'bench/empty-worker/wrangler.toml',
      persistDir: stateFolder('pagebell-bench-empty-'),
      readyPath: '/',
    })
    servers.push(empty)
    const collect = await startServer({ config: 'wrangler.toml', persistDir, readyPath: '/demo', inspectorPort: process.env.BENCH_INSPECT })
    servers.push(collect)
    const runs: Runs = { empty: await measure(empty, 'visit') }
    console.log(`empty worker: ${Math.round(runs.empty.perSecond)} events/s`)
    const measured = async (key: keyof Runs, load: Load, server: DevServer) => {
      const run = await measure(server, load)
      runs[key] = run
      console.log(`${key}: ${Math.round(run.perSecond)} events/s, ratio ${ratioOf(run, runs.empty)}, ${JSON.stringify(run.statuses)}`)
    }
    if (loads.has('visit')) await measured('visit', 'visit', collect)
    if (loads.has('new-visitor')) await measured('fresh', 'new-visitor', collect)
    // Before the identified load, whose new contacts count against the same hourly cap.
    if (loads.has('mixed')) await measured('mixed', 'mixed', collect)
    for (const s of servers.splice(0)) await s.stop()
    const knownDir = stateFolder('pagebell-bench-known-')
    if (loads.has('identified')) {
      await prepareDatabase(knownDir)
      await seedCampaignWorkspace(knownDir)
      const known = await startServer({
        config: 'wrangler.toml',
        persistDir: knownDir,
        readyPath: '/demo',
        inspectorPort: process.env.BENCH_INSPECT,
      })
      servers.push(known)
      await measured('known', 'identified', known)
      for (const s of servers.splice(0)) await s.stop()
    }
    const effects = campaignEffects(loads.has('identified') ? knownDir : persistDir)
    if (loads.has('plain')) {
      const plainDir = stateFolder('pagebell-bench-plain-')
      await prepareDatabase(plainDir)
      const plain = await startServer({ config: 'wrangler.toml', persistDir: plainDir, readyPath: '/demo' })
      servers.push(plain)
      await measured('plain', 'identified', plain)
    }
    const { visit, fresh, mixed, known, plain } = runs
    if (!(visit && fresh && mixed && known && plain)) return
    const body = section(
      { empty: runs.empty, visit, fresh, mixed, known, plain },
      effects,
      `${loadAtStart} at the start, ${(loadavg()[0] ?? 0).toFixed(1)} at the end`,
    )
    console.log(body)
    if (process.argv.includes('--write')) writeBenchmarkSection('## Collect path throughput', body, { keepNotes: true })
  } finally {
    for (const s of servers) await s.stop()
    // State in memory would otherwise hold RAM until a reboot.
    for (const dir of folders) rmSync(dir, { recursive: true, force: true })
  }
}

await main()
