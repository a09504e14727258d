// Contacts search and alert analytics at size: 100,000 contacts (with 300,000 page-day rows) and
// 1,000,000 outbox rows seeded into a local D1, then the REST API timed through `wrangler dev`
// for a few query shapes of GET /api/v1/contacts and GET /api/v1/alerts/{id}/analytics, with the
// query plans SQLite chose for the SQL the worker sends. Goal: p95 ≤ 200 ms.
// Run: npx tsx bench/contacts-search.ts [--write] [--state DIR]. Bounded: seeding ~2 min, timing ~1 min.
// Rows are generated inside SQLite by recursive CTEs (one INSERT … SELECT per table, run by
// `wrangler d1 execute --file`), so seeding costs no round trip per row.
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { DAY_MS, offsetSpans, QUARTER_HOUR_MS } from '../durable-objects/rules/offset-spans'
import { buildScriptIfMissing, prepareDatabase, QUIET_WRANGLER_ENV, startWranglerDev } from '../scripts/local-stack'
import { freePort } from '../test/support/free-port'
import { alertDefinition } from '../worker/db/queries/alert-shape'
import { DEMO } from '../worker/demo/demo-data'
import { RUN_DATE, writeBenchmarkSection } from './support/doc-section'

const WRITE = process.argv.includes('--write')
/** `--state DIR`: keep the seeded database there and reuse it on the next run (to study a plan). */
const STATE = process.argv.includes('--state') ? process.argv[process.argv.indexOf('--state') + 1] : undefined
const CONTACTS = 100_000
const DELIVERIES = 1_000_000
const ALERTS = 20
const BENCH_ALERT = {
  ...DEMO.alert,
  pages: [{ pattern: '/demo/pricing/**', minSeconds: 10 }],
  attachmentTemplate: null,
  attachmentFormat: null,
  templateHtml: null,
}
const REPS = 4
const WARMUP = 5
const RUNS = 40
const SHAPE_BUDGET_MS = 20_000
const GOAL_MS = 200
const WS = DEMO.workspace.id
const NOW = Date.now()
/** Only ever valid in the bench's own throw-away database. */
const TOKEN = 'pbt_bench_contacts_search'

const FIRST = [
  'Anna',
  'Ben',
  'Chloé',
  'Dariusz',
  'Elena',
  'Farid',
  'Greta',
  'Hugo',
  'Ines',
  'Jonas',
  'Kasia',
  'Liam',
  'Maja',
  'Noah',
  'Olga',
  'Pavel',
  'Quinn',
  'Rosa',
  'Stefan',
  'Tomás',
]
const LAST = [
  'Adams',
  'Bauer',
  'Costa',
  'Dubois',
  'Engel',
  'Fischer',
  'García',
  'Horvat',
  'Ivanov',
  'Jansen',
  'Kowalski',
  'Larsen',
  'Müller',
  'Novak',
  'Olsen',
  'Petit',
  'Rossi',
  'Schmidt',
  'Tanaka',
  'Weber',
  'Young',
  'Zieliński',
  'Moreau',
  'Nagy',
  'Lindqvist',
]
const COMPANY = [
  'Acme',
  'Globex',
  'Initech',
  'Umbrella',
  'Hooli',
  'Stark',
  'Wayne',
  'Wonka',
  'Soylent',
  'Tyrell',
  'Cyberdyne',
  'Aperture',
  'Vandelay',
  'Pied Piper',
  'Dunder Mifflin',
  'Oscorp',
  'Gringotts',
  'Monarch',
  'Vehement',
  'Blue Sun',
]
const PAGES = [
  '/demo/pricing',
  '/demo/pricing/plans',
  '/demo/pricing/enterprise',
  '/demo/docs/start',
  '/demo/docs/api',
  '/demo/contact',
  '/demo/careers',
]

const sqlText = (v: string) => `'${v.replaceAll("'", "''")}'`
const jsonList = (items: string[]) => sqlText(JSON.stringify(items))
/** The i-th entry of a JSON list literal, i a SQL expression. */
const pick = (list: string[], index: string) => `json_extract(${jsonList(list)}, '$[' || (${index}) || ']')`

