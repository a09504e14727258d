// Rule matching cost per event: the compiled index (`compileRules` + `matchWithIndex`, what the
// contact object runs the first time it sees a URL; `matchingRules` then memoizes it) against a plain loop over every pattern, in the same run, for 10,
// 1,000 and 10,000 patterns on one site. Goal: ≤ 50 µs per event at 10,000 patterns.
// `npx tsx bench/matching.ts [--write]` prints the table; --write also puts it into
// docs/benchmarks.md ("## Rule matching cost").
import { cpus, loadavg } from 'node:os'
import { compileRules, matchWithIndex, type CompiledRule, type PageRule } from '../durable-objects/rules/page-rules'
import { matchesPattern, normalizeUrl } from '../durable-objects/rules/url-pattern'
import { RUN_DATE, writeBenchmarkSection } from './support/doc-section'
import { collectGarbage, random } from './support/repeatable'

const SIZES = [10, 1_000, 10_000]
const EVENTS = 1_000
/** Each measurement repeats the event list until it has run at least this long. */
const MIN_MS = 1_000

// The shapes a marketer writes, in rough proportion, each with a URL of that shape; `i` makes
// each pattern distinct.
type Shape = { pattern: (i: number) => string; url: (i: number, r: (n: number) => number) => string }
const SHAPES: Shape[] = [
  { pattern: (i) => `/products/p-${i}`, url: (i) => `https://www.example.com/products/p-${i}?utm_source=mail` },
  { pattern: (i) => `/products/p-${i}`, url: (i) => `https://example.com/products/p-${i}/` },
  { pattern: (i) => `/blog/${2020 + (i % 7)}/post-${i}`, url: (i) => `https://example.com/blog/${2020 + (i % 7)}/post-${i}/` },
  {
    pattern: (i) => `/docs/section-${i}/**`,
    url: (i, r) => `https://example.com/docs/section-${i}/${r(2) ? 'install' : 'api/methods/list'}`,
  },
  { pattern: (i) => `/category-${i}/*/item`, url: (i) => `https://example.com/category-${i}/shoes/item` },
  { pattern: (i) => `/files/report-${i}-*.pdf`, url: (i) => `https://example.com/files/report-${i}-2026.pdf` },
  { pattern: (i) => `example.com/landing/${i}`, url: (i) => `https://example.com/landing/${i}#form` },
  {
    pattern: (i) => `www.example.com/campaign-${i}?utm_campaign=c${i}*`,
    url: (i) => `https://example.com/campaign-${i}?utm_source=x&utm_campaign=c${i}-spring`,
  },
  { pattern: (i) => `/pricing?plan=p${i}`, url: (i) => `https://example.com/pricing?plan=p${i}` },
  { pattern: (i) => `/*/test-${i}.php`, url: (i) => `https://example.com/legacy/test-${i}.php` },
  { pattern: (i) => `/shop/**/sku-${i}`, url: (i) => `https://example.com/shop/men/shoes/sku-${i}` },
  { pattern: (i) => `/team/*-${i}`, url: (i) => `https://example.com/team/jane-${i}` },
]
/** Pages no pattern is about. */
const OTHER_URLS = [(i: number) => `https://example.com/about/careers/${i}`, () => 'https://example.com/']

/** Which shape pattern `k` of a set has. */
const shapeOf = (patterns: number) => {
  const r = random(patterns)
  return Array.from({ length: patterns }, () => r(SHAPES.length))
}

function rulesOf(patterns: number): PageRule[] {
  const shapes = shapeOf(patterns)
  const r = random(patterns + 1)
  const rules: PageRule[] = []
  // Two rows per rule, as alerts with a couple of pages each.
  for (let k = 0; k < patterns; k += 2) {
    const pages = [k, k + 1].filter((j) => j < patterns).map((j) => ({ pattern: SHAPES[shapes[j]!]!.pattern(j), minSeconds: r(60) }))
    rules.push({ id: `rule-${k / 2}`, kind: 'alert', pages, limit: { count: 1, period: 'day' } })
  }
  return rules
}

/** Half the events visit a page some pattern is about, the rest look alike but are not. */
function urlsFor(patterns: number): string[] {
  const shapes = shapeOf(patterns)
  const r = random(7 * patterns + 1)
  return Array.from({ length: EVENTS }, (_, e) => {
    const k = r(patterns)
    if (e % 2 === 0) return SHAPES[shapes[k]!]!.url(k, r)
    if (e % 10 === 1) return OTHER_URLS[r(OTHER_URLS.length)]!(k)
    return SHAPES[r(SHAPES.length)]!.url(patterns + k, r)
  })
}

