// Writes the fault suite's table into the "## Last run" section of docs/reliability.md, dated by
// the run; the rest of the page is written by hand.
import { readFileSync, writeFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { RUN_DATE } from '../support/doc-section'
import type { CaseResult } from './fault-case'

const FILE = 'docs/reliability.md'
const HEADING = '## Last run'

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ')

export function resultTable(results: CaseResult[]): string {
  const rows = results.map((r) => {
    const result = r.ok ? 'ok' : `**FAILED**: ${r.problems.join('; ')}`
    return `| ${cell(r.title)} | ${cell(r.fault)} | ${r.expected} | ${r.delivered} | ${r.duplicated} | ${cell(result)} | ${cell(r.notes.join('; '))} |`
  })
  return ['| case | fault | alerts expected | delivered | duplicated | result | notes |', '|---|---|---|---|---|---|---|', ...rows].join(
    '\n',
  )
}

export function writeReliabilitySection(results: CaseResult[], wallMs: number): void {
  const failed = results.filter((r) => !r.ok).length
  const load = loadavg()[0] ?? 0
  const body = [
    `Run ${RUN_DATE} with \`npm run faults\` in ${Math.round(wallMs / 1000)} s (Node ${process.version}, ${cpus().length} cores, ` +
      `load average ${load.toFixed(1)}${load > cpus().length ? ', shared with other work' : ''}): ` +
      `${results.length - failed} of ${results.length} cases ok.`,
    '',
    resultTable(results),
  ].join('\n')
  const md = readFileSync(FILE, 'utf8')
  const start = md.indexOf(HEADING)
  if (start < 0) throw new Error(`${FILE} has no "${HEADING}" section`)
  const next = md.indexOf('\n## ', start + HEADING.length)
  const end = next < 0 ? md.length : next + 1
  writeFileSync(FILE, `${md.slice(0, start)}${HEADING}\n\n${body}\n${next < 0 ? '' : '\n'}${md.slice(end)}`)
}
