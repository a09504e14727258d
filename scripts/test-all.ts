// `npm test`: every check and suite, in order — SDK build, type-check, a deploy dry run, the
// Workers-pool tests, and the Node-side tests (pure core, size, browser). Ends with
// "N passed, N failed" summed over all of them, and exits non-zero on any failure.
import { spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync, existsSync } from 'node:fs'
import { QUIET_WRANGLER_ENV } from './local-stack'

type Tally = { passed: number; failed: number }
const total: Tally = { passed: 0, failed: 0 }
const env = { ...process.env, ...QUIET_WRANGLER_ENV }

function check(name: string, cmd: string, args: string[]): void {
  console.log(`\n▶ ${name}`)
  const run = spawnSync(cmd, args, { stdio: 'inherit', env })
  if (run.status === 0) total.passed++
  else (total.failed++, console.log(`✗ ${name} failed`))
}

function vitestSuite(name: string, config: string): void {
  console.log(`\n▶ ${name}`)
  mkdirSync('test-results', { recursive: true })
  const report = `test-results/${name}.json`
  const run = spawnSync('npx', ['vitest', 'run', '--config', config, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`], {
    stdio: 'inherit',
    env,
  })
  if (!existsSync(report)) {
    total.failed++
    return void console.log(`✗ ${name} produced no report (exit ${run.status})`)
  }
  const json = JSON.parse(readFileSync(report, 'utf8')) as { numPassedTests: number; numFailedTests: number; numTotalTestSuites: number; success: boolean }
  total.passed += json.numPassedTests
  total.failed += json.numFailedTests
  // A suite that failed to load counts as a failure even when no single test failed.
  if (!json.success && json.numFailedTests === 0) total.failed++
}

check('build the tracking script', 'npm', ['run', '--silent', 'build:sdk'])
check('type-check (tsc -b)', 'npx', ['tsc', '-b'])
check('wrangler deploy --dry-run', 'npx', ['wrangler', 'deploy', '--dry-run', '--outdir', 'dist/worker'])
vitestSuite('workers', 'vitest.workers.config.ts')
vitestSuite('node', 'vitest.node.config.ts')

console.log(`\n${total.passed} passed, ${total.failed} failed`)
process.exit(total.failed === 0 ? 0 : 1)