/** The product's search folding (accents dropped) for the letters of the names above, in SQL. */
const fold = (expr: string) =>
  [
    ['é', 'e'],
    ['á', 'a'],
    ['í', 'i'],
    ['ü', 'u'],
    ['ń', 'n'],
  ].reduce((e, [from, to]) => `replace(${e}, '${from}', '${to}')`, expr)

/** Every row the bench needs, as SQL run inside SQLite. */
function seedSql(): string {
  const reps = Array.from({ length: REPS }, (_, i) => `bench-rep-${i}`)
  const owners = [DEMO.admin.id, ...reps]
  const tokenHash = createHash('sha256').update(TOKEN).digest('hex')
  const statements = [
    ...reps.map(
      (id, i) =>
        `INSERT INTO users (id, workspace_id, email, name, role) VALUES ('${id}', '${WS}', 'rep${i}@acme.test', 'Rep ${i}', 'sales')`,
    ),
    `INSERT INTO api_tokens (id, token_hash, user_id, workspace_id, name) VALUES ('tok_bench', '${tokenHash}', '${DEMO.admin.id}', '${WS}', 'bench')`,
    // An alert is the campaign it is (worker/db/queries/alert-shape.ts), at version 1.
    ...Array.from({ length: ALERTS }, (_, i) => [
      `INSERT INTO campaigns (id, workspace_id, name, category, active, current_version, created_by) VALUES ('bench-alert-${i}', '${WS}', 'Bench alert ${i}', 'alert', 1, 1, '${DEMO.admin.id}')`,
      `INSERT INTO campaign_versions (campaign_id, version, workspace_id, definition, created_by) VALUES ('bench-alert-${i}', 1, '${WS}', '${JSON.stringify(
        alertDefinition({ ...BENCH_ALERT, name: `Bench alert ${i}` }),
      )}', '${DEMO.admin.id}')`,
    ]).flat(),
    // One contact every ~5 minutes over the last year; one in eight without owner.
    `INSERT INTO contacts (id, workspace_id, email, name, company, phone, owner_id, tags, score, identified_by, search_text, created_at, updated_at)
     WITH RECURSIVE seq(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM seq WHERE n < ${CONTACTS - 1}),
     people AS (SELECT n, ${pick(FIRST, `n % ${FIRST.length}`)} AS first, ${pick(LAST, `(n / ${FIRST.length}) % ${LAST.length}`)} AS last,
       ${pick(COMPANY, `(n * 7) % ${COMPANY.length}`)} AS company, ${NOW} - (${CONTACTS} - n) * 315000 AS at FROM seq),
     rows AS (SELECT n, first || ' ' || last AS name, company, at,
       lower(replace(first, 'é', 'e')) || '.' || n || '@' || lower(replace(company, ' ', '')) || '.test' AS email FROM people)
     SELECT printf('bench-c-%06d', n), '${WS}', email, name, company, '', CASE WHEN n % 8 = 0 THEN NULL ELSE ${pick(owners, `n % ${owners.length}`)} END,
       '[]', n % 100, 'form', ${fold('lower(email || char(10) || name || char(10) || company)')}, at, at FROM rows`,
    // Three page days per contact within the last 90 days.
    `INSERT INTO contact_page_days (workspace_id, contact_id, day, url, views)
     WITH RECURSIVE seq(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM seq WHERE n < ${CONTACTS * 3 - 1})
     SELECT '${WS}', printf('bench-c-%06d', n / 3), ${Math.floor(NOW / DAY_MS)} - (n * 31) % 90,
       'http://localhost:8787' || ${pick(PAGES, `(n * 13) % ${PAGES.length}`)}, 1 + n % 3 FROM seq WHERE true
     ON CONFLICT DO NOTHING`,
    `INSERT INTO workspace_pages (workspace_id, url, last_day)
     SELECT workspace_id, url, max(day) FROM contact_page_days WHERE workspace_id = '${WS}' GROUP BY url`,
    // Outbox rows over the last 90 days; alert 0 is the busy one (30% of all rows). The triggers of
    // alert_delivery_counts count each row as it is inserted, as they do in the product.
    `INSERT INTO alert_deliveries (id, workspace_id, alert_id, contact_id, alert_key, status, attempts, transport, recipients, subject, created_at, updated_at, sent_at)
     WITH RECURSIVE seq(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM seq WHERE n < ${DELIVERIES - 1}),
     rows AS (SELECT n, ${NOW} - ((n * 104729) % 7776000) * 1000 AS at FROM seq)
     SELECT 'bench-d-' || n, '${WS}', 'bench-alert-' || CASE WHEN n % 10 < 3 THEN 0 ELSE 1 + n % ${ALERTS - 1} END,
       printf('bench-c-%06d', (n * 7919) % ${CONTACTS}), 'bench-k-' || n,
       CASE WHEN n % 100 < 85 THEN 'sent' WHEN n % 100 < 90 THEN 'failed' WHEN n % 100 < 95 THEN 'digested' WHEN n % 100 < 98 THEN 'skipped' ELSE 'pending' END,
       1, 'smtp', '["owner@acme.test"]', 'Pagebell alert', at, at, at FROM rows`,
  ]
  return statements.map((s) => `${s};`).join('\n')
}

