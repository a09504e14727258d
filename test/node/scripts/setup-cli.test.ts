// `npm run setup`: refuses bad input before touching anything (exit 2, each field named),
// creates the workspace and its admin in a fresh local database (migrations applied first) with
// the password hashed as the worker hashes it, and refuses a second setup (exit 1, nothing added).
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as v from 'valibot'
import { afterAll, describe, expect, it } from 'vitest'
import { QUIET_WRANGLER_ENV } from '../../../scripts/local-stack'
import { verifyPassword } from '../../../worker/auth/password'

const persistDir = mkdtempSync(join(tmpdir(), 'pagebell-setup-cli-'))
afterAll(() => rmSync(persistDir, { recursive: true, force: true }))

const PASSWORD = 'correct horse battery staple'

function setup(args: string[], env: Record<string, string> = {}) {
  const run = spawnSync('npx', ['tsx', 'scripts/setup.ts', '--persist-to', persistDir, ...args], {
    env: { ...process.env, ...QUIET_WRANGLER_ENV, ...env },
    encoding: 'utf8',
  })
  return { status: run.status, out: run.stdout, err: run.stderr }
}

const Rows = v.array(
  v.object({
    results: v.array(
      v.object({ email: v.string(), name: v.string(), password_hash: v.string(), workspace: v.string(), time_zone: v.string() }),
    ),
  }),
)

function users() {
  const run = spawnSync(
    'npx',
    [
      'wrangler',
      'd1',
      'execute',
      'DB',
      '--local',
      '--persist-to',
      persistDir,
      '--json',
      '--command',
      'SELECT u.email, u.name, u.password_hash, w.name AS workspace, w.time_zone FROM users u JOIN workspaces w ON w.id = u.workspace_id',
    ],
    { env: { ...process.env, ...QUIET_WRANGLER_ENV, CI: 'true' }, encoding: 'utf8' },
  )
  return v.parse(Rows, JSON.parse(run.stdout.slice(run.stdout.indexOf('['))))[0]?.results ?? []
}

describe('npm run setup', () => {
  it('refuses bad input with every reason and exit code 2, before touching the database', () => {
    const run = setup(['--email', 'ada', '--workspace', ' ', '--time-zone', 'Mars/Olympus', '--password', 'short'])
    expect(run.status).toBe(2)
    expect(run.out).not.toContain('Setting up')
    for (const reason of [
      'workspace: give the workspace a name',
      'timeZone: "Mars/Olympus" is not a time zone',
      'email: not an e-mail address',
      'password: use at least 10 characters',
    ])
      expect(run.err).toContain(reason)
  })

  it('creates the workspace and its admin, the password (from the environment) hashed as the worker does', async () => {
    const run = setup(['--email', 'Ada@Acme.test', '--workspace', 'Acme', '--name', 'Ada', '--time-zone', 'europe/paris'], {
      PAGEBELL_SETUP_PASSWORD: PASSWORD,
    })
    expect(run.err).toBe('')
    expect(run.status).toBe(0)
    expect(run.out).toContain('Created the workspace "Acme" (Europe/Paris) and its admin ada@acme.test.')
    const [admin, ...others] = users()
    expect(others).toEqual([])
    expect(admin).toMatchObject({ email: 'ada@acme.test', name: 'Ada', workspace: 'Acme', time_zone: 'Europe/Paris' })
    expect(await verifyPassword(PASSWORD, admin?.password_hash ?? null)).toBe(true)
  }, 120_000)

  it('refuses a second setup with exit code 1 and adds nothing', () => {
    const run = setup(['--email', 'eve@evil.test', '--workspace', 'Taken', '--password', PASSWORD])
    expect(run.status).toBe(1)
    expect(run.err).toContain('already set up')
    expect(users().map((u) => u.email)).toEqual(['ada@acme.test'])
  }, 120_000)
})
