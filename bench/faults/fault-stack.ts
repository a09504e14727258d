// One running copy of the product for fault cases: its own local state folder (D1, objects),
// the demo data plus the cases' lanes, the SMTP sink behind a gate that can go down or hang,
// and `wrangler dev` serving the bundled worker with the cron handler reachable over HTTP
// (`--test-scheduled`). It can be killed and started again on the same state, with either config,
// and it offers what an operator has: D1 statements (`wrangler d1 execute --local`), the outbox
// API, the sweeper at a chosen time.
import { spawn } from 'node:child_process'
import { appendFileSync, cpSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { prepareDatabase, QUIET_WRANGLER_ENV, startWranglerDev, type DevServer } from '../../scripts/local-stack'
import { startMailSink, type MailSink } from '../../scripts/mail-sink'
import { freePort } from '../../test/support/free-port'
import type { Fixture } from './fixture'
import { httpRequest } from './http-request'
import { startSmtpGate, type SmtpGate } from './smtp-gate'
import type { WorkerBundle } from './worker-bundle'

/** One outbox row as GET /api/v1/outbox shows it (the fields the suite reads). */
export type Delivery = {
  alertKey: string
  status: string
  error: string | null
  attempts: Array<{ attempt: number; outcome: string; detail: string; at: number }>
  recipientOutcomes: Array<{ address: string; status: string; error: string | null }>
  nextAttemptAt: number | null
  retryUntil: number | null
  createdAt: number
  sentAt: number | null
}

export class FaultStack {
  private dev: DevServer | null = null
  private logText = ''
  private constructor(
    readonly name: string,
    readonly persistDir: string,
    readonly bundle: WorkerBundle,
    readonly sink: MailSink,
    readonly gate: SmtpGate,
    private readonly port: number,
    private readonly apiToken: string,
    readonly logFile: string,
  ) {}

  /**
   * The state every stack starts from, made once: migrations, the demo data, the lanes. (Each
   * step is a `wrangler` run of several seconds; copying the folder costs nothing.)
   */
  static async prepareState(fixture: Fixture, workDir: string): Promise<string> {
    const dir = join(workDir, 'state-template')
    await prepareDatabase(dir)
    const seed = join(workDir, 'fixture.sql')
    writeFileSync(seed, fixture.sql)
    await wranglerD1(dir, ['--file', seed])
    return dir
  }

  static async start(name: string, state: string, bundle: WorkerBundle, fixture: Fixture, workDir: string): Promise<FaultStack> {
    const persistDir = mkdtempSync(join(tmpdir(), `pagebell-faults-${name}-`))
    cpSync(state, persistDir, { recursive: true })
    const sink = await startMailSink({ quiet: true })
    const gate = await startSmtpGate({ port: await freePort(), targetPort: sink.smtpPort })
    const stack = new FaultStack(
      name,
      persistDir,
      bundle,
      sink,
      gate,
      await freePort(),
      fixture.apiToken,
      join(workDir, `wrangler-${name}.log`),
    )
    await stack.startWorker()
    return stack
  }

  get baseUrl(): string {
    if (!this.dev) throw new Error(`${this.name}: the worker is not running`)
    return this.dev.baseUrl
  }

  /** Starts `wrangler dev` on this stack's state; `deadLetter` picks the config with few queue retries. */
  async startWorker(options: { deadLetter?: boolean } = {}): Promise<void> {
    this.note(`starting wrangler dev${options.deadLetter ? ' (dead-letter config)' : ''}`)
    this.dev = await startWranglerDev({
      port: this.port,
      persistDir: this.persistDir,
      config: options.deadLetter ? this.bundle.deadLetterConfig : this.bundle.config,
      readyPath: '/demo',
      vars: { SMTP_URL: `smtp://127.0.0.1:${this.gate.port}` },
      // Its own inspector port too: wrangler picks 9229 or the next free one, a race between stacks starting together.
      args: ['--test-scheduled', '--inspector-port', String(await freePort())],
      log: (line) => {
        this.logText += line
        appendFileSync(this.logFile, line)
      },
    })
  }

  /** SIGKILL to wrangler dev and workerd: whatever they were doing stops mid-way. */
  async killWorker(): Promise<void> {
    this.note('killing wrangler dev (SIGKILL)')
    await this.dev?.kill()
    this.dev = null
  }

  async stop(): Promise<void> {
    await this.dev?.stop()
    this.dev = null
    await this.gate.close()
    await this.sink.close()
  }

  /** A line in this stack's log, so the worker's own lines can be read against the suite's steps. */
  note(text: string): void {
    const line = `\n==== faults ${new Date().toISOString()} ${text} ====\n`
    this.logText += line
    appendFileSync(this.logFile, line)
  }

  /** How many times the worker's log says `pattern` since `from` (a position from `logMark`). */
  logCount(pattern: RegExp, from = 0): number {
    return this.logText.slice(from).match(new RegExp(pattern.source, 'g'))?.length ?? 0
  }

  logMark(): number {
    return this.logText.length
  }

  /** A statement on the stack's local D1, from another process, as an operator would run it. */
  async d1<T = Record<string, unknown>>(sql: string): Promise<T[]> {
    this.note(`d1: ${sql}`)
    const out = await wranglerD1(this.persistDir, ['--json', '--command', sql], (line) => this.note(line))
    const parsed = JSON.parse(out) as Array<{ results: T[] }>
    return parsed.flatMap((r) => r.results)
  }

  /**
   * Runs statements inside contacts' Durable Objects (their own SQLite), with the worker stopped,
   * through the object surgeon (bench/faults/object-surgeon), optionally setting each object's
   * alarm `alarmInMs` ahead: returns each statement's rows.
   */
  async objectSql(statements: Array<{ contactId: string; query: string; alarmInMs?: number }>): Promise<unknown[][]> {
    if (this.dev) throw new Error('stop the worker before operating on its objects')
    this.note(`object surgeon: ${statements.map((s) => `${s.contactId}: ${s.query}`).join(' | ')}`)
    const surgeon = await startWranglerDev({
      port: this.port,
      persistDir: this.persistDir,
      config: 'bench/faults/object-surgeon/wrangler.toml',
      args: ['--inspector-port', String(await freePort())],
      log: (line) => appendFileSync(this.logFile, line),
    })
    try {
      const results: unknown[][] = []
      for (const { contactId, query, alarmInMs } of statements) {
        const answer = await httpRequest(`${surgeon.baseUrl}/?object=${encodeURIComponent(`contact:${contactId}`)}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query, alarmInMs }),
        })
        if (answer.status !== 200) throw new Error(`object surgeon answered ${answer.status}: ${answer.body}`)
        results.push(JSON.parse(answer.body) as unknown[])
      }
      return results
    } finally {
      await surgeon.stop()
    }
  }

  /** Runs the cron handler (the outbox sweeper) as if the trigger fired at `at`. */
  async sweep(at: number): Promise<void> {
    this.note(`sweep at ${new Date(at).toISOString()}`)
    const answer = await httpRequest(`${this.baseUrl}/cdn-cgi/handler/scheduled?time=${at}`, { timeoutMs: 15_000 })
    if (answer.status !== 200) throw new Error(`the scheduled handler answered ${answer.status}: ${answer.body}`)
  }

  async outbox(alertId: string): Promise<Delivery[]> {
    const answer = await httpRequest(`${this.baseUrl}/api/v1/outbox?limit=100&alert=${encodeURIComponent(alertId)}`, {
      headers: { authorization: `Bearer ${this.apiToken}` },
    })
    if (answer.status !== 200) throw new Error(`GET /api/v1/outbox answered ${answer.status}: ${answer.body}`)
    return (JSON.parse(answer.body) as { deliveries: Delivery[] }).deliveries
  }
}

/**
 * `wrangler d1 execute` in a child process, awaited: the suite's sinks and gates keep serving
 * meanwhile. Now and then (seen right after a stack was killed) its workerd blocks writing its
 * output while wrangler waits on it, forever; such a run is killed after D1_TIMEOUT_MS and run
 * once more. A statement that did run and only hung on its output then fails the second time
 * (e.g. "no such table"), which shows in the case's result.
 */
async function wranglerD1(persistDir: string, args: string[], log?: (line: string) => void): Promise<string> {
  try {
    return await wranglerD1Once(persistDir, args)
  } catch (err) {
    if (!(err instanceof D1Timeout)) throw err
    log?.(`wrangler d1 execute hung for ${D1_TIMEOUT_MS / 1000} s; killed, running it again`)
    return wranglerD1Once(persistDir, args)
  }
}

const D1_TIMEOUT_MS = 60_000

class D1Timeout extends Error {}

function wranglerD1Once(persistDir: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['wrangler', 'd1', 'execute', 'DB', '--local', '--persist-to', persistDir, ...args], {
      env: { ...process.env, ...QUIET_WRANGLER_ENV, CI: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so a hung run can be killed with its workerd.
      detached: true,
    })
    let out = ''
    let err = ''
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      try {
        process.kill(-child.pid!, 'SIGKILL')
      } catch {
        // Already gone.
      }
    }, D1_TIMEOUT_MS)
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk))
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      if (timedOut) reject(new D1Timeout(`wrangler d1 execute ${args.join(' ')} hung`))
      else if (code === 0) resolve(out)
      else reject(new Error(`wrangler d1 execute ${args.join(' ')} failed (${code}):\n${out}\n${err}`))
    })
  })
}
