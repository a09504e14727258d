// The tracking script's size budget: the minified IIFE the snippet loads is at most 2,000 bytes
// after gzip -9 (zlib level 9, as `gzip -9 < dist/pb.js`, without a file name in the header).
// Issue 16 asks for 1,500 B with its features; the script measures 1,954 B (1,356 B without
// them, per-feature costs in docs/tracking-script.md), so the budget is a product decision left
// open there. This test keeps any further growth from going unnoticed.
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { beforeAll, describe, expect, it } from 'vitest'

const BUDGET = 2_000

beforeAll(() => {
  const run = spawnSync('npm', ['run', '--silent', 'build:sdk'], { encoding: 'utf8' })
  if (run.status !== 0) throw new Error(`build:sdk failed:\n${run.stdout}\n${run.stderr}`)
})

describe('tracking script size', () => {
  it(`sdk: dist/pb.js is at most ${BUDGET} bytes after gzip -9`, () => {
    const code = readFileSync('dist/pb.js')
    const gzipped = gzipSync(code, { level: 9 }).length
    console.log(`dist/pb.js: ${code.length} B minified, ${gzipped} B gzip -9 (budget ${BUDGET} B)`)
    expect(gzipped).toBeLessThanOrEqual(BUDGET)
  })

  it('sdk: the snippet script has no unload handlers, no cookies and no validator', () => {
    const code = readFileSync('dist/pb.js', 'utf8')
    expect(code).not.toMatch(/unload|cookie|valibot/)
  })

  it('sdk: the ESM build exports createPagebell and defines no global', () => {
    const code = readFileSync('dist/pagebell.mjs', 'utf8')
    expect(code).toMatch(/export\{[^}]*as createPagebell\}|export\s*\{\s*createPagebell/)
    expect(code).not.toContain('window.pagebell')
  })
})
