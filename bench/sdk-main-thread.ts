// Main-thread cost of the tracking script in Chromium, next to Plausible's npm tracker, in one
// run: a Chromium trace of each page visit, summing the time spent in each script's own code
// (compile, evaluation, and every function call attributed to its URL: listeners, timers,
// promise callbacks), at load and over a scripted visit (4 visibility changes, 3 pushState
// route changes, a form submit). `npx tsx bench/sdk-main-thread.ts [--write]` prints the figures;
// --write puts them, with bench/sdk-size.ts's table, into docs/benchmarks.md.
import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { chromium, type Browser } from 'playwright-core'
import { measureSizes, plausibleBuild, sizeTable } from './sdk-size'
import { writeBenchmarkSection } from './support/doc-section'

const DATE = '2026-11-29'
const RUNS = Number(process.env.BENCH_RUNS ?? 15)
const SECTION = '## Tracking script size and main-thread cost'

type TraceEvent = { name: string; ph: string; ts: number; dur?: number; tid: number; args?: { data?: { url?: string; stackTrace?: { url: string }[] } } }
type Variant = 'none' | 'pagebell' | 'plausible'

const FORM = `<form id="f" action="/sent"><input name="name" value="Dana"><input type="email" name="email" value="dana@buyer.test">
<input name="company" value="Buyer"><input type="tel" name="phone" value="+48 123"><textarea name="message">Hello</textarea>
<input type="password" name="pw" value="x"><select name="plan"><option>team</option></select><button>Send</button></form>`
const BODY = `<h1>Pricing</h1>${'<p>Plans for every team size. '.repeat(40)}</p>${FORM}
<script>document.getElementById('f').addEventListener('submit', (e) => e.preventDefault())</script>`

const page = (variant: Variant) =>
  `<!doctype html><html><head><meta charset="utf-8"><title>Bench</title>${
    variant === 'pagebell'
      ? '<script async src="/pagebell.js" data-site="bench-site" data-endpoint="/collect"></script>'
      : variant === 'plausible'
        ? '<script async src="/plausible.js"></script>'
        : ''
  }</head><body>${BODY}</body></html>`

