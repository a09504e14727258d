// `npm run setup -- --email ada@acme.com --workspace "Acme" [--name "Ada"] [--time-zone Europe/Paris] [--remote]`
// The first-run setup from a terminal: the workspace and its first admin, for a deployment that
// should not leave /admin/setup open to whoever comes first. It applies the D1 migrations, then
// sends through `wrangler d1 execute` the same checks (the form's schema) and the same two
// statements the web form runs (worker/db/queries/first-workspace.ts), which insert nothing once
// any user exists. The password comes from --password or, to keep it out of the shell's history,
// from PAGEBELL_SETUP_PASSWORD. Local by default (the state `npm start` uses); --remote for the
// deployed database (after `wrangler login`).
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import * as v from 'valibot'
import { hashPassword } from '../worker/auth/password'
import { firstWorkspaceQueries } from '../worker/db/queries/first-workspace'
import { firstWorkspace } from '../worker/workspace/first-workspace'
import { checkSetup } from '../worker/workspace/workspace-input'
import { QUIET_WRANGLER_ENV } from './local-stack'

const USAGE = `Usage: npm run setup -- --email <e-mail> --workspace <name> [--name <your name>] [--time-zone <IANA zone>]
                      [--password <password> | PAGEBELL_SETUP_PASSWORD=...] [--remote | --persist-to <dir>]`

const { values: flags } = parseArgs({
  options: {
    email: { type: 'string' },
    password: { type: 'string' },
    workspace: { type: 'string' },
    name: { type: 'string' },
    'time-zone': { type: 'string' },
    remote: { type: 'boolean', default: false },
    'persist-to': { type: 'string' },
    help: { type: 'boolean', default: false },
  },
})

/** Exit codes: 0 created, 1 already set up or wrangler failed, 2 refused input. */
function fail(code: 1 | 2, message: string): never {
  console.error(message)
  process.exit(code)
}

if (flags.help) {
  console.log(USAGE)
  process.exit(0)
}

const checked = checkSetup({
  workspace: flags.workspace ?? '',
  timeZone: flags['time-zone'],
  name: flags.name,
  email: flags.email ?? '',
  password: flags.password ?? process.env.PAGEBELL_SETUP_PASSWORD ?? '',
})
if (!checked.ok) fail(2, `Not set up:\n${checked.errors.map((e) => `  ${e.field}: ${e.reason}`).join('\n')}\n${USAGE}`)
const setup = checked.value

const where = flags.remote ? ['--remote'] : ['--local', '--persist-to', flags['persist-to'] ?? '.wrangler/state']

function wrangler(args: string[]): string {
  const run = spawnSync('npx', ['wrangler', ...args, ...where], {
    env: { ...process.env, ...QUIET_WRANGLER_ENV, CI: 'true' },
    encoding: 'utf8',
  })
  if (run.status !== 0) fail(1, `wrangler ${args.join(' ')} failed:\n${run.stdout}\n${run.stderr}`)
  return run.stdout
}

const literal = (value: unknown): string => {
  if (typeof value === 'string') return `'${value.replaceAll("'", "''")}'`
  if (typeof value === 'number') return String(value)
  throw new Error(`setup: no SQL literal for a ${typeof value} parameter`)
}

const first = firstWorkspace(setup, await hashPassword(setup.password))
const sql = firstWorkspaceQueries(first)
  .map((query) => {
    let i = 0
    return `${query.sql.replace(/\?/g, () => literal(query.params[i++]))};`
  })
  .join('\n')

console.log(`Setting up ${flags.remote ? 'the deployed' : 'the local'} database (migrations first)...`)
wrangler(['d1', 'migrations', 'apply', 'DB'])
const dir = mkdtempSync(join(tmpdir(), 'pagebell-setup-'))
try {
  writeFileSync(join(dir, 'setup.sql'), sql)
  wrangler(['d1', 'execute', 'DB', '--file', join(dir, 'setup.sql')])
} finally {
  rmSync(dir, { recursive: true, force: true })
}

const answer = wrangler(['d1', 'execute', 'DB', '--json', '--command', `SELECT id FROM users WHERE id = ${literal(first.admin.id)}`])
const WranglerResults = v.array(v.object({ results: v.optional(v.array(v.unknown()), []) }))
const created = v.parse(WranglerResults, JSON.parse(answer.slice(answer.indexOf('[')))).some((r) => r.results.length > 0)
if (!created) fail(1, 'This Pagebell is already set up (it has users): nothing was changed. Log in at /admin/login.')
console.log(`Created the workspace "${setup.workspace}" (${setup.timeZone}) and its admin ${setup.email}. Log in at /admin/login.`)
