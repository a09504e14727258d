// Main-thread cost of the tracking script in Chromium, next to Plausible's npm tracker, in one
// run. Each visit is a fresh page of a small site with one of the two scripts; the two are
// interleaved (order alternating each round) so that whatever else the shared machine does hits
// both alike. The cost is measured the same way for both: V8's sampling CPU profiler (a sample
// every 50 µs) over the page load and over a scripted visit (4 visibility changes, 3 pushState
// route changes, a form submit), counting every sample whose innermost frame with a URL is in
// the script's own file: its evaluation, its listeners (also those run inside page code that
// fires an event, or inside a wrapped history.pushState), timers, promise callbacks and the
// browser APIs they call (fetch, sendBeacon, JSON), but not the page's own code they call (the
// browser's pushState, under a page-owned layer). Medians over the rounds, and the ratio of
// the medians. `npx tsx bench/sdk-main-thread.ts [--write]` prints the figures; --write puts
// them, with bench/sdk-size.ts's table, into docs/benchmarks.md.
import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { chromium, type Browser, type CDPSession } from 'playwright-core'
import { measureSizes, plausibleBuild, sizeTable } from './sdk-size'
import { RUN_DATE, writeBenchmarkSection } from './support/doc-section'

const ROUNDS = Number(process.env.BENCH_RUNS ?? 40)
const WARM_UP = 3
const SAMPLING_US = 50
const SECTION = '## Tracking script size and main-thread cost'
const SCRIPTS = ['pagebell', 'plausible'] as const
type Script = (typeof SCRIPTS)[number]
type Cost = { load: number; visit: number }

const FORM = `<form id="f" action="/sent"><input name="name" value="Dana"><input type="email" name="email" value="dana@buyer.test">
<input name="company" value="Buyer"><input type="tel" name="phone" value="+48 123"><textarea name="message">Hello</textarea>
<input type="password" name="pw" value="x"><select name="plan"><option>team</option></select><button>Send</button></form>`
const BODY = `<h1>Pricing</h1>${'<p>Plans for every team size. '.repeat(40)}</p>${FORM}
<script>document.getElementById('f').addEventListener('submit', (e) => e.preventDefault())</script>`

const TAGS: Record<Script, string> = {
  pagebell: '<script async src="/pagebell.js" data-site="bench-site" data-endpoint="/collect"></script>',
  plausible: '<script async src="/plausible.js"></script>',
}
// The page's own history work (the browser's pushState, ~1-3 ms a call here) runs inside the
// scripts' pushState wrappers; with this page-owned layer under them it is in a frame of the
// page, and not counted as either script's.
const HISTORY = `<script>{const native = History.prototype.pushState; History.prototype.pushState = function (...a) { return native.apply(this, a) }}</script>`
const page = (script: Script) =>
  `<!doctype html><html><head><meta charset="utf-8"><title>Bench</title>${HISTORY}${TAGS[script]}</head><body>${BODY}</body></html>`

// A string, not a function: tsx would wrap named inner functions in a helper the page lacks.
const VISIT = `(async () => {
  const flip = (hidden) => {
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => hidden })
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (hidden ? 'hidden' : 'visible') })
    document.dispatchEvent(new Event('visibilitychange'))
  }
  for (let i = 0; i < 2; i++) flip(true), flip(false)
  for (const p of ['/a', '/b', '/c']) history.pushState({}, '', p)
  document.getElementById('f').requestSubmit()
  // Time for what the scripts do later: batched sends, fetch callbacks.
  await new Promise((r) => setTimeout(r, 300))
})()`

async function serve(plausible: string) {
  const files: Record<string, [string, string]> = {
    '/pagebell.js': ['text/javascript', readFileSync('dist/pb.js', 'utf8')],
    // Initialised in the same file, so its set-up is counted as its own. `__plausible` lets it
    // track under automation (it ignores navigator.webdriver browsers otherwise).
    '/plausible.js': [
      'text/javascript',
      `window.__plausible=1;${plausible};plausible.init({domain:'bench.test',endpoint:'/api/event',captureOnLocalhost:true,formSubmissions:true,outboundLinks:true})`,
    ],
    '/pagebell': ['text/html', page('pagebell')],
    '/plausible': ['text/html', page('plausible')],
    '/blank': ['text/html', '<!doctype html><title>blank</title>'],
  }
  const server = createServer((req, res) => {
    req.resume()
    const file = files[(req.url ?? '/').split('?')[0]!]
    if (req.method === 'POST') return void res.writeHead(202).end()
    if (!file) return void res.writeHead(404).end()
    res.writeHead(200, { 'content-type': `${file[0]}; charset=utf-8`, 'cache-control': 'no-store' }).end(file[1])
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  }
}

type Profile = {
  nodes: { id: number; parent?: number; children?: number[]; callFrame: { url: string } }[]
  samples: number[]
  timeDeltas: number[]
}

/**
 * Milliseconds of the samples whose innermost frame with a URL is in `file`: the script's own
 * code and the browser APIs it calls (native frames have no URL), not page code it calls.
 */
function ownTime(profile: Profile, file: string): number {
  const parent = new Map<number, number>()
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id)
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const isMine = (id: number | undefined): boolean => {
    for (; id !== undefined; id = parent.get(id)) {
      const url = byId.get(id)!.callFrame.url
      if (url) return url.endsWith(file)
    }
    return false
  }
  let us = 0
  // A sample stands for the time until the next one.
  for (let i = 0; i < profile.samples.length - 1; i++) if (isMine(profile.samples[i])) us += profile.timeDeltas[i + 1]!
  return us / 1000
}