async function serve(plausible: string) {
  const files: Record<string, [string, string]> = {
    '/pagebell.js': ['text/javascript', readFileSync('dist/pb.js', 'utf8')],
    // Initialised in the same file, so its set-up is attributed to it. `__plausible` lets it
    // track under automation (it ignores navigator.webdriver browsers otherwise).
    '/plausible.js': ['text/javascript', `window.__plausible=1;${plausible};plausible.init({domain:'bench.test',endpoint:'/api/event',captureOnLocalhost:true,formSubmissions:true,outboundLinks:true})`],
    '/pagebell': ['text/html', page('pagebell')],
    '/plausible': ['text/html', page('plausible')],
    '/none': ['text/html', page('none')],
  }
  const server = createServer((req, res) => {
    req.resume()
    const path = (req.url ?? '/').split('?')[0]!
    const file = files[path]
    if (req.method === 'POST') return void res.writeHead(202).end()
    if (!file) return void res.writeHead(404).end()
    res.writeHead(200, { 'content-type': `${file[0]}; charset=utf-8`, 'cache-control': 'no-store' }).end(file[1])
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise<void>((r) => server.close(() => r())) }
}

/** Milliseconds covered by the union of the events whose script URL ends in `file`. */
function ownTime(events: TraceEvent[], file: string): number {
  const mine = events.filter((e) => {
    if (e.ph !== 'X' || !e.dur) return false
    if (!['EvaluateScript', 'FunctionCall', 'v8.compile', 'v8.callFunction', 'TimerFire'].includes(e.name)) return false
    return e.args?.data?.url?.endsWith(file) ?? false
  })
  const byThread = new Map<number, [number, number][]>()
  for (const e of mine) byThread.set(e.tid, [...(byThread.get(e.tid) ?? []), [e.ts, e.ts + e.dur!]])
  let total = 0
  for (const spans of byThread.values()) {
    spans.sort((a, b) => a[0] - b[0])
    let [start, end] = spans[0]!
    for (const [s, e] of spans.slice(1)) {
      if (s > end) (total += end - start), ([start, end] = [s, e])
      else end = Math.max(end, e)
    }
    total += end - start
  }
  return total / 1000
}

/**
 * Listeners run inside the dispatching call when page code fires an event, so the trace
 * cannot attribute them; the synchronous part of the visit is timed in the page instead and
 * the same visit on a page without any tracker is subtracted. The trace adds what runs later
 * (timers, fetch callbacks) on the script's own account.
 */
async function visit(browser: Browser, base: string, variant: Variant): Promise<{ load: number; sync: number; later: number }> {
  const context = await browser.newContext()
  const tab = await context.newPage()
  const file = `/${variant}.js`
  await browser.startTracing(tab, { categories: ['devtools.timeline', 'v8', 'disabled-by-default-devtools.timeline'] })
  await tab.goto(`${base}/${variant}`, { waitUntil: 'load' })
  await tab.waitForTimeout(300)
  const loadTrace = JSON.parse((await browser.stopTracing()).toString()) as { traceEvents: TraceEvent[] }
  await browser.startTracing(tab, { categories: ['devtools.timeline', 'v8', 'disabled-by-default-devtools.timeline'] })
  // A string, not a function: tsx would wrap named inner functions in a helper the page lacks.
  const sync = await tab.evaluate(`(async () => {
    const t0 = performance.now()
    const flip = (hidden) => {
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => hidden })
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (hidden ? 'hidden' : 'visible') })
      document.dispatchEvent(new Event('visibilitychange'))
    }
    for (let i = 0; i < 2; i++) flip(true), flip(false)
    for (const p of ['/a', '/b', '/c']) history.pushState({}, '', p)
    document.getElementById('f').requestSubmit()
    const elapsed = performance.now() - t0
    await new Promise((r) => setTimeout(r, 300))
    return elapsed
  })()`)
  const visitTrace = JSON.parse((await browser.stopTracing()).toString()) as { traceEvents: TraceEvent[] }
  await context.close()
  return { load: ownTime(loadTrace.traceEvents, file), sync: sync as number, later: ownTime(visitTrace.traceEvents, file) }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

async function main() {
  const sizes = await measureSizes()
  const plausible = await plausibleBuild()
  const server = await serve(plausible)
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  })
  const results: Record<Variant, { load: number[]; sync: number[]; later: number[] }> = {
    none: { load: [], sync: [], later: [] },
    pagebell: { load: [], sync: [], later: [] },
    plausible: { load: [], sync: [], later: [] },
  }
  try {
    for (let i = 0; i < RUNS + 2; i++)
      for (const v of ['none', 'pagebell', 'plausible'] as const) {
        const r = await visit(browser, server.base, v)
        // The first two rounds warm up the browser and are not counted.
        if (i >= 2) results[v].load.push(r.load), results[v].sync.push(r.sync), results[v].later.push(r.later)
      }
  } finally {
    await browser.close()
    await server.close()
  }
  const baseline = median(results.none.sync)
  const total = (v: Variant) => median(results[v].load) + Math.max(0, median(results[v].sync) - baseline) + median(results[v].later)
  const row = (v: Variant, name: string) => {
    const load = median(results[v].load)
    const handlers = Math.max(0, median(results[v].sync) - baseline) + median(results[v].later)
    return `| ${name} | ${load.toFixed(2)} | ${handlers.toFixed(2)} | ${total(v).toFixed(2)} |`
  }
  const thread = [
    '| script | load: compile + evaluate + first send, ms | visit handlers, ms | total, ms |',
    '|---|---|---|---|',
    row('pagebell', 'Pagebell `dist/pb.js`'),
    row('plausible', '@plausible-analytics/tracker (init with form, outbound-link tracking)'),
  ].join('\n')
  const ratio = total('plausible') / total('pagebell')
  const body = [
    `Measured ${DATE} with \`npx tsx bench/sdk-main-thread.ts --write\` (sizes from \`bench/sdk-size.ts\`, same run).`,
    '',
    'Size: both scripts bundled as an IIFE by rollup and minified with the same terser options',
    '(`sdk/terser.json`); gzip at level 9 (zlib, as `gzip -9 < file`), brotli at quality 11. The size',
    'test (`test/node/sdk-size.test.ts`) fails above 1,500 B gzip for `dist/pb.js`.',
    '',
    sizeTable(sizes),
    '',
    `Main thread: Debian Chromium ${browser.version()}, headless, ${RUNS} visits per script after 2 warm-up rounds, medians.`,
    'A Chromium trace of each visit; the time is the union of the trace slices attributed to the',
    "script's own URL (compile, evaluation, and calls from timers, listeners and promise callbacks).",
    '"Visit handlers" is a scripted visit: 4 visibility changes, 3 pushState route changes and a',
    'submit of a 7-field form. Listeners run inside the page code that fires those events, where a',
    'trace cannot attribute them, so that part is timed in the page and the same visit on a page',
    'without a tracker is subtracted; what the script runs later (sends, fetch callbacks) comes from the trace.',
    '',
    thread,
    '',
    `Plausible's tracker costs ${ratio.toFixed(1)}× Pagebell's main-thread time in this run.`,
  ].join('\n')
  console.log(body)
  if (process.argv.includes('--write')) writeBenchmarkSection(SECTION, body)
}

await main()
