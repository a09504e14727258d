// The worker the fault suite runs: bundled once at the start (`wrangler deploy --dry-run`), and
// served by `wrangler dev --no-bundle` from that bundle, so the code under test is the code at the
// start of the run (wrangler dev would otherwise rebuild and reload the worker whenever a file
// of the checkout changes, dropping the local queue mid-case). The wrangler configs used are
// wrangler.toml itself with `main` pointed at the bundle; the dead-letter variant changes one
// setting more, the alerts queue's `max_retries`, so that a message reaches the dead-letter
// queue after three deliveries (about 40 s) instead of after days of retries.
import { spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { QUIET_WRANGLER_ENV } from '../../scripts/local-stack'

export type WorkerBundle = {
  /** wrangler.toml's settings, the bundled code. */
  config: string
  /** The same, with the alerts queue's max_retries lowered to DEAD_LETTER_MAX_RETRIES. */
  deadLetterConfig: string
}

/** Retries of the alerts queue in the dead-letter variant: deliveries at 0, 10 and 40 s. */
export const DEAD_LETTER_MAX_RETRIES = 2

/** Replaces exactly one occurrence, so a change in wrangler.toml fails loudly here instead of being missed. */
function replaceOnce(text: string, pattern: RegExp, replacement: string): string {
  const matches = text.match(new RegExp(pattern.source, 'gm'))
  if (matches?.length !== 1) throw new Error(`wrangler.toml: expected one match of ${String(pattern)}, found ${matches?.length ?? 0}`)
  return text.replace(new RegExp(pattern.source, 'm'), replacement)
}

export function bundleWorker(dir: string): WorkerBundle {
  mkdirSync(dir, { recursive: true })
  const out = join(dir, 'bundle')
  const run = spawnSync('npx', ['wrangler', 'deploy', '--dry-run', '--outdir', out], {
    env: { ...process.env, ...QUIET_WRANGLER_ENV, CI: 'true' },
    encoding: 'utf8',
  })
  if (run.status !== 0) throw new Error(`bundling the worker failed:\n${run.stdout}\n${run.stderr}`)

  const source = readFileSync('wrangler.toml', 'utf8')
  let config = replaceOnce(source, /^main = .*$/, `main = "bundle/index.js"\nno_bundle = true`)
  config = replaceOnce(config, /^migrations_dir = .*$/, `migrations_dir = ${JSON.stringify(resolve('migrations'))}`)
  // The alerts queue's consumer block is the one naming pagebell-alerts before its max_retries.
  const deadLetter = replaceOnce(
    config,
    /^(queue = "pagebell-alerts"\n(?:(?!\[)[^\n]*\n)*?)max_retries = \d+$/,
    `$1max_retries = ${DEAD_LETTER_MAX_RETRIES}`,
  )
  const configPath = join(dir, 'wrangler.toml')
  const deadLetterPath = join(dir, 'wrangler.dead-letter.toml')
  writeFileSync(configPath, config)
  writeFileSync(deadLetterPath, deadLetter)
  return { config: configPath, deadLetterConfig: deadLetterPath }
}
