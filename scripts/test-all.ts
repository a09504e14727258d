// `npm test`: every check and suite, in order — SDK build, type-check, a deploy dry run, the
// Workers-pool tests, and the Node-side tests (pure core, size, browser). Ends with
// "N passed, N failed" summed over all of them, and exits non-zero on any failure. A test that
// did not run counts as failed (see test-tally.ts), as does a suite without a report and a test
// file that neither vitest config picks up.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import * as v from 'valibot'
import { QUIET_WRANGLER_ENV } from './local-stack'
import { neverRun, tallyReport, VitestReportSchema } from './test-tally'

const total = { passed: 0, failed: 0 }
const problems: string[] = []
const reportedFiles = new Set<string>()
let everySuiteReported = true
const env = { ...process.env, ...QUIET_WRANGLER_ENV }
const fromRoot = (file: string) => relative(process.cwd(), file)

function fail(problem: string): void {
  total.failed++
  problems.push(problem)
  console.log(`✗ ${problem}`)
}

function check(name: string, cmd: string, args: string[]): void {
  console.log(`\n▶ ${name}`)
  const run = spawnSync(cmd, args, { stdio: 'inherit', env })
  if (run.status === 0) total.passed++
  else fail(`${name} failed (exit ${run.status})`)
}

function vitestSuite(name: string, config: string): void {
  console.log(`\n▶ ${name}`)
  mkdirSync('test-results', { recursive: true })
  const report = `test-results/${name}.json`
  // A report left by an earlier run must not stand in for this one.
  rmSync(report, { force: true })
  const run = spawnSync(
    'npx',
    ['vitest', 'run', '--config', config, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`],
    {
      stdio: 'inherit',
      env,
    },
  )
  const parsed = existsSync(report) ? v.safeParse(VitestReportSchema, parseJson(readFileSync(report, 'utf8'))) : undefined
  if (!parsed?.success) {
    everySuiteReported = false
    fail(
      parsed
        ? `${name}: ${report} is not a vitest JSON report: ${v.summarize(parsed.issues)}`
        : `${name}: vitest wrote no report (exit ${run.status})`,
    )
    return
  }
  for (const file of parsed.output.testResults) reportedFiles.add(resolve(file.name))
  const tally = tallyReport(parsed.output, run.status, fromRoot)
  total.passed += tally.passed
  total.failed += tally.failed
  problems.push(...tally.problems.map((problem) => `${name}: ${problem}`))
  if (tally.failed > 0) console.log(`✗ ${name}: ${tally.failed} failed or did not run`)
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

function testFilesOnDisk(): string[] {
  const names = readdirSync('test', { recursive: true, encoding: 'utf8' })
  return names.filter((name) => name.endsWith('.test.ts')).map((name) => resolve('test', name))
}

check('build the tracking script', 'npm', ['run', '--silent', 'build:sdk'])
check('type-check (tsc -b)', 'npx', ['tsc', '-b'])
check('lint (ESLint with the layer rule, prettier)', 'npm', ['run', '--silent', 'lint'])
check('wrangler deploy --dry-run', 'npx', ['wrangler', 'deploy', '--dry-run', '--outdir', join('dist', 'worker')])
vitestSuite('workers', 'vitest.workers.config.ts')
vitestSuite('node', 'vitest.node.config.ts')
// Only meaningful when both suites reported: a missing report has already failed the run.
if (everySuiteReported) {
  for (const file of neverRun(testFilesOnDisk(), reportedFiles)) fail(`never ran (no vitest config includes it): ${fromRoot(file)}`)
}

if (problems.length > 0) console.log(`\nCounted as failed:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`)
console.log(`\n${total.passed} passed, ${total.failed} failed`)
process.exit(total.failed === 0 ? 0 : 1)
