// Honest totals from a vitest JSON report: a test that did not run is a failure, never a silent
// gap in "N passed, N failed". Skipped and todo tests count as failed (this project has no test
// that is meant to be skipped), and so does a test file that failed outside any test (it did not
// load, or a hook threw), and a run that failed with no failing test at all.
import * as v from 'valibot'

/** The parts of vitest's JSON reporter output (Jest-compatible) read here. */
export const VitestReportSchema = v.object({
  success: v.boolean(),
  numTotalTests: v.number(),
  testResults: v.array(
    v.object({
      name: v.string(),
      status: v.string(),
      message: v.optional(v.string()),
      assertionResults: v.array(v.object({ fullName: v.string(), status: v.string() })),
    }),
  ),
})
export type VitestReport = v.InferOutput<typeof VitestReportSchema>

export type Tally = {
  passed: number
  failed: number
  /** One line per failure: which test or file, and why. */
  problems: string[]
}

export function tallyReport(report: VitestReport, exitCode: number | null, relative: (file: string) => string): Tally {
  const tally: Tally = { passed: 0, failed: 0, problems: [] }
  let tests = 0
  for (const file of report.testResults) {
    let failedHere = 0
    // Why a file's tests were skipped without being marked so: its beforeAll threw.
    const fileError = file.status === 'failed' && file.message ? firstLine(file.message) : undefined
    for (const test of file.assertionResults) {
      tests++
      if (test.status === 'passed') {
        tally.passed++
        continue
      }
      failedHere++
      const reason = fileError ? `${test.status}: ${fileError}` : test.status
      const why = test.status === 'failed' ? 'failed' : `did not run (${reason})`
      tally.problems.push(`${why}: ${relative(file.name)} › ${test.fullName}`)
    }
    tally.failed += failedHere
    // A file that failed although none of its tests did: it did not load, or a hook threw.
    if (file.status === 'failed' && failedHere === 0) {
      tally.failed++
      tally.problems.push(`failed outside any test: ${relative(file.name)}: ${firstLine(file.message)}`)
    }
  }
  if (tests !== report.numTotalTests) {
    tally.failed++
    tally.problems.push(`the report lists ${tests} tests but counts ${report.numTotalTests}`)
  }
  // An unhandled error or a failed global setup fails the run without failing any file.
  if (tally.failed === 0 && (!report.success || exitCode !== 0)) {
    tally.failed++
    tally.problems.push(`vitest failed (exit ${exitCode}) with no failing test: see its output above`)
  }
  return tally
}

function firstLine(message: string | undefined): string {
  const line = message?.split('\n')[0]
  return line ? line : '(no message)'
}

/** Test files on disk that no report mentions: matched by no vitest config, so never run. */
export function neverRun(testFiles: string[], reported: ReadonlySet<string>): string[] {
  return testFiles.filter((file) => !reported.has(file))
}