function d1(persistDir: string, args: string[]): string {
  const run = spawnSync('npx', ['wrangler', 'd1', 'execute', 'DB', '--local', '--persist-to', persistDir, ...args], {
    env: { ...process.env, ...QUIET_WRANGLER_ENV, CI: 'true' },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  })
  if (run.status !== 0) throw new Error(`wrangler d1 execute failed:\n${run.stdout}\n${run.stderr}`)
  return run.stdout
}

function queryPlan(persistDir: string, sql: string): string[] {
  const out = d1(persistDir, ['--json', '--command', `EXPLAIN QUERY PLAN ${sql}`])
  const parsed = JSON.parse(out) as Array<{ results: Array<{ detail: string }> }>
  return parsed.flatMap((r) => r.results.map((row) => row.detail))
}

/** A request to time, and the main statement the worker runs for it (as worker/db/queries/ builds it) to show its plan. */
type Shape = { name: string; path: string; sql: string }

const CONTACT_COLUMNS =
  'contacts.id, contacts.email, contacts.name, contacts.company, contacts.owner_id, contacts.created_at, users.email, users.name'
/** listContacts: the workspace, the filters, the keyset order, one row more than the page. */
const contactsSql = (where: string) =>
  `SELECT ${CONTACT_COLUMNS} FROM contacts LEFT JOIN users ON users.id = contacts.owner_id
   WHERE contacts.workspace_id = '${WS}'${where} ORDER BY contacts.created_at DESC, contacts.id DESC LIMIT 51`
const like = (term: string) => ` AND contacts.search_text LIKE '%${term}%' ESCAPE '\\'`
/** alertReport: the alert's counts in the window per local day (Paris, the demo's zone) and status. */
function analyticsSql(alertId: string, days: number) {
  const first = Math.floor((NOW - (days + 1) * DAY_MS) / QUARTER_HOUR_MS)
  const last = Math.floor(NOW / QUARTER_HOUR_MS)
  const [oldest, ...later] = offsetSpans(first, last, DEMO.workspace.timeZone)
  const whens = later.reverse().map((s) => `WHEN quarter_hour >= ${s.fromQuarterHour} THEN ${s.offsetMs} `)
  const offset = whens.length ? `CASE ${whens.join('')}ELSE ${oldest!.offsetMs} END` : String(oldest!.offsetMs)
  return `SELECT (quarter_hour * ${QUARTER_HOUR_MS} + ${offset}) / ${DAY_MS}, status, sum(deliveries) FROM alert_delivery_counts
   WHERE alert_id = '${alertId}' AND quarter_hour >= ${first} AND quarter_hour <= ${last} AND workspace_id = '${WS}'
   GROUP BY (quarter_hour * ${QUARTER_HOUR_MS} + ${offset}) / ${DAY_MS}, status`
}
const SINCE_DAY = new Date(NOW - 7 * DAY_MS).toISOString().slice(0, 10)

