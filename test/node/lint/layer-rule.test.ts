// The layer rule of docs/architecture.md, run by ESLint on code placed in each layer.
import { resolve } from 'node:path'
import { Linter } from 'eslint'
import tseslint from 'typescript-eslint'
import { describe, expect, it } from 'vitest'
import { layerRule } from '../../../scripts/lint/layer-rule'

const ROOT = resolve(import.meta.dirname, '../../..')

function layerErrors(file: string, code: string): string[] {
  const linter = new Linter({ configType: 'flat' })
  const config = [
    {
      files: ['**/*.ts'],
      languageOptions: { parser: tseslint.parser },
      plugins: { pagebell: { rules: { layers: layerRule } } },
      rules: { 'pagebell/layers': 'error' as const },
    },
  ]
  return linter.verify(code, config, { filename: resolve(ROOT, file) }).map((m) => m.message)
}

describe('layer rule', () => {
  it('layers: refuses the pure core importing a worker service', () => {
    const errors = layerErrors('durable-objects/rules/alert-engine.ts', "import { x } from '../../worker/collect/identity'\n")
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatch(/^core .* may not import services/)
  })

  it('layers: refuses an object shell importing delivery, also for a type-only import and a re-export', () => {
    const code = "import type { A } from '../worker/delivery/consumer'\nexport { b } from '../worker/routes/alerts'\n"
    expect(layerErrors('durable-objects/contact-object.ts', code)).toHaveLength(2)
  })

  it('layers: refuses the db layer importing the admin UI or an object shell', () => {
    const code = "import { a } from '../../admin/ui/layout'\nimport { b } from '../../../durable-objects/contact-object'\n"
    expect(layerErrors('worker/db/queries/alerts.ts', code)).toHaveLength(2)
  })

  it('layers: refuses a service importing a route, and the browser script importing the worker', () => {
    expect(layerErrors('worker/delivery/consumer.ts', "import { a } from '../routes/outbox'\n")).toHaveLength(1)
    expect(layerErrors('sdk/tracker.ts', "import { a } from '../worker/db/client'\n")).toHaveLength(1)
  })

  it('layers: allows imports downward and within a layer, packages, and anything from tests', () => {
    expect(
      layerErrors(
        'worker/routes/alerts.ts',
        "import { a } from '../db/client'\nimport { b } from '../../durable-objects/contact-stub'\nimport { Hono } from 'hono'\n",
      ),
    ).toEqual([])
    expect(
      layerErrors('durable-objects/contact-object.ts', "import { a } from './rules/dwell'\nimport { b } from '../worker/db/client'\n"),
    ).toEqual([])
    expect(layerErrors('durable-objects/rules/dwell.ts', "import type { A } from '../../sdk/wire'\n")).toEqual([])
    expect(layerErrors('test/workers/x.test.ts', "import { a } from '../../worker/routes/admin'\n")).toEqual([])
  })
})
