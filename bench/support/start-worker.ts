// Runs one worker locally the way `wrangler dev` does (wrangler's own dev server: the same proxy,
// runtime, bundling, request log and local state), but with no DevTools inspector attached.
// `wrangler dev` always attaches one and turns on its Network domain, so each subrequest the
// worker makes (every local D1 query is one) sends four messages through wrangler, each written
// to wrangler's debug log file: the bench would measure that instead of the worker.
// Usage: tsx bench/support/start-worker.ts --config wrangler.toml --port N --persist-to DIR [--var NAME=VALUE ...]
// (`--var` overrides a plain-text variable of the config). It stops the worker on SIGTERM or SIGINT.
import { unstable_startWorker } from 'wrangler'

function argument(name: string): string {
  const at = process.argv.indexOf(`--${name}`)
  const value = at >= 0 ? process.argv[at + 1] : undefined
  if (!value) throw new Error(`start-worker: --${name} is required`)
  return value
}

/** Every `--var NAME=VALUE`, as plain-text bindings. */
function variables(): Record<string, { type: 'plain_text'; value: string }> {
  const vars: Record<string, { type: 'plain_text'; value: string }> = {}
  process.argv.forEach((arg, i) => {
    const pair = arg === '--var' ? process.argv[i + 1] : undefined
    const at = pair?.indexOf('=') ?? -1
    if (pair && at > 0) vars[pair.slice(0, at)] = { type: 'plain_text', value: pair.slice(at + 1) }
  })
  return vars
}

async function main(): Promise<void> {
  const worker = await unstable_startWorker({
    config: argument('config'),
    bindings: variables(),
    dev: {
      inspector: false,
      persist: argument('persist-to'),
      server: { hostname: '127.0.0.1', port: Number(argument('port')) },
      watch: false,
      liveReload: false,
    },
  })
  await worker.ready
  const stop = () => {
    worker.dispose().then(
      () => process.exit(0),
      () => process.exit(1),
    )
  }
  process.once('SIGTERM', stop)
  process.once('SIGINT', stop)
}

main().catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})
