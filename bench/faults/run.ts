// `npm run faults [-- case-id ...] [--no-write]`: the fault suite (docs/reliability.md). Real
// servers fail on purpose under `wrangler dev`, and every alert is counted at the SMTP sink.
// Three stacks run side by side, each its own wrangler dev, state folder, SMTP sink and gate,
// because their faults cannot share a worker: one for the 150 s outage in real time, one for the
// SMTP and D1 faults case after case, one for the cases that kill the worker. Within a stack,
// the cases of a step run together (each on its own lane) and steps run one after another; the
// SMTP hang whose connections are dropped goes last on its stack: it can leave the worker unable
// to answer.
// Exits 1 if any case misses an alert, duplicates one, or fails its own checks. Writes the table
// into docs/reliability.md only on a full run (no case named) without --no-write.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildScriptIfMissing } from '../../scripts/local-stack'
import { cc550 } from './cases/cc-550'
import { d1Alarm } from './cases/d1-alarm'
import { d1DeadLetter } from './cases/d1-dead-letter'
import { forgedBatch } from './cases/forged-batch'
import { killedMidVisit } from './cases/killed-mid-visit'
import { objectReset } from './cases/object-reset'
import { replayedBatch } from './cases/replayed-batch'
import { smtp451 } from './cases/smtp-451'
import { smtpDown150s } from './cases/smtp-down-150s'
import { smtpDown6h } from './cases/smtp-down-6h'
import { smtpHang, smtpHangRestart } from './cases/smtp-hang'
import type { CaseReport, CaseResult, FaultCase } from './fault-case'
import { FaultStack } from './fault-stack'
import { fixtureSql, lane } from './fixture'
import { countLane } from './lane-mail'
import { resultTable, writeReliabilitySection } from './reliability-doc'
import { Visitor } from './visitor'
import { bundleWorker } from './worker-bundle'

/** Each stack's steps, in order; the cases of one step run at the same time. */
const PLAN: Record<string, FaultCase[][]> = {
  outage: [[smtpDown150s]],
  smtp: [[forgedBatch, replayedBatch, smtp451, cc550], [d1Alarm], [smtpDown6h], [smtpHang], [smtpHangRestart]],
  crash: [[killedMidVisit], [objectReset], [d1DeadLetter]],
}
const ORDER = Object.values(PLAN).flat(2)

/**
 * Before counting: the sweeper runs once with its clock an hour ahead (the cron would within
 * the hour), then anything it queued, or any late retry, has this long to show up.
 */
const SETTLE_MS = 15_000

const args = process.argv.slice(2)
const named = args.filter((a) => !a.startsWith('--'))
const unknown = named.filter((id) => !ORDER.some((c) => c.id === id))
if (unknown.length) {
  console.error(`unknown case ${unknown.join(', ')}; choose from ${ORDER.map((c) => c.id).join(', ')}`)
  process.exit(2)
}
const selected = (c: FaultCase) => named.length === 0 || named.includes(c.id)
const write = named.length === 0 && !args.includes('--no-write')

const stacks: FaultStack[] = []
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void Promise.all(stacks.map((s) => s.stop())).finally(() => process.exit(130))
  })
}

async function runCase(stack: FaultStack, c: FaultCase): Promise<{ c: FaultCase; report: CaseReport }> {
  const l = lane(c.id, c.lane)
  const started = Date.now()
  console.log(`[${stack.name}] ${c.id}: start`)
  try {
    const report = await c.run({ stack, lane: l, visitor: (name) => new Visitor(() => stack.baseUrl, l, name) })
    console.log(`[${stack.name}] ${c.id}: done in ${Math.round((Date.now() - started) / 1000)} s`)
    return { c, report }
  } catch (err) {
    console.error(`[${stack.name}] ${c.id}: error`, err)
    const message = err instanceof Error ? err.message : String(err)
    // Without the list of contacts, count what arrived against none: any alert shows as extra.
    return { c, report: { expect: [], notes: [], problems: [`the case stopped: ${message.split('\n')[0]}`] } }
  }
}

async function runStack(name: string, steps: FaultCase[][], start: (name: string) => Promise<FaultStack>): Promise<CaseResult[]> {
  let stack: FaultStack
  try {
    stack = await start(name)
  } catch (err) {
    console.error(`[${name}] the stack did not start`, err)
    const problem = `its stack did not start: ${(err instanceof Error ? err.message : String(err)).split('\n')[0]}`
    return steps.flat().map((c) => ({
      id: c.id,
      title: c.title,
      fault: c.fault,
      expected: 0,
      delivered: 0,
      duplicated: 0,
      notes: [],
      problems: [problem],
      ok: false,
    }))
  }
  stacks.push(stack)
  try {
    const reports: Array<{ c: FaultCase; report: CaseReport }> = []
    for (const step of steps) reports.push(...(await Promise.all(step.map((c) => runCase(stack, c)))))
    try {
      await stack.sweep(Date.now() + 3_600_000)
    } catch (err) {
      // The counts stand without it: they are what reached the sink.
      console.error(`[${name}] final sweep not run:`, err instanceof Error ? err.message : err)
    }
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS))
    const results: CaseResult[] = []
    for (const { c, report } of reports) {
      const count = countLane(stack.sink, lane(c.id, c.lane), report.expect)
      const problems = [...report.problems, ...(report.finalCheck ? await report.finalCheck(count) : [])]
      if (count.missing.length) problems.unshift(`no alert for ${count.missing.length} of ${report.expect.length} contacts`)
      const ok = problems.length === 0 && count.alerts === report.expect.length && count.duplicated === 0
      if (!ok && count.alerts !== report.expect.length && !count.missing.length)
        problems.push(`${count.alerts} alerts arrived, ${report.expect.length} expected`)
      if (count.duplicated) problems.push(`${count.duplicated} duplicate messages`)
      results.push({
        id: c.id,
        title: c.title,
        fault: c.fault,
        expected: report.expect.length,
        delivered: count.alerts,
        duplicated: count.duplicated,
        notes: report.notes,
        problems,
        ok,
      })
    }
    return results
  } finally {
    console.log(`[${name}] worker log: ${stack.logFile}`)
    await stack.stop()
  }
}

async function main(): Promise<number> {
  const began = Date.now()
  const workDir = mkdtempSync(join(tmpdir(), 'pagebell-faults-'))
  buildScriptIfMissing()
  console.log('bundling the worker …')
  const bundle = bundleWorker(workDir)
  const fixture = await fixtureSql(ORDER.map((c) => ({ lane: lane(c.id, c.lane), options: c.lane ?? {} })))
  console.log('preparing the local state (migrations, demo data, lanes) …')
  const state = await FaultStack.prepareState(fixture, workDir)

  const plan = Object.entries(PLAN)
    .map(([name, steps]) => [name, steps.map((step) => step.filter(selected)).filter((step) => step.length)] as const)
    .filter(([, steps]) => steps.length)
  const perStack = await Promise.all(
    plan.map(([name, steps]) => runStack(name, steps, (n) => FaultStack.start(n, state, bundle, fixture, workDir))),
  )
  const results = ORDER.flatMap((c) => perStack.flat().filter((r) => r.id === c.id))
  console.log(`\n${resultTable(results)}\n`)
  const failed = results.filter((r) => !r.ok)
  console.log(`${results.length - failed.length} of ${results.length} cases ok in ${Math.round((Date.now() - began) / 1000)} s`)
  if (write) writeReliabilitySection(results, Date.now() - began)
  return failed.length ? 1 : 0
}

process.exitCode = await main()
