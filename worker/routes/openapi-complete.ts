// What every REST route shares, added to the generated OpenAPI document so a client generated
// from it knows every answer it can get: 401 (no or a revoked token) on every operation, 403
// (the token's scope is read-only) on every change. The generator also names a recursive schema
// (a campaign step's branches) by a bare number whose whole body is a reference to the named
// one; such aliases are replaced by what they point to.

/** The document as JSON: it is only walked and completed here, never read for its types. */
export type OpenApiDocument = Record<string, unknown>

const ERROR = { $ref: '#/components/schemas/Error' }
const SHARED_ANSWERS = {
  '401': { description: 'No API token, or one that was revoked', content: { 'application/json': { schema: ERROR } } },
  '403': { description: "The token's scope or its user's role does not allow this", content: { 'application/json': { schema: ERROR } } },
}
const READS = new Set(['get', 'head', 'options'])
const METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'])

export function completeDocument(document: OpenApiDocument): OpenApiDocument {
  for (const item of Object.values(objectAt(document, 'paths'))) {
    if (!isObject(item)) continue
    for (const [method, operation] of Object.entries(item)) {
      if (!METHODS.has(method) || !isObject(operation)) continue
      const responses = objectAt(operation, 'responses')
      responses['401'] ??= SHARED_ANSWERS['401']
      if (!READS.has(method)) responses['403'] ??= SHARED_ANSWERS['403']
      operation.responses = responses
    }
  }
  inlineAliases(document)
  return document
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)

/** The object under `key`, or a new empty one when there is none. */
function objectAt(parent: Record<string, unknown>, key: string): Record<string, unknown> {
  const value = parent[key]
  return isObject(value) ? value : {}
}

/** Replaces every reference to a schema that is only a reference by its target, and drops the alias. */
function inlineAliases(document: OpenApiDocument): void {
  const schemas = objectAt(objectAt(document, 'components'), 'schemas')
  const prefix = '#/components/schemas/'
  const aliases = new Map<string, string>()
  for (const [name, schema] of Object.entries(schemas)) {
    const target = refOf(schema)
    if (target !== null && isObject(schema) && Object.keys(schema).length === 1) aliases.set(`${prefix}${name}`, target)
  }
  if (aliases.size === 0) return
  const resolve = (ref: string) => {
    let seen = 0
    while (aliases.has(ref) && seen++ < aliases.size) ref = aliases.get(ref) ?? ref
    return ref
  }
  rewriteRefs(document, resolve)
  for (const alias of aliases.keys()) delete schemas[alias.slice(prefix.length)]
}

function refOf(value: unknown): string | null {
  const ref = isObject(value) ? value.$ref : undefined
  return typeof ref === 'string' ? ref : null
}

function rewriteRefs(value: unknown, resolve: (ref: string) => string): void {
  if (Array.isArray(value)) {
    for (const item of value) rewriteRefs(item, resolve)
    return
  }
  if (!isObject(value)) return
  const ref = refOf(value)
  if (ref !== null) value.$ref = resolve(ref)
  for (const child of Object.values(value)) rewriteRefs(child, resolve)
}