/** What the contact object did before the index: normalize once, then try every row. */
function naiveMatching(rules: CompiledRule[], url: string): Array<{ rule: CompiledRule; minMs: number }> {
  const normalized = normalizeUrl(url)
  if (!normalized) return []
  const out: Array<{ rule: CompiledRule; minMs: number }> = []
  for (const rule of rules) {
    let minMs = Infinity
    for (const row of rule.compiled) if (row.minMs < minMs && matchesPattern(row.pattern, normalized)) minMs = row.minMs
    if (minMs !== Infinity) out.push({ rule, minMs })
  }
  return out
}

type Timing = { perEventUs: number; p99Us: number; matched: number }

/**
 * Runs the event list again and again for MIN_MS. The figure per event is the median pass
 * divided by its events (robust to the odd pass another process slows down); the p99 is
 * over single events.
 */
function time(urls: string[], match: (url: string) => unknown[]): Timing {
  for (const url of urls) match(url) // warm-up: let the JIT settle
  collectGarbage()
  const passes: number[] = []
  const samples: number[] = []
  let matched = 0
  const started = performance.now()
  while (performance.now() - started < MIN_MS || passes.length < 3) {
    const passStart = performance.now()
    for (const url of urls) {
      const t = performance.now()
      matched += match(url).length
      samples.push(performance.now() - t)
    }
    passes.push(performance.now() - passStart)
  }
  passes.sort((a, b) => a - b)
  samples.sort((a, b) => a - b)
  return {
    perEventUs: ((passes[Math.floor(passes.length / 2)] ?? 0) / urls.length) * 1000,
    p99Us: (samples[Math.floor(samples.length * 0.99)] ?? 0) * 1000,
    matched: matched / samples.length,
  }
}

type Row = { patterns: number; compileMs: number; indexed: Timing; naive: Timing }

function measure(patterns: number): Row {
  const source = rulesOf(patterns)
  const urls = urlsFor(patterns)
  const t = performance.now()
  const rules = compileRules(source)
  const compileMs = performance.now() - t
  // Both must give the same answers, or the comparison means nothing.
  for (const url of urls) {
    const a = JSON.stringify(matchWithIndex(rules, url).map((m) => [m.rule.id, m.minMs]))
    const b = JSON.stringify(naiveMatching(rules, url).map((m) => [m.rule.id, m.minMs]))
    if (a !== b) throw new Error(`index and loop disagree on ${url}: ${a} vs ${b}`)
  }
  return { patterns, compileMs, indexed: time(urls, (u) => matchWithIndex(rules, u)), naive: time(urls, (u) => naiveMatching(rules, u)) }
}

function table(rows: Row[]): string {
  const us = (n: number) => (n < 10 ? n.toFixed(2) : n.toFixed(1))
  return [
    '| patterns | compiled index µs/event (p99) | loop over all patterns µs/event (p99) | loop ÷ index | matches/event | compile ms |',
    '|---|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.patterns.toLocaleString('en-US')} | ${us(r.indexed.perEventUs)} (${us(r.indexed.p99Us)}) | ${us(r.naive.perEventUs)} (${us(r.naive.p99Us)}) | ${(r.naive.perEventUs / r.indexed.perEventUs).toFixed(1)}× | ${r.indexed.matched.toFixed(2)} | ${r.compileMs.toFixed(1)} |`,
    ),
  ].join('\n')
}

function section(rows: Row[]): string {
  const at10k = rows.find((r) => r.patterns === 10_000)
  const load = loadavg()[0] ?? 0
  return [
    `Measured ${RUN_DATE} with \`npx tsx bench/matching.ts --write\` (Node ${process.version}, ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${cpus().length} cores, load average ${load.toFixed(1)}${load > 1 ? ', shared with other work' : ''}).`,
    `One site, ${EVENTS.toLocaleString('en-US')} event URLs (half of them a page some pattern is about), two rows per rule, patterns of`,
    '12 shapes (literal paths, `*` and `**` in the middle and at the end, globs inside a segment, hosts with and without',
    '`www.`, query conditions). Time per event includes parsing the URL; both sides give the same answers (checked).',
    '',
    table(rows),
    '',
    at10k
      ? `Goal ≤ 50 µs per event at 10,000 patterns: ${at10k.indexed.perEventUs <= 50 ? 'met' : 'not met'} (${at10k.indexed.perEventUs.toFixed(1)} µs per event, ${at10k.indexed.p99Us.toFixed(1)} µs p99).`
      : '',
  ].join('\n')
}

const rows = SIZES.map(measure)
const body = section(rows)
console.log(body)
if (process.argv.includes('--write')) writeBenchmarkSection('## Rule matching cost', body)
