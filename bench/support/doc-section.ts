// Writes a benchmark's figures into its own "## ..." section of docs/benchmarks.md.
import { readFileSync, writeFileSync } from 'node:fs'

const FILE = 'docs/benchmarks.md'

/** The day this run measured, so a section never claims an older run's date. */
export const RUN_DATE = new Date().toISOString().slice(0, 10)

/**
 * Replaces the body of the section under `heading`. With `keepNotes`, hand-written "### "
 * subsections at the end of the old body (analysis, diagnostics) are kept after the new figures.
 */
export function writeBenchmarkSection(heading: string, body: string, options: { keepNotes?: boolean } = {}): void {
  const md = readFileSync(FILE, 'utf8')
  const start = md.indexOf(heading)
  if (start < 0) throw new Error(`${FILE} has no "${heading}" section`)
  const next = md.indexOf('\n## ', start + heading.length)
  const end = next < 0 ? md.length : next + 1
  const kept = options.keepNotes ? (md.slice(start + heading.length, end).match(/\n### [\s\S]*$/)?.[0] ?? '') : ''
  // Trimmed, so that rewriting a section does not add a blank line before the next one each time.
  const notes = kept ? `\n${kept.trim()}\n` : ''
  writeFileSync(FILE, `${md.slice(0, start)}${heading}\n\n${body.trim()}\n${notes}${next < 0 ? '' : '\n'}${md.slice(end)}`)
}
