// Size of the tracking script next to Plausible's npm tracker (@plausible-analytics/tracker,
// a devDependency), both bundled as an IIFE by rollup and minified with the same terser
// options (sdk/terser.json), in one run. `npx tsx bench/sdk-size.ts` prints the table; with
// --write it replaces only the size table of docs/benchmarks.md (and says when it was measured);
// bench/sdk-main-thread.ts --write puts it there with the main-thread figures of the same run.
import { spawnSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'
import terser from '@rollup/plugin-terser'
import { rollup } from 'rollup'
import { RUN_DATE } from './support/doc-section'

export type SizeRow = { name: string; minified: number; gzip: number; brotli: number }

const TERSER = JSON.parse(readFileSync('sdk/terser.json', 'utf8')) as Record<string, unknown>

const sizes = (name: string, code: string): SizeRow => ({
  name,
  minified: Buffer.byteLength(code),
  gzip: gzipSync(code, { level: 9 }).length,
  brotli: brotliCompressSync(code, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
})

/** Plausible's npm tracker as an IIFE exposing `plausible.init`, minified like ours. */
export async function plausibleBuild(): Promise<string> {
  const entry = createRequire(import.meta.url).resolve('@plausible-analytics/tracker')
  // `plausible`, the IIFE's global, must survive top-level mangling.
  const options = { ...TERSER, mangle: { toplevel: true, reserved: ['plausible'] } }
  const bundle = await rollup({ input: entry, plugins: [terser(options)], onwarn: () => {} })
  const { output } = await bundle.generate({ format: 'iife', name: 'plausible', strict: false })
  await bundle.close()
  return output[0].code
}

export async function measureSizes(): Promise<SizeRow[]> {
  const build = spawnSync('npm', ['run', '--silent', 'build:sdk'], { encoding: 'utf8' })
  if (build.status !== 0) throw new Error(`build:sdk failed:\n${build.stderr}`)
  const version = (JSON.parse(readFileSync('node_modules/@plausible-analytics/tracker/package.json', 'utf8')) as { version: string })
    .version
  return [
    sizes('Pagebell `dist/pb.js` (snippet IIFE)', readFileSync('dist/pb.js', 'utf8')),
    sizes('Pagebell `dist/pagebell.mjs` (ESM for bundlers)', readFileSync('dist/pagebell.mjs', 'utf8')),
    sizes(`@plausible-analytics/tracker ${version}, same rollup + terser`, await plausibleBuild()),
  ]
}

export function sizeTable(rows: SizeRow[]): string {
  const ours = rows[0]!.gzip
  return [
    '| script | minified B | gzip -9 B | brotli 11 B | gzip vs Pagebell |',
    '|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.name} | ${r.minified} | ${r.gzip} | ${r.brotli} | ${(r.gzip / ours).toFixed(2)} |`),
  ].join('\n')
}

/** Puts a new size table in place of the old one in docs/benchmarks.md; the main-thread figures stay. */
function writeSizeTable(table: string): void {
  const file = 'docs/benchmarks.md'
  const md = readFileSync(file, 'utf8')
  const start = md.indexOf('| script | minified B |')
  const end = md.indexOf('\n\n', start)
  if (start < 0 || end < 0) throw new Error(`${file} has no size table`)
  const sized = `${md.slice(0, start)}${table}${md.slice(end)}`.replace(
    /\(sizes (from `bench\/sdk-size\.ts`, same run|re-measured [^)]*)\)/,
    `(sizes re-measured ${RUN_DATE} by \`npx tsx bench/sdk-size.ts --write\`, after the main-thread figures)`,
  )
  writeFileSync(file, sized)
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const table = sizeTable(await measureSizes())
  console.log(table)
  if (process.argv.includes('--write')) writeSizeTable(table)
}
