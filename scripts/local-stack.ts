// Runs the product locally the way `npm start` and the browser tests need it: D1 migrations
// applied and demo data seeded into a local state folder, the SMTP sink, and `wrangler dev`.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { drizzle } from 'drizzle-orm/sqlite-proxy'
import * as schema from '../worker/db/schema'
import { seedDemo } from '../worker/db/queries/demo'
import { startMailSink, type MailSink } from './mail-sink'

export const QUIET_WRANGLER_ENV = { WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false', NO_UPDATE_NOTIFIER: '1' }

export type LocalStack = { baseUrl: string; sink: MailSink; persistDir: string; stop(): Promise<void> }

export type LocalStackOptions = {
  port: number
  /** Where local D1/DO/queue state lives; a fresh temporary folder when omitted. */
  persistDir?: string
  smtpPort?: number
  mailViewPort?: number
  /** Extra `--var NAME:value` settings for the worker. */
  vars?: Record<string, string>
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
export async function demoSeedSql(): Promise<string> {
  const statements: string[] = []
  const literal = (v: unknown) =>
    v === null || v === undefined ? 'NULL' : typeof v === 'number' ? String(v) : typeof v === 'boolean' ? (v ? '1' : '0') : `'${String(v).replaceAll("'", "''")}'`
  const recorder = drizzle(async (sql, params) => {
    let i = 0
    statements.push(sql.replace(/\?/g, () => literal(params[i++])) + ';')
    return { rows: [] }
  }, { schema })
  await seedDemo(recorder)
  return statements.join('\n')
}

export async function prepareDatabase(persistDir: string): Promise<void> {
  wrangler(['d1', 'migrations', 'apply', 'DB', '--local'], persistDir)
  const file = join(mkdtempSync(join(tmpdir(), 'pagebell-seed-')), 'seed.sql')
  writeFileSync(file, await demoSeedSql())
  wrangler(['d1', 'execute', 'DB', '--local', '--file', file], persistDir)
}

export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const log = options.log ?? (() => {})
  const persistDir = options.persistDir ?? mkdtempSync(join(tmpdir(), 'pagebell-state-'))
  buildScriptIfMissing()
  await prepareDatabase(persistDir)
  const sink = await startMailSink({ smtpPort: options.smtpPort, httpPort: options.mailViewPort })
  const vars = { SMTP_URL: `smtp://127.0.0.1:${sink.smtpPort}`, ...options.vars }
  const args = ['wrangler', 'dev', '--ip', '127.0.0.1', '--port', String(options.port), '--persist-to', persistDir, '--show-interactive-dev-session=false']
  for (const [name, value] of Object.entries(vars)) args.push('--var', `${name}:${value}`)
  const child = spawn('npx', args, { env: { ...process.env, ...QUIET_WRANGLER_ENV }, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
  child.stdout?.on('data', (d: Buffer) => log(d.toString()))
  child.stderr?.on('data', (d: Buffer) => log(d.toString()))
  const baseUrl = `http://127.0.0.1:${options.port}`
  const stop = async () => {
    await stopProcessGroup(child)
    await sink.close()
  }
  try {
    await waitForHttp(`${baseUrl}/demo`, child, 60_000)
  } catch (err) {
    await stop()
    throw err
  }
  return { baseUrl, sink, persistDir, stop }
}

async function waitForHttp(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited with ${child.exitCode}`)
    try {
      if ((await fetch(url)).ok) return
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200))
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`)
}

function stopProcessGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || !child.pid) return Promise.resolve()
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL')
      } catch {}
    }, 5_000)
    child.once('exit', () => (clearTimeout(timer), resolve()))
    try {
      process.kill(-child.pid!, 'SIGTERM')
    } catch {
      resolve()
    }
  })
}
