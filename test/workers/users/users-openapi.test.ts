// The users resource in the generated OpenAPI document: every route, the request schemas with
// the rules that check them, the answers (User, Session, Error) and the roles named in the
// summaries.
import { SELF } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { BASE } from './users-fixture'

type Schema = { $ref?: string; required?: string[]; properties?: Record<string, Schema>; enum?: string[]; additionalProperties?: boolean }
type Operation = {
  summary?: string
  requestBody?: { content: { 'application/json': { schema: Schema } } }
  responses: Record<string, { content?: { 'application/json': { schema: Schema } } }>
}
type Document = { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, Schema> } }

const doc = async () => (await SELF.fetch(`${BASE}/api/v1/openapi.json`)).json<Document>()

describe('OpenAPI document: users', () => {
  it('lists every users route', async () => {
    const { paths } = await doc()
    expect(Object.keys(paths['/users'] ?? {})).toEqual(['get', 'post'])
    expect(Object.keys(paths['/users/{id}'] ?? {})).toEqual(['get', 'patch'])
    for (const action of ['deactivate', 'reactivate', 'invitation'])
      expect(Object.keys(paths[`/users/{id}/${action}`] ?? {})).toEqual(['post'])
    expect(Object.keys(paths['/users/{id}/sessions'] ?? {})).toEqual(['get', 'delete'])
    expect(Object.keys(paths['/users/{id}/sessions/{sessionId}'] ?? {})).toEqual(['delete'])
  })

  it('describes the invitation, the role change and the answers with their rules', async () => {
    const { paths, components } = await doc()
    const { schemas } = components
    expect(paths['/users']?.post?.requestBody?.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Invitation' })
    expect(schemas.Invitation).toMatchObject({ required: ['email', 'role'], additionalProperties: false })
    expect(schemas.Invitation?.properties?.role?.enum).toEqual(['admin', 'marketer', 'sales'])
    expect(schemas.UserPatch).toMatchObject({ required: ['role'], additionalProperties: false })
    expect(schemas.User?.required).toEqual(expect.arrayContaining(['id', 'email', 'role', 'status', 'invitation']))
    expect(schemas.User?.properties).not.toHaveProperty('passwordHash')
    expect(paths['/users']?.get?.responses['200']?.content?.['application/json'].schema).toEqual({ $ref: '#/components/schemas/UserList' })
    for (const [path, method] of [
      ['/users/{id}', 'patch'],
      ['/users/{id}/deactivate', 'post'],
    ] as const)
      expect(paths[path]?.[method]?.responses['409']?.content?.['application/json'].schema).toEqual({ $ref: '#/components/schemas/Error' })
    expect(paths['/users']?.post?.summary).toContain('(admin)')
    expect(schemas.Session?.required).toEqual(expect.arrayContaining(['id', 'userAgent', 'createdAt', 'lastSeenAt', 'current']))
  })
})
