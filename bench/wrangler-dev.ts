// Starts `wrangler dev` (local, offline, own state folder) for a bench and stops it again,
// so the servers a bench compares are started exactly the same way.
import { spawn, type ChildProcess } from 'node:child_process'
import { QUIET_WRANGLER_ENV } from '../scripts/local-stack'

export type DevServer = { baseUrl: string; stop(): Promise<void> }

export async function startWranglerDev(options: { config: string; port: number; persistDir: string; readyPath: string }): Promise<DevServer> {
  const args = ['wrangler', 'dev', '--config', options.config, '--ip', '127.0.0.1', '--port', String(options.port)]
  args.push('--persist-to', options.persistDir, '--show-interactive-dev-session=false', '--log-level', 'warn')
  const child = spawn('npx', args, { env: { ...process.env, ...QUIET_WRANGLER_ENV }, stdio: ['ignore', 'ignore', 'inherit'], detached: true })
  const baseUrl = `http://127.0.0.1:${options.port}`
  const stop = () => stopGroup(child)
  try {
    await waitUntilAnswering(`${baseUrl}${options.readyPath}`, child)
  } catch (err) {
    await stop()
    throw err
  }
  return { baseUrl, stop }
}

async function waitUntilAnswering(url: string, child: ChildProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited with ${child.exitCode}`)
    // Any HTTP answer means the worker is up; a refused connection means not yet.
    if (await fetch(url).then(() => true, () => false)) return
    await new Promise((r) => setTimeout(r, 200))
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`)
}

/** Ends the process group this module started (wrangler spawns workerd below npx). */
function stopGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || !child.pid) return Promise.resolve()
  const pid = child.pid
  return new Promise((resolve) => {
    const timer = setTimeout(() => process.kill(-pid, 'SIGKILL'), 5_000)
    child.once('exit', () => (clearTimeout(timer), resolve()))
    process.kill(-pid, 'SIGTERM')
  })
}
