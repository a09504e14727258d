// The layers of the code base, bottom to top, and which may import which (docs/architecture.md).
// Paths are relative to the repository root; the first entry whose prefix matches a file names its
// layer. Files in no layer (tests, scripts, benchmarks) may import anything.

export type LayerName = 'core' | 'db' | 'objects' | 'services' | 'web' | 'browser'

type Layer = { name: LayerName; prefixes: string[]; mayImport: LayerName[] }

/** Ordered: more specific prefixes first. */
export const LAYERS: Layer[] = [
  {
    name: 'core',
    prefixes: ['sdk/wire.ts', 'durable-objects/rules/', 'durable-objects/contracts/'],
    mayImport: ['core'],
  },
  { name: 'browser', prefixes: ['sdk/'], mayImport: ['browser', 'core'] },
  { name: 'db', prefixes: ['worker/db/'], mayImport: ['core', 'db'] },
  { name: 'objects', prefixes: ['durable-objects/'], mayImport: ['core', 'db', 'objects'] },
  {
    name: 'web',
    prefixes: ['worker/routes/', 'worker/middleware/', 'worker/admin/', 'worker/index.ts'],
    mayImport: ['core', 'db', 'objects', 'services', 'web'],
  },
  { name: 'services', prefixes: ['worker/'], mayImport: ['core', 'db', 'objects', 'services'] },
]

export function layerOf(repoPath: string): Layer | null {
  return LAYERS.find((layer) => layer.prefixes.some((prefix) => repoPath.startsWith(prefix))) ?? null
}

/** Why importing `target` from `source` breaks the layers, or null when it is allowed. */
export function layerViolation(source: string, target: string): string | null {
  const from = layerOf(source)
  const to = layerOf(target)
  if (!from || !to || from.mayImport.includes(to.name)) return null
  return `${from.name} (${source}) may not import ${to.name} (${target}); ${from.name} may import ${from.mayImport.join(', ')}`
}