const SHAPES: Shape[] = [
  { name: 'first page, no filter', path: '/contacts', sql: contactsSql('') },
  { name: 'search, common name ("anna")', path: '/contacts?q=anna', sql: contactsSql(like('anna')) },
  { name: 'search, one e-mail ("kasia.70010@")', path: '/contacts?q=kasia.70010%40', sql: contactsSql(like('kasia.70010@')) },
  { name: 'search, no match ("zzqx")', path: '/contacts?q=zzqx', sql: contactsSql(like('zzqx')) },
  {
    name: 'owner + search ("müller")',
    path: '/contacts?owner=bench-rep-1&q=m%C3%BCller',
    sql: contactsSql(` AND contacts.owner_id = 'bench-rep-1'${like('muller')}`),
  },
  {
    name: 'identified in the last 7 days',
    path: `/contacts?identifiedSince=${SINCE_DAY}`,
    sql: contactsSql(` AND contacts.created_at >= ${Date.parse(SINCE_DAY)}`),
  },
  {
    name: 'visited /demo/pricing/** in 30 days',
    path: '/contacts?visited=%2Fdemo%2Fpricing%2F**&visitedDays=30',
    sql: contactsSql(
      ` AND contacts.id IN (SELECT contact_id FROM contact_page_days WHERE workspace_id = '${WS}' AND day >= ${Math.floor(NOW / DAY_MS) - 29}
        AND url IN (SELECT value FROM json_each('["http://localhost:8787/demo/pricing","http://localhost:8787/demo/pricing/plans"]')))`,
    ),
  },
  {
    name: 'analytics, busy alert (300k rows), 30 days',
    path: '/alerts/bench-alert-0/analytics?days=30',
    sql: analyticsSql('bench-alert-0', 30),
  },
  { name: 'analytics, busy alert, 90 days', path: '/alerts/bench-alert-0/analytics?days=90', sql: analyticsSql('bench-alert-0', 90) },
  {
    name: 'analytics, usual alert (37k rows), 30 days',
    path: '/alerts/bench-alert-5/analytics?days=30',
    sql: analyticsSql('bench-alert-5', 30),
  },
  {
    name: 'alerts list (each with its last sent time)',
    path: '/alerts',
    sql: `SELECT c.id, v.definition, (SELECT max(d.sent_at) FROM alert_deliveries AS d WHERE d.alert_id = c.id) FROM campaigns AS c JOIN campaign_versions AS v ON v.campaign_id = c.id AND v.version = c.current_version WHERE c.workspace_id = '${WS}' AND c.category = 'alert' AND c.deleted_at IS NULL`,
  },
]

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!

/** Times `path` RUNS times after a warm-up, within SHAPE_BUDGET_MS (a slow shape reports fewer runs rather than stalling the bench). */
async function time(baseUrl: string, path: string): Promise<number[]> {
  const times: number[] = []
  const deadline = performance.now() + SHAPE_BUDGET_MS
  for (let i = 0; i < WARMUP + RUNS && performance.now() < deadline; i++) {
    const started = performance.now()
    const res = await fetch(`${baseUrl}/api/v1${path}`, { headers: { authorization: `Bearer ${TOKEN}` } })
    const body = await res.text()
    if (res.status !== 200) throw new Error(`${path} answered ${res.status}: ${body.slice(0, 300)}`)
    if (i >= WARMUP) times.push(performance.now() - started)
  }
  if (times.length === 0) throw new Error(`${path}: not one timed run within ${SHAPE_BUDGET_MS / 1000} s`)
  return times.sort((a, b) => a - b)
}

function plans(persistDir: string): Map<string, string[]> {
  return new Map(SHAPES.map((shape) => [shape.name, queryPlan(persistDir, shape.sql.replace(/\s+/g, ' '))]))
}

