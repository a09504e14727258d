// The OpenAPI document is generated from the schemas that check requests and shape answers:
// it lists every API route, and its request and response schemas carry the same rules.
import { SELF } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { LIMITS } from '../../../worker/alerts/alert-input'
import { BASE } from './admin-fixture'

type Schema = {
  $ref?: string
  type?: string
  required?: string[]
  properties?: Record<string, Schema>
  items?: Schema
  maxItems?: number
  maxLength?: number
  additionalProperties?: boolean
  format?: string
}
type Operation = {
  requestBody?: { content: { 'application/json': { schema: Schema } } }
  responses: Record<string, { content?: { 'application/json': { schema: Schema } } }>
  parameters?: Array<{ name: string; in: string }>
}
type Document = {
  openapi: string
  paths: Record<string, Record<string, Operation>>
  components: { schemas: Record<string, Schema>; securitySchemes: Record<string, unknown> }
}

async function openapiDocument(): Promise<Document> {
  const res = await SELF.fetch(`${BASE}/api/v1/openapi.json`)
  expect(res.status).toBe(200)
  return res.json()
}

const requestSchema = (op: Operation | undefined) => op?.requestBody?.content['application/json'].schema
const responseSchema = (op: Operation | undefined, status: string) => op?.responses[status]?.content?.['application/json'].schema

describe('admin API: OpenAPI document', () => {
  it('serves the OpenAPI document without a token, describing every route', async () => {
    const doc = await openapiDocument()
    expect(doc.openapi).toBe('3.1.0')
    expect(Object.keys(doc.paths)).toEqual([
      '/alerts',
      '/alerts/{id}',
      '/alerts/match-test',
      '/alerts/{id}/duplicate',
      '/alerts/{id}/toggle',
      '/alerts/{id}/test',
      '/alerts/{id}/analytics',
      '/alerts/{id}/analytics/chart',
      '/outbox',
      '/outbox/{id}/resend',
      '/workspace',
      '/workspace/identity-secret',
      '/workspace/webhook-secret',
      '/sites',
      '/sites/{id}',
      '/contacts',
      '/contacts/export',
      '/contacts/assign',
      '/contacts/{id}',
      '/contacts/{id}/activity',
      '/contacts/{id}/erase',
      '/users',
      '/users/{id}',
      '/users/{id}/deactivate',
      '/users/{id}/reactivate',
      '/users/{id}/invitation',
      '/users/{id}/sessions',
      '/users/{id}/sessions/{sessionId}',
      '/campaigns',
      '/campaigns/{id}',
      '/campaigns/{id}/activate',
      '/campaigns/{id}/deactivate',
      '/campaigns/{id}/versions',
      '/campaigns/{id}/report',
      '/campaigns/{id}/run',
      '/lists',
      '/lists/{id}',
      '/scoring-rules',
      '/scoring-rules/{id}',
    ])
    expect(doc.components.securitySchemes).toHaveProperty('bearer')
  })

  it('describes alert bodies with the rules that check them', async () => {
    const doc = await openapiDocument()
    const alerts = doc.paths['/alerts']
    expect(requestSchema(alerts?.post)).toEqual({ $ref: '#/components/schemas/AlertInput' })
    expect(requestSchema(doc.paths['/alerts/{id}']?.patch)).toEqual({ $ref: '#/components/schemas/AlertPatch' })
    const input = doc.components.schemas.AlertInput
    expect(input).toMatchObject({ type: 'object', required: ['name', 'pages'], additionalProperties: false })
    expect(input?.properties?.name).toMatchObject({ type: 'string', maxLength: LIMITS.name })
    expect(input?.properties?.pages).toMatchObject({ type: 'array', maxItems: LIMITS.rows, items: { required: ['pattern', 'minSeconds'] } })
    expect(doc.components.schemas.AlertPatch?.required ?? []).toEqual([])
    expect(requestSchema(doc.paths['/alerts/{id}/test']?.post)).toEqual({ $ref: '#/components/schemas/TestSend' })
    expect(doc.components.schemas.TestSend?.properties?.to).toMatchObject({ type: 'string', format: 'email' })
    for (const op of [alerts?.post, doc.paths['/alerts/{id}']?.patch])
      expect(responseSchema(op, '400')).toEqual({ $ref: '#/components/schemas/Error' })
  })

  it('describes the answers: alerts, errors and the outbox', async () => {
    const doc = await openapiDocument()
    expect(responseSchema(doc.paths['/alerts']?.get, '200')).toMatchObject({
      properties: { alerts: { items: { $ref: '#/components/schemas/Alert' } } },
    })
    expect(responseSchema(doc.paths['/alerts']?.post, '201')).toEqual({ $ref: '#/components/schemas/Alert' })
    expect(responseSchema(doc.paths['/alerts/{id}']?.get, '404')).toEqual({ $ref: '#/components/schemas/Error' })
    expect(doc.components.schemas.Alert?.required).toEqual(expect.arrayContaining(['id', 'name', 'pages', 'frequency', 'lastSentAt']))
    expect(doc.components.schemas.Error?.required).toEqual(['error'])

    const outbox = doc.paths['/outbox']?.get
    expect(outbox?.parameters?.map((p) => `${p.in} ${p.name}`)).toEqual(['query limit', 'query alert'])
    expect(responseSchema(outbox, '200')).toMatchObject({
      properties: { deliveries: { items: { $ref: '#/components/schemas/Delivery' } } },
    })
    expect(doc.components.schemas.Delivery?.required).toEqual(expect.arrayContaining(['id', 'alertId', 'status', 'attempts']))
    const resend = doc.paths['/outbox/{id}/resend']?.post
    expect(responseSchema(resend, '202')).toEqual({ $ref: '#/components/schemas/Delivery' })
    expect(responseSchema(resend, '409')).toEqual({ $ref: '#/components/schemas/Error' })
    expect(doc.paths['/alerts/{id}/analytics']?.get?.parameters?.map((p) => `${p.in} ${p.name}`)).toEqual(['query days', 'path id'])
  })
})
