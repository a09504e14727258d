// ESLint rule `pagebell/layers`: reports an import that goes up or across the layers defined in
// `layers.ts`. Only relative imports are ours; packages are always allowed.
import { dirname, relative, resolve } from 'node:path'
import type { Rule } from 'eslint'
import { layerViolation } from './layers'

const ROOT = resolve(import.meta.dirname, '../..')

/** The repository path an import resolves to, with the `.ts` a bundler would add. */
function importedPath(fromFile: string, specifier: string): string {
  const path = relative(ROOT, resolve(dirname(fromFile), specifier))
    .split('\\')
    .join('/')
  return /\.[cm]?[jt]s$/.test(path) ? path : `${path}.ts`
}

export const layerRule: Rule.RuleModule = {
  meta: {
    type: 'problem',
    docs: { description: 'Imports follow the layers of docs/architecture.md' },
    schema: [],
  },
  create(context) {
    const source = relative(ROOT, context.filename).split('\\').join('/')
    const check = (node: Rule.Node, specifier: unknown) => {
      if (typeof specifier !== 'string' || !specifier.startsWith('.')) return
      const violation = layerViolation(source, importedPath(context.filename, specifier))
      if (violation) context.report({ node, message: violation })
    }
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => check(node, node.source?.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => check(node, node.source.type === 'Literal' ? node.source.value : undefined),
    }
  },
}
