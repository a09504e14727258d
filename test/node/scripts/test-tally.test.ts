// `npm test`'s totals: what did not run is counted as failed. The reports below have the shape
// vitest 4's JSON reporter wrote for a file with a skip, a todo and a failure, a file whose
// beforeAll threw, and a file that did not load.
import { describe, expect, it } from 'vitest'
import { neverRun, tallyReport, type VitestReport } from '../../../scripts/test-tally'

const same = (file: string) => file
const file = (name: string, status: string, tests: [string, string][], message = ''): VitestReport['testResults'][number] => ({
  name,
  status,
  message,
  assertionResults: tests.map(([fullName, testStatus]) => ({ fullName, status: testStatus })),
})
const report = (testResults: VitestReport['testResults'], success = false): VitestReport => ({
  success,
  numTotalTests: testResults.reduce((n, f) => n + f.assertionResults.length, 0),
  testResults,
})

describe('test tally', () => {
  it('test-tally: counts passed and failed tests as vitest does when everything ran', () => {
    const all = report(
      [
        file('a.test.ts', 'passed', [
          ['one', 'passed'],
          ['two', 'passed'],
        ]),
      ],
      true,
    )
    expect(tallyReport(all, 0, same)).toEqual({ passed: 2, failed: 0, problems: [] })
  })

  it('test-tally: counts skipped and todo tests as failed, naming them', () => {
    const tally = tallyReport(
      report([
        file('a.test.ts', 'failed', [
          ['runs', 'passed'],
          ['skip', 'skipped'],
          ['later', 'todo'],
          ['bad', 'failed'],
        ]),
      ]),
      1,
      same,
    )
    expect(tally.passed).toBe(1)
    expect(tally.failed).toBe(3)
    expect(tally.problems).toEqual([
      'did not run (skipped): a.test.ts › skip',
      'did not run (todo): a.test.ts › later',
      'failed: a.test.ts › bad',
    ])
  })

  it('test-tally: counts the tests of a file whose beforeAll threw, which vitest calls skipped', () => {
    const tally = tallyReport(
      report([
        file(
          'b.test.ts',
          'failed',
          [
            ['x', 'skipped'],
            ['y', 'skipped'],
          ],
          'setup broke',
        ),
      ]),
      1,
      same,
    )
    expect(tally.failed).toBe(2)
    expect(tally.problems[0]).toBe('did not run (skipped: setup broke): b.test.ts › x')
  })

  it('test-tally: counts a file that did not load, or failed after its tests passed, as one failure', () => {
    const tally = tallyReport(
      report([
        file('c.test.ts', 'failed', [], "Cannot find module './gone'\n  at c.test.ts:1"),
        file('d.test.ts', 'failed', [['ok', 'passed']], 'afterAll threw'),
      ]),
      1,
      same,
    )
    expect(tally).toEqual({
      passed: 1,
      failed: 2,
      problems: ["failed outside any test: c.test.ts: Cannot find module './gone'", 'failed outside any test: d.test.ts: afterAll threw'],
    })
  })

  it('test-tally: counts a failed run with no failing test (an unhandled error) as one failure', () => {
    const passedFiles = [file('a.test.ts', 'passed', [['one', 'passed']])]
    expect(tallyReport(report(passedFiles, false), 1, same).failed).toBe(1)
    expect(tallyReport(report(passedFiles, true), 1, same).failed).toBe(1)
  })

  it('test-tally: counts a report whose totals disagree with its tests as a failure', () => {
    const odd = { ...report([file('a.test.ts', 'passed', [['one', 'passed']])], true), numTotalTests: 3 }
    expect(tallyReport(odd, 0, same).failed).toBe(1)
  })

  it('test-tally: lists test files no report mentions', () => {
    expect(neverRun(['/r/test/a.test.ts', '/r/test/orphan/b.test.ts'], new Set(['/r/test/a.test.ts']))).toEqual([
      '/r/test/orphan/b.test.ts',
    ])
  })
})
