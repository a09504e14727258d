// Which Chromium the browser tests drive, so `npm install && npm test` works on a machine without
// one: CHROMIUM_PATH if set, else the system's Chromium (Debian's /usr/bin/chromium or `chromium`
// on PATH), else the build shipped inside the `@sparticuz/chromium` dev dependency, unpacked once
// into node_modules/.cache. PAGEBELL_BROWSER=bundled forces the shipped build (to test it where a
// system one exists); PAGEBELL_BROWSER=system refuses the fallback.
import { spawnSync } from 'node:child_process'
import { accessSync, constants, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { delimiter, dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'

export type FoundChromium = {
  source: 'CHROMIUM_PATH' | 'system' | 'bundled'
  executablePath: string
  /** Extra environment the executable needs (the bundled build's own libraries and fonts). */
  env: Record<string, string>
}

const SYSTEM_CANDIDATES = ['/usr/bin/chromium']

export function findChromium(): FoundChromium {
  const wanted = process.env.PAGEBELL_BROWSER
  if (wanted !== undefined && wanted !== 'bundled' && wanted !== 'system')
    throw new Error(`PAGEBELL_BROWSER must be "bundled" or "system", not "${wanted}"`)
  if (wanted !== 'bundled') {
    const fromEnv = process.env.CHROMIUM_PATH
    if (fromEnv) return { source: 'CHROMIUM_PATH', executablePath: fromEnv, env: {} }
    const system = systemChromium()
    if (system) return { source: 'system', executablePath: system, env: {} }
    if (wanted === 'system') throw new Error('PAGEBELL_BROWSER=system, but there is no /usr/bin/chromium and no `chromium` on PATH')
  }
  return bundledChromium()
}

function systemChromium(): string | undefined {
  const onPath = (process.env.PATH ?? '')
    .split(delimiter)
    .filter(Boolean)
    .map((dir) => join(dir, 'chromium'))
  return [...SYSTEM_CANDIDATES, ...onPath].find(isExecutable)
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK)
    return true
  } catch {
    return false
  }
}

/**
 * The package unpacks into os.tmpdir() and trusts whatever it finds there, so a run killed
 * mid-unpack would leave a truncated browser for every later run. It unpacks here instead into a
 * fresh staging folder, in a child process with TMPDIR pointing at it, and the folder is renamed
 * into place only when complete (rename is atomic; a concurrent run that lost the race discards
 * its copy).
 */
function bundledChromium(): FoundChromium {
  const require = createRequire(import.meta.url)
  const entry = require.resolve('@sparticuz/chromium')
  const packageDir = join(dirname(entry), '..', '..')
  const { version } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version: string }
  const cacheRoot = join(process.cwd(), 'node_modules', '.cache', 'pagebell-chromium')
  const dir = join(cacheRoot, version)
  if (!existsSync(join(dir, 'fonts.conf'))) unpack(pathToFileURL(join(packageDir, 'build', 'esm', 'index.js')).href, cacheRoot, dir)
  return {
    source: 'bundled',
    executablePath: join(dir, 'chromium'),
    env: {
      // Amazon Linux's NSS and expat, shipped with the build: a machine without a browser
      // usually lacks libnss3. Always these, so every machine runs the combination tested here.
      LD_LIBRARY_PATH: [join(dir, 'al2023', 'lib'), process.env.LD_LIBRARY_PATH].filter(Boolean).join(delimiter),
      FONTCONFIG_FILE: join(dir, 'fonts.conf'),
    },
  }
}

function unpack(moduleUrl: string, cacheRoot: string, dir: string): void {
  const staging = `${dir}.${process.pid}.partial`
  rmSync(staging, { recursive: true, force: true })
  mkdirSync(staging, { recursive: true })
  // AWS_EXECUTION_ENV: the package unpacks its Amazon Linux libraries only when it believes it
  // runs there.
  const script = `const { default: c } = await import(${JSON.stringify(moduleUrl)}); process.stdout.write(await c.executablePath())`
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    env: { ...process.env, TMPDIR: staging, AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs20.x' },
  })
  if (run.status !== 0 || run.stdout !== join(staging, 'chromium') || !existsSync(join(staging, 'al2023', 'lib'))) {
    rmSync(staging, { recursive: true, force: true })
    throw new Error(`unpacking @sparticuz/chromium into ${staging} failed (exit ${run.status}):\n${run.stdout}\n${run.stderr}`)
  }
  // The package's own fonts.conf names /tmp paths; this one keeps the system's fonts (if any)
  // and adds the Open Sans the package ships, so pages render text on a machine with no fonts.
  writeFileSync(
    join(staging, 'fonts.conf'),
    [
      '<?xml version="1.0"?>',
      '<!DOCTYPE fontconfig SYSTEM "fonts.dtd">',
      '<fontconfig>',
      '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>',
      `  <dir>${join(dir, 'fonts', 'fonts')}</dir>`,
      `  <cachedir>${join(dir, 'fonts-cache')}</cachedir>`,
      '</fontconfig>',
      '',
    ].join('\n'),
  )
  mkdirSync(cacheRoot, { recursive: true })
  try {
    renameSync(staging, dir)
  } catch (error) {
    rmSync(staging, { recursive: true, force: true })
    if (!existsSync(join(dir, 'fonts.conf'))) throw error
  }
}
