// The campaign routes in the generated OpenAPI document: every path and verb, bodies described
// by the contract's schemas (the ones that check them), answers by the views.
import { SELF } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { BASE } from '../admin/admin-fixture'

type Schema = { $ref?: string; required?: string[]; properties?: Record<string, Schema>; items?: Schema; minItems?: number }
type Operation = {
  requestBody?: { content: { 'application/json': { schema: Schema } } }
  responses: Record<string, { content?: { 'application/json': { schema: Schema } } }>
}
type Document = { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, Schema> } }

async function document(): Promise<Document> {
  const res = await SELF.fetch(`${BASE}/api/v1/openapi.json`)
  expect(res.status).toBe(200)
  return res.json()
}

describe('campaigns API: OpenAPI document', () => {
  it('lists every campaign, list and scoring-rule route with its verbs', async () => {
    const { paths } = await document()
    const verbs = (path: string) => Object.keys(paths[path] ?? {}).sort()
    expect(verbs('/campaigns')).toEqual(['get', 'post'])
    expect(verbs('/campaigns/{id}')).toEqual(['delete', 'get', 'put'])
    expect(verbs('/campaigns/{id}/activate')).toEqual(['post'])
    expect(verbs('/campaigns/{id}/deactivate')).toEqual(['post'])
    expect(verbs('/campaigns/{id}/versions')).toEqual(['get'])
    expect(verbs('/campaigns/{id}/run')).toEqual(['post'])
    expect(verbs('/lists')).toEqual(['get', 'post'])
    expect(verbs('/lists/{id}')).toEqual(['delete', 'get', 'put'])
    expect(verbs('/scoring-rules')).toEqual(['get', 'post'])
    expect(verbs('/scoring-rules/{id}')).toEqual(['delete', 'get', 'put'])
    expect(verbs('/workspace/webhook-secret')).toEqual(['post'])
  })

  it('describes the bodies with the contract that checks them, and the answers with the views', async () => {
    const { paths, components } = await document()
    const body = (op: Operation | undefined) => op?.requestBody?.content['application/json'].schema
    expect(body(paths['/campaigns']?.post)).toEqual({ $ref: '#/components/schemas/CampaignInput' })
    expect(body(paths['/campaigns/{id}']?.put)).toEqual({ $ref: '#/components/schemas/CampaignInput' })
    expect(body(paths['/lists']?.post)).toEqual({ $ref: '#/components/schemas/SmartListInput' })
    expect(body(paths['/scoring-rules']?.post)).toEqual({ $ref: '#/components/schemas/ScoringRuleInput' })
    expect(body(paths['/campaigns/{id}/run']?.post)).toEqual({ $ref: '#/components/schemas/CampaignRun' })

    const input = components.schemas.CampaignInput
    expect(input?.required).toEqual(expect.arrayContaining(['name', 'triggers', 'steps']))
    expect(input?.properties?.triggers?.minItems).toBe(1)
    expect(components.schemas).toHaveProperty('CampaignDetail')
    expect(components.schemas).toHaveProperty('CampaignSummary')
    const answer = paths['/campaigns/{id}/activate']?.post?.responses['200']?.content?.['application/json'].schema
    expect(answer).toEqual({ $ref: '#/components/schemas/CampaignActivation' })
  })
})
