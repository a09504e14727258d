// `npm run bench [-- name ...]`: runs the benchmarks one after another (never in parallel: they
// would share the two cores) and writes their figures into docs/benchmarks.md.
import { spawnSync } from 'node:child_process'

const BENCHES: Record<string, string[]> = {
  sdk: ['bench/sdk-main-thread.ts', '--write'],
  matching: ['bench/matching.ts', '--write'],
  campaigns: ['bench/campaigns.ts', '--write'],
  collect: ['bench/collect-throughput.ts', '--write'],
  latency: ['bench/alert-latency.ts', '60', '4', '--write'],
  'latency-burst': ['bench/alert-latency.ts', '60', '10', '--write'],
  contacts: ['bench/contacts-search.ts', '--write'],
  load: ['bench/load-reconciled.ts', '--write'],
}

const wanted = process.argv.slice(2)
const unknown = wanted.filter((name) => !(name in BENCHES))
if (unknown.length) {
  console.error(`unknown bench ${unknown.join(', ')}; choose from ${Object.keys(BENCHES).join(', ')}`)
  process.exit(2)
}
let failed = 0
for (const name of wanted.length ? wanted : Object.keys(BENCHES)) {
  console.log(`\n▶ bench ${name}`)
  const run = spawnSync('npx', ['tsx', ...BENCHES[name]!], { stdio: 'inherit' })
  if (run.status !== 0) failed++
}
process.exit(failed ? 1 : 0)