async function main() {
  buildScriptIfMissing()
  const persistDir = STATE ?? mkdtempSync(join(tmpdir(), 'pagebell-bench-contacts-'))
  const seededMark = join(persistDir, 'bench-seeded')
  try {
    const seedStarted = performance.now()
    if (!existsSync(seededMark)) {
      await prepareDatabase(persistDir)
      const file = join(persistDir, 'bench-seed.sql')
      writeFileSync(file, seedSql())
      d1(persistDir, ['--file', file])
      writeFileSync(seededMark, new Date().toISOString())
    }
    const seedSeconds = (performance.now() - seedStarted) / 1000
    const counts = JSON.parse(
      d1(persistDir, [
        '--json',
        '--command',
        'SELECT (SELECT count(*) FROM contacts) AS contacts, (SELECT count(*) FROM alert_deliveries) AS deliveries, (SELECT count(*) FROM contact_page_days) AS pageDays',
      ]),
    ) as Array<{ results: Array<{ contacts: number; deliveries: number; pageDays: number }> }>
    const seeded = counts[0]!.results[0]!
    console.log(`seeded ${JSON.stringify(seeded)} in ${seedSeconds.toFixed(0)} s`)
    const planByShape = plans(persistDir)

    const server = await startWranglerDev({ port: await freePort(), persistDir, readyPath: '/demo' })
    const rows: Array<{ shape: Shape; runs: number; p50: number; p95: number; max: number }> = []
    try {
      for (const shape of SHAPES) {
        const times = await time(server.baseUrl, shape.path)
        const row = { shape, runs: times.length, p50: percentile(times, 50), p95: percentile(times, 95), max: times.at(-1)! }
        rows.push(row)
        console.log(`${shape.name.padEnd(48)} p50 ${row.p50.toFixed(1).padStart(6)} ms   p95 ${row.p95.toFixed(1).padStart(6)} ms`)
      }
    } finally {
      await server.stop()
    }

    const missed = rows.filter((r) => r.p95 > GOAL_MS)
    const verdict = missed.length
      ? `Goal (p95 ≤ ${GOAL_MS} ms) missed by ${missed.map((r) => `"${r.shape.name}" (${r.p95.toFixed(0)} ms)`).join(', ')}; met by the other ${rows.length - missed.length} shapes`
      : `Goal (p95 ≤ ${GOAL_MS} ms) met by every shape`
    console.log(verdict)
    if (WRITE) {
      const table = rows.map(
        (r) => `| ${r.shape.name} | \`${r.shape.path}\` | ${r.runs} | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} | ${r.max.toFixed(1)} |`,
      )
      const planLines = [...planByShape].map(([name, details]) => `- ${name}: ${details.map((d) => `\`${d}\``).join('; ')}`)
      writeBenchmarkSection(
        '## Contacts search and alert analytics at 100,000 contacts and 1,000,000 deliveries',
        `Run ${RUN_DATE} with \`npx tsx bench/contacts-search.ts --write\` on ${cpus().length} cores (load ${loadavg()[0]!.toFixed(1)}): ${seeded.contacts.toLocaleString('en')} contacts, ${seeded.pageDays.toLocaleString('en')} page-day rows and ${seeded.deliveries.toLocaleString('en')} outbox rows (${ALERTS} alerts, 30% on one) seeded into a local D1 in ${seedSeconds.toFixed(0)} s, then ${RUNS} requests per shape (after ${WARMUP} to warm up), one at a time, through \`wrangler dev\` with an API token: the time includes the worker, its token check and the local proxy. ${verdict}.

| shape | request | runs | p50 ms | p95 ms | max ms |
|---|---|---:|---:|---:|---:|
${table.join('\n')}

SQLite's plan for the main statement of each shape (as the query modules build it; no \`ANALYZE\` statistics, as a fresh D1 has none):

${planLines.join('\n')}`,
        { keepNotes: true },
      )
    }
  } finally {
    if (!STATE) rmSync(persistDir, { recursive: true, force: true })
  }
}

main().catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})
