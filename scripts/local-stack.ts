// Runs the product locally the way `npm start` and the browser tests need it: D1 migrations
// applied and demo data seeded into a local state folder, the SMTP sink, and `wrangler dev`.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { drizzle, type SqliteRemoteDatabase } from 'drizzle-orm/sqlite-proxy'
import * as schema from '../worker/db/schema'
import { seedDemo } from '../worker/db/queries/demo'
import { DEMO } from '../worker/demo/demo-data'
import { startMailSink, type MailSink } from './mail-sink'

export const QUIET_WRANGLER_ENV = { WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false', NO_UPDATE_NOTIFIER: '1' }

export type LocalStack = { baseUrl: string; sink: MailSink; persistDir: string; stop: () => Promise<void> }

export type LocalStackOptions = {
  port: number
  /** Where local D1/DO/queue state lives; a fresh temporary folder when omitted. */
  persistDir?: string
  smtpPort?: number
  mailViewPort?: number
  /** Extra `--var NAME:value` settings for the worker. */
  vars?: Record<string, string>
  /** Seed the demo data (default). Without it the instance has no user, as a fresh deployment: /admin/setup is open. */
  demo?: boolean
  log?: (line: string) => void
}

const wrangler = (args: string[], persistDir: string) => {
  const run = spawnSync('npx', ['wrangler', ...args, '--persist-to', persistDir], {
    env: { ...process.env, ...QUIET_WRANGLER_ENV, CI: 'true' },
    encoding: 'utf8',
  })
  if (run.status !== 0) throw new Error(`wrangler ${args.join(' ')} failed:\n${run.stdout}\n${run.stderr}`)
}

export function buildScriptIfMissing(): void {
  if (existsSync('worker/generated/pb-script.ts')) return
  const run = spawnSync('npm', ['run', '--silent', 'build:sdk'], { stdio: 'inherit' })
  if (run.status !== 0) throw new Error('building the tracking script failed')
}

/** The demo rows as SQL, produced by running `seedDemo` through a recording drizzle driver. */
export const demoSeedSql = (): Promise<string> => recordedSql((db) => seedDemo(db, DEMO))

/**
 * The statements `build` runs, as SQL text for `wrangler d1 execute --file`: drizzle writes them
 * against the schema through a driver that records instead of executing.
 */
export async function recordedSql(build: (db: SqliteRemoteDatabase<typeof schema>) => Promise<void>): Promise<string> {
  const statements: string[] = []
  const literal = (v: unknown): string => {
    if (v === null || v === undefined) return 'NULL'
    if (typeof v === 'number' || typeof v === 'bigint') return String(v)
    if (typeof v === 'boolean') return v ? '1' : '0'
    if (typeof v === 'string') return `'${v.replaceAll("'", "''")}'`
    throw new Error(`recorded SQL: no literal for a ${typeof v} parameter`)
  }
  const recorder = drizzle(
    (sql, params) => {
      let i = 0
      statements.push(sql.replace(/\?/g, () => literal(params[i++])) + ';')
      return Promise.resolve({ rows: [] })
    },
    { schema },
  )
  await build(recorder)
  return statements.join('\n')
}

export async function prepareDatabase(persistDir: string, options: { demo?: boolean } = {}): Promise<void> {
  wrangler(['d1', 'migrations', 'apply', 'DB', '--local'], persistDir)
  if (options.demo !== false) applySql(persistDir, await demoSeedSql())
}

/** Runs SQL statements against the local D1 in `persistDir` (before a server is started on it). */
export function applySql(persistDir: string, statements: string): void {
  const file = join(mkdtempSync(join(tmpdir(), 'pagebell-sql-')), 'statements.sql')
  writeFileSync(file, statements)
  wrangler(['d1', 'execute', 'DB', '--local', '--file', file], persistDir)
}

export type DevServer = {
  baseUrl: string
  stop: () => Promise<void>
  /** SIGKILL to the whole process group at once: a crash, not a shutdown (the fault suite uses it). */
  kill: () => Promise<void>
}

/** `wrangler dev` on loopback with its own state folder; resolves once `readyPath` answers. */
export async function startWranglerDev(options: {
  port: number
  persistDir: string
  config?: string
  readyPath?: string
  vars?: Record<string, string>
  /** Further `wrangler dev` arguments, e.g. `--test-scheduled` to drive the cron handler over HTTP. */
  args?: string[]
  log?: (line: string) => void
}): Promise<DevServer> {
  const args = ['wrangler', 'dev', '--config', options.config ?? 'wrangler.toml', '--ip', '127.0.0.1', '--port', String(options.port)]
  args.push('--persist-to', options.persistDir, '--show-interactive-dev-session=false')
  for (const [name, value] of Object.entries(options.vars ?? {})) args.push('--var', `${name}:${value}`)
  args.push(...(options.args ?? []))
  return startServerProcess(args, options)
}

/**
 * Spawns `npx <args>` in its own process group and waits until `readyPath` answers over HTTP
 * on `port`: `wrangler dev`, or the benches' launcher of a worker without an inspector.
 */
export async function startServerProcess(
  args: string[],
  options: { port: number; readyPath?: string; log?: (line: string) => void },
): Promise<DevServer> {
  const child = spawn('npx', args, { env: { ...process.env, ...QUIET_WRANGLER_ENV }, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
  const log = options.log
  if (log) {
    child.stdout?.on('data', (d: Buffer) => log(d.toString()))
    child.stderr?.on('data', (d: Buffer) => log(d.toString()))
  } else {
    child.stdout?.resume()
    child.stderr?.resume()
  }
  const baseUrl = `http://127.0.0.1:${options.port}`
  const stop = () => stopProcessGroup(child)
  const kill = () => killProcessGroup(child)
  try {
    await waitForHttp(`${baseUrl}${options.readyPath ?? '/'}`, child, 60_000)
  } catch (err) {
    await stop()
    throw err
  }
  return { baseUrl, stop, kill }
}

export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const persistDir = options.persistDir ?? mkdtempSync(join(tmpdir(), 'pagebell-state-'))
  buildScriptIfMissing()
  await prepareDatabase(persistDir, { demo: options.demo })
  const sink = await startMailSink({ smtpPort: options.smtpPort, httpPort: options.mailViewPort })
  try {
    const vars = { SMTP_URL: `smtp://127.0.0.1:${sink.smtpPort}`, ...options.vars }
    const worker = await startWranglerDev({ port: options.port, persistDir, readyPath: '/demo', vars, log: options.log })
    const stop = async () => {
      await worker.stop()
      await sink.close()
    }
    return { baseUrl: worker.baseUrl, sink, persistDir, stop }
  } catch (err) {
    await sink.close()
    throw err
  }
}

async function waitForHttp(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited with ${child.exitCode}`)
    // Any HTTP answer means the worker is up; a refused connection means not yet.
    if (
      await fetch(url).then(
        () => true,
        () => false,
      )
    )
      return
    await new Promise((r) => setTimeout(r, 200))
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`)
}

function killProcessGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || !child.pid) return Promise.resolve()
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  try {
    process.kill(-child.pid, 'SIGKILL')
  } catch {
    return Promise.resolve()
  }
  return exited
}

function stopProcessGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || !child.pid) return Promise.resolve()
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL')
      } catch {
        // The group exited between the timer firing and the kill: nothing left to stop.
      }
    }, 5_000)
    child.once('exit', () => {
      clearTimeout(timer)
      resolve()
    })
    try {
      process.kill(-child.pid!, 'SIGTERM')
    } catch {
      resolve()
    }
  })
}
