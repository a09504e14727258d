// The sites and workspace resources in the generated OpenAPI document: their routes, and request
// and response schemas carrying the rules that check them (the same valibot schemas).
import { SELF } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { LIMITS } from '../../../worker/sites/site-input'
import { BASE } from './admin-fixture'

type Schema = {
  $ref?: string
  type?: string | string[]
  required?: string[]
  properties?: Record<string, Schema>
  items?: Schema
  maxItems?: number
  minItems?: number
  additionalProperties?: boolean
  minimum?: number
  maximum?: number
}
type Operation = {
  summary?: string
  requestBody?: { content: { 'application/json': { schema: Schema } } }
  responses: Record<string, { content?: { 'application/json': { schema: Schema } } }>
  parameters?: Array<{ name: string; in: string }>
}
type Document = { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, Schema> } }

const requestSchema = (op: Operation | undefined) => op?.requestBody?.content['application/json'].schema
const responseSchema = (op: Operation | undefined, status: string) => op?.responses[status]?.content?.['application/json'].schema

async function openapiDocument(): Promise<Document> {
  const res = await SELF.fetch(`${BASE}/api/v1/openapi.json`)
  expect(res.status).toBe(200)
  return res.json()
}

describe('admin API: OpenAPI document for sites and the workspace', () => {
  it('lists every method of the sites and workspace routes', async () => {
    const { paths } = await openapiDocument()
    expect(Object.keys(paths['/sites'] ?? {})).toEqual(['get', 'post'])
    expect(Object.keys(paths['/sites/{id}'] ?? {})).toEqual(['get', 'patch', 'delete'])
    expect(Object.keys(paths['/workspace'] ?? {})).toEqual(['get', 'patch'])
    expect(Object.keys(paths['/workspace/identity-secret'] ?? {})).toEqual(['post'])
  })

  it('describes site bodies, pages and answers with their rules', async () => {
    const doc = await openapiDocument()
    const { schemas } = doc.components
    expect(requestSchema(doc.paths['/sites']?.post)).toEqual({ $ref: '#/components/schemas/SiteInput' })
    expect(requestSchema(doc.paths['/sites/{id}']?.patch)).toEqual({ $ref: '#/components/schemas/SitePatch' })
    expect(schemas.SiteInput).toMatchObject({ type: 'object', required: ['name', 'allowedDomains'], additionalProperties: false })
    expect(schemas.SiteInput?.properties?.allowedDomains).toMatchObject({ type: 'array', minItems: 1, maxItems: LIMITS.domains })
    expect(schemas.SitePatch?.required ?? []).toEqual([])
    expect(responseSchema(doc.paths['/sites']?.get, '200')).toEqual({ $ref: '#/components/schemas/SitePage' })
    expect(schemas.SitePage?.properties?.sites).toMatchObject({ items: { $ref: '#/components/schemas/Site' } })
    expect(schemas.Site?.required).toEqual(expect.arrayContaining(['id', 'key', 'snippet', 'install', 'allowedDomains']))
    expect(doc.paths['/sites']?.get?.parameters?.map((p) => `${p.in} ${p.name}`)).toEqual(['query limit', 'query cursor'])
    for (const op of [doc.paths['/sites']?.post, doc.paths['/sites/{id}']?.patch])
      expect(responseSchema(op, '400')).toEqual({ $ref: '#/components/schemas/Error' })
    expect(responseSchema(doc.paths['/sites/{id}']?.get, '404')).toEqual({ $ref: '#/components/schemas/Error' })
  })

  it('describes the workspace settings and the identity secret', async () => {
    const doc = await openapiDocument()
    const { schemas } = doc.components
    expect(requestSchema(doc.paths['/workspace']?.patch)).toEqual({ $ref: '#/components/schemas/WorkspacePatch' })
    expect(schemas.WorkspacePatch).toMatchObject({ additionalProperties: false })
    expect(schemas.WorkspacePatch?.properties?.weekStartsOn).toMatchObject({ type: 'integer', minimum: 1, maximum: 7 })
    expect(responseSchema(doc.paths['/workspace']?.get, '200')).toEqual({ $ref: '#/components/schemas/Workspace' })
    expect(Object.keys(schemas.Workspace?.properties ?? {})).not.toContain('secret')
    expect(responseSchema(doc.paths['/workspace/identity-secret']?.post, '201')).toEqual({ $ref: '#/components/schemas/IdentitySecret' })
  })
})
