// A REST client that holds the server to its own OpenAPI document: every answer must carry a
// status the document lists for the operation, and a JSON body that the schema documented for
// that status accepts (checked with Ajv, JSON Schema 2020-12 as OpenAPI 3.1 uses). It notes which
// operations were called, so a test can require that none was left out.
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020'
import addFormats from 'ajv-formats'

type Json = Record<string, unknown>
export type Answer = { status: number; json: unknown; text: string; contentType: string }

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value)
const at = (value: unknown, ...keys: string[]): unknown => keys.reduce<unknown>((v, k) => (isObject(v) ? v[k] : undefined), value)

type Operation = { method: string; template: string; pattern: RegExp; params: number }

export class OpenApiClient {
  readonly called = new Set<string>()
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true })
  private readonly validators = new Map<string, ValidateFunction>()
  private readonly operations: Operation[]

  constructor(
    readonly document: Json,
    private readonly baseUrl: string,
    private readonly token: string,
  ) {
    addFormats(this.ajv)
    this.operations = Object.entries(isObject(document.paths) ? document.paths : {}).flatMap(([template, item]) =>
      METHODS.filter((m) => isObject(at(item, m))).map((method) => ({
        method,
        template,
        pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`),
        params: (template.match(/\{/g) ?? []).length,
      })),
    )
  }

  /** Every operation of the document, as `METHOD /template`. */
  allOperations(): string[] {
    return this.operations.map((o) => `${o.method.toUpperCase()} ${o.template}`)
  }

  /** Calls `path` (under /api/v1) and checks the answer against the document; throws on any mismatch. */
  async call(method: string, path: string, body?: unknown, token: string | null = this.token): Promise<Answer> {
    const operation = this.operationFor(method, path.split('?')[0] ?? path)
    const headers: Record<string, string> = {}
    if (token) headers.authorization = `Bearer ${token}`
    if (body !== undefined) headers['content-type'] = 'application/json'
    const res = await fetch(`${this.baseUrl}/api/v1${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    })
    const text = await res.text()
    const contentType = res.headers.get('content-type') ?? ''
    const answer: Answer = { status: res.status, text, contentType, json: contentType.includes('json') ? JSON.parse(text) : undefined }
    this.called.add(`${operation.method.toUpperCase()} ${operation.template}`)
    this.check(operation, answer, `${method} ${path}`)
    return answer
  }

  private operationFor(method: string, path: string): Operation {
    const lower = method.toLowerCase()
    // A literal segment wins over a parameter (/contacts/export over /contacts/{id}).
    const found = this.operations.filter((o) => o.method === lower && o.pattern.test(path)).sort((a, b) => a.params - b.params)[0]
    if (!found) throw new Error(`${method} ${path}: no such operation in the OpenAPI document`)
    return found
  }

  private check(operation: Operation, answer: Answer, what: string): void {
    const responses = at(this.document, 'paths', operation.template, operation.method, 'responses')
    const documented = isObject(responses) ? responses[String(answer.status)] : undefined
    if (!isObject(documented)) {
      const listed = isObject(responses) ? Object.keys(responses).join(', ') : 'none'
      throw new Error(
        `${what}: answered ${answer.status}, which the document does not list (it lists ${listed}): ${answer.text.slice(0, 300)}`,
      )
    }
    const content = isObject(documented.content) ? documented.content : {}
    const types = Object.keys(content)
    if (types.length === 0) {
      if (answer.text !== '' && answer.status === 204) throw new Error(`${what}: 204 with a body`)
      return
    }
    const mediaType = answer.contentType.split(';')[0]?.trim() ?? ''
    if (!types.includes(mediaType))
      throw new Error(`${what}: ${answer.status} as ${mediaType || 'no content type'}, documented as ${types.join(', ')}`)
    if (mediaType !== 'application/json') return
    const validate = this.validator(`${operation.method} ${operation.template} ${answer.status}`, at(content, 'application/json', 'schema'))
    if (!validate(answer.json)) {
      throw new Error(
        `${what}: the ${answer.status} body does not match its schema: ${this.ajv.errorsText(validate.errors)}\n${answer.text.slice(0, 500)}`,
      )
    }
  }

  /** The schema with the document's components beside it, so its `#/components/...` references resolve. */
  private validator(key: string, schema: unknown): ValidateFunction {
    let validate = this.validators.get(key)
    if (!validate) {
      validate = this.ajv.compile({ ...(isObject(schema) ? schema : {}), components: this.document.components })
      this.validators.set(key, validate)
    }
    return validate
  }
}