async function profiled(cdp: CDPSession, file: string, work: () => Promise<unknown>): Promise<number> {
  await cdp.send('Profiler.start')
  await work()
  const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: Profile }
  return ownTime(profile, file)
}

async function visit(browser: Browser, base: string, script: Script): Promise<Cost> {
  const context = await browser.newContext()
  try {
    const tab = await context.newPage()
    // Same origin first, so the profiled navigation stays in this renderer (and profiler).
    await tab.goto(`${base}/blank`)
    const cdp = await context.newCDPSession(tab)
    await cdp.send('Profiler.enable')
    await cdp.send('Profiler.setSamplingInterval', { interval: SAMPLING_US })
    const file = `/${script}.js`
    const load = await profiled(cdp, file, async () => {
      await tab.goto(`${base}/${script}`, { waitUntil: 'load' })
      await tab.waitForTimeout(300)
    })
    const visited = await profiled(cdp, file, () => tab.evaluate(VISIT))
    return { load, visit: visited }
  } finally {
    await context.close()
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}

async function main() {
  const sizes = await measureSizes()
  const plausible = await plausibleBuild()
  const server = await serve(plausible)
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
  })
  const costs: Record<Script, Cost[]> = { pagebell: [], plausible: [] }
  try {
    for (let i = 0; i < WARM_UP + ROUNDS; i++) {
      // Alternating order: neither script always goes first after the other's page.
      for (const script of i % 2 ? [...SCRIPTS].reverse() : SCRIPTS) {
        const cost = await visit(browser, server.base, script)
        if (i >= WARM_UP) costs[script].push(cost)
      }
    }
  } finally {
    await browser.close()
    await server.close()
  }
  const figures = (s: Script) => ({
    load: median(costs[s].map((c) => c.load)),
    visit: median(costs[s].map((c) => c.visit)),
    total: median(costs[s].map((c) => c.load + c.visit)),
  })
  const ours = figures('pagebell')
  const theirs = figures('plausible')
  const row = (name: string, f: typeof ours) => `| ${name} | ${f.load.toFixed(2)} | ${f.visit.toFixed(2)} | ${f.total.toFixed(2)} |`
  const thread = [
    '| script | load: evaluate + first send, ms | scripted visit, ms | total, ms |',
    '|---|---|---|---|',
    row('Pagebell `dist/pb.js`', ours),
    row('@plausible-analytics/tracker (init with form, outbound-link tracking)', theirs),
  ].join('\n')
  const ratio = ours.total / theirs.total
  const body = [
    `Measured ${RUN_DATE} with \`npx tsx bench/sdk-main-thread.ts --write\` (sizes from \`bench/sdk-size.ts\`, same run).`,
    '',
    'Size: both scripts bundled as an IIFE by rollup and minified with the same terser options',
    '(`sdk/terser.json`); gzip at level 9 (zlib, as `gzip -9 < file`), brotli at quality 11. The size',
    'test (`test/node/sdk-size.test.ts`) fails above 1,500 B gzip for `dist/pb.js`.',
    '',
    sizeTable(sizes),
    '',
    `Main thread: Debian Chromium ${browser.version()}, headless, ${ROUNDS} visits per script after ${WARM_UP} warm-up rounds,`,
    'the two scripts interleaved (order alternating each round), medians. Each visit is a fresh page;',
    `V8's sampling CPU profiler (every ${SAMPLING_US} µs) counts the samples whose innermost frame with a URL`,
    "is in the script's own file: evaluation, listeners (also those run inside page code that fires an",
    'event or calls the wrapped `history.pushState`), timers, promise callbacks, and the browser APIs',
    "they call; not the page's own work they pass on (the browser's `pushState`, which the page wraps in",
    'a function of its own for this). "Load" is the page load and the next 300 ms (the first send); the "scripted visit" is',
    '4 visibility changes, 3 pushState route changes and a submit of a 7-field form, and the next 300 ms.',
    "Both scripts' top-level compile is streamed off the main thread; functions compiled on their first",
    "call count where V8 reports them, inside the caller's frame.",
    '',
    thread,
    '',
    `Pagebell's main-thread time is ${ratio.toFixed(2)} of Plausible's in this run (goal: at most 0.5).`,
  ].join('\n')
  console.log(body)
  if (process.argv.includes('--write')) writeBenchmarkSection(SECTION, body, { keepNotes: true })
}

await main()
