// The REST API as a client generated from its OpenAPI document sees it: a running instance
// (`wrangler dev`, demo data, an admin and a read-only API token) is driven through every
// operation the document lists, in the order a user would, and every answer — successes and
// refusals alike — must be a status the document lists for that operation with a body its
// schema accepts (test/node/api/openapi-client.ts). An operation no step calls fails the last
// test, so a new route cannot go out undocumented or unchecked.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Validator } from '@seriousme/openapi-schema-validator'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { insertAdminToken } from '../../../bench/support/api-token'
import {
  applySql,
  buildScriptIfMissing,
  prepareDatabase,
  recordedSql,
  startWranglerDev,
  type DevServer,
} from '../../../scripts/local-stack'
import { DEMO, DEMO_SITE_KEY } from '../../../worker/demo/demo-data'
import { freePort } from '../../support/free-port'
import { OpenApiClient } from './openapi-client'

const ADMIN_TOKEN = 'pbt_openapi_conformance_admin_token_0001'
const READ_TOKEN = 'pbt_openapi_conformance_read_token_00001'

let server: DevServer
let client: OpenApiClient

beforeAll(async () => {
  buildScriptIfMissing()
  const persistDir = mkdtempSync(join(tmpdir(), 'pagebell-openapi-'))
  await prepareDatabase(persistDir)
  applySql(
    persistDir,
    await recordedSql(async (db) => {
      await insertAdminToken(db, { id: 'tok_conformance_admin', secret: ADMIN_TOKEN, name: 'conformance (admin)' })
      await insertAdminToken(db, { id: 'tok_conformance_read', secret: READ_TOKEN, name: 'conformance (read)', scope: 'read' })
    }),
  )
  const log = process.env.PB_STACK_LOG ? (line: string) => process.stdout.write(line) : undefined
  server = await startWranglerDev({ port: await freePort(), persistDir, readyPath: '/demo', log })
  const document = (await (await fetch(`${server.baseUrl}/api/v1/openapi.json`)).json()) as Record<string, unknown>
  client = new OpenApiClient(document, server.baseUrl, ADMIN_TOKEN)
})

afterAll(async () => {
  await server?.stop()
})

const call = (method: string, path: string, body?: unknown) => client.call(method, path, body)
/** Calls and expects `status`; a wrong one names the call and shows the answer. */
async function expectStatus(status: number, method: string, path: string, body?: unknown) {
  const answer = await call(method, path, body)
  expect(answer.status, `${method} ${path}: ${answer.text.slice(0, 300)}`).toBe(status)
  return answer
}
/** The value of `key` in an answer's JSON object. */
const field = (json: unknown, key: string): unknown => (typeof json === 'object' && json !== null ? Reflect.get(json, key) : undefined)
const idOf = (json: unknown, key?: string) => String(field(key ? field(json, key) : json, 'id'))

describe('REST API: every answer is one the OpenAPI document describes', () => {
  it('publishes a valid OpenAPI 3.1 document', async () => {
    const result = await new Validator().validate(client.document)
    expect(result.errors ?? []).toEqual([])
    expect(result.valid).toBe(true)
    expect(client.document.openapi).toMatch(/^3\.1\./)
  })

  it('refuses a missing token and a read-only token the way it documents', async () => {
    expect((await client.call('GET', '/alerts', undefined, null)).status).toBe(401)
    expect((await client.call('GET', '/alerts', undefined, 'pbt_not_a_token')).status).toBe(401)
    expect((await client.call('POST', '/sites', { name: 'x', allowedDomains: ['x.test'] }, READ_TOKEN)).status).toBe(403)
    expect((await client.call('GET', '/sites', undefined, READ_TOKEN)).status).toBe(200)
  })

  it('workspace: read, change, refuse a bad zone, rotate both secrets', async () => {
    await expectStatus(200, 'GET', '/workspace')
    await expectStatus(200, 'PATCH', '/workspace', { senderName: 'Acme sales' })
    await expectStatus(400, 'PATCH', '/workspace', { timeZone: 'Mars/Olympus' })
    await expectStatus(201, 'POST', '/workspace/identity-secret')
    await expectStatus(201, 'POST', '/workspace/webhook-secret')
  })

  it('sites: list, create, refuse, read, change, delete', async () => {
    await expectStatus(200, 'GET', '/sites')
    await expectStatus(400, 'GET', '/sites?limit=0')
    const created = await call('POST', '/sites', { name: 'Shop', allowedDomains: ['shop.example', 'bücher.example'] })
    expect(created.status).toBe(201)
    const id = idOf(created.json)
    await expectStatus(400, 'POST', '/sites', { name: '', allowedDomains: ['not a domain'] })
    await expectStatus(400, 'POST', '/sites', 'not json')
    await expectStatus(200, 'GET', `/sites/${id}`)
    await expectStatus(200, 'PATCH', `/sites/${id}`, { requireVerifiedIdentity: true })
    await expectStatus(400, 'PATCH', `/sites/${id}`, { allowedDomains: [] })
    await expectStatus(404, 'GET', '/sites/site_nope')
    await expectStatus(204, 'DELETE', `/sites/${id}`)
    await expectStatus(404, 'DELETE', `/sites/${id}`)
  })

  it('team: invite, refuse a second invitation, change the role, deactivate and reactivate, sessions', async () => {
    await expectStatus(200, 'GET', '/users')
    const invited = await call('POST', '/users', { email: 'rita@acme.test', name: 'Rita Rep', role: 'sales' })
    expect(invited.status).toBe(201)
    const id = idOf(invited.json)
    await expectStatus(409, 'POST', '/users', { email: 'rita@acme.test', role: 'sales' })
    await expectStatus(400, 'POST', '/users', { email: 'nobody', role: 'boss' })
    await expectStatus(200, 'GET', `/users/${id}`)
    await expectStatus(200, 'PATCH', `/users/${id}`, { role: 'marketer' })
    await expectStatus(202, 'POST', `/users/${id}/invitation`)
    await expectStatus(200, 'POST', `/users/${id}/deactivate`)
    await expectStatus(200, 'POST', `/users/${id}/reactivate`)
    await expectStatus(409, 'POST', `/users/${DEMO.admin.id}/deactivate`)
    await expectStatus(200, 'GET', `/users/${DEMO.admin.id}/sessions`)
    await expectStatus(404, 'DELETE', `/users/${DEMO.admin.id}/sessions/ses_nope`)
    await expectStatus(200, 'DELETE', `/users/${id}/sessions`)
    await expectStatus(404, 'GET', '/users/usr_nope')
  })

  it('alerts: the whole life of one, its test send, analytics and chart', async () => {
    await expectStatus(200, 'GET', '/alerts')
    const body = { name: 'Docs readers', pages: [{ pattern: '/docs/**', minSeconds: 20 }], frequency: { count: 2, period: 'week' } }
    const created = await call('POST', '/alerts', body)
    expect(created.status).toBe(201)
    const id = idOf(created.json)
    await expectStatus(400, 'POST', '/alerts', { ...body, pages: [] })
    await expectStatus(200, 'GET', `/alerts/${id}`)
    await expectStatus(200, 'PATCH', `/alerts/${id}`, { cc: 'team@acme.test' })
    await expectStatus(400, 'PATCH', `/alerts/${id}`, { cc: 'not an address' })
    await expectStatus(200, 'POST', '/alerts/match-test', { url: 'https://acme.test/docs/a', patterns: ['/docs/**'] })
    await expectStatus(400, 'POST', '/alerts/match-test', { url: 'nope', patterns: [] })
    const copy = await call('POST', `/alerts/${id}/duplicate`)
    expect(copy.status).toBe(201)
    await expectStatus(200, 'POST', `/alerts/${id}/toggle`)
    // No mail transport is set up for this server: the test send says so, as a temporary failure.
    const test = await expectStatus(503, 'POST', `/alerts/${id}/test`, { to: 'me@acme.test' })
    expect(field(test.json, 'reason')).toBe('mail is not set up on this server: MAIL_TRANSPORT=smtp needs SMTP_URL')
    await expectStatus(400, 'POST', `/alerts/${id}/test`, { to: 'not an address' })
    await expectStatus(200, 'GET', `/alerts/${id}/analytics?days=7`)
    // Lenient by design: a day count out of range is clamped, not refused.
    await expectStatus(200, 'GET', `/alerts/${id}/analytics?days=0`)
    await expectStatus(200, 'GET', `/alerts/${id}/analytics/chart?days=7`)
    await expectStatus(204, 'DELETE', `/alerts/${idOf(copy.json)}`)
    await expectStatus(404, 'GET', '/alerts/alr_nope')
  })

  it('contacts: one identified by the script, then listed, exported, read, changed, assigned, erased', async () => {
    const visitor = `conformance${Date.now().toString(36)}`
    const collect = await fetch(`${server.baseUrl}/api/collect`, {
      method: 'POST',
      headers: {
        'content-type': 'text/plain',
        origin: 'http://localhost:8787',
        'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36',
      },
      body: JSON.stringify({
        site: DEMO_SITE_KEY,
        visitor,
        events: [
          { id: `${visitor}p`, type: 'pageview', visit: `${visitor}v`, url: 'http://localhost:8787/demo/pricing', title: 'Pricing' },
          { id: `${visitor}i`, type: 'identify', email: 'dana@buyer.test', traits: { name: 'Dana Buyer', company: 'Buyer Co' } },
        ],
      }),
    })
    expect(collect.status).toBe(200)
    const listed = await call('GET', '/contacts?q=dana')
    expect(listed.status).toBe(200)
    const contacts = field(listed.json, 'contacts')
    const id = idOf(Array.isArray(contacts) ? contacts[0] : null)
    expect(id).toMatch(/\S/)
    await expectStatus(400, 'GET', '/contacts?limit=-1')
    const csv = await call('GET', '/contacts/export')
    expect(csv.status).toBe(200)
    expect(csv.text).toContain('dana@buyer.test')
    await expectStatus(200, 'GET', `/contacts/${id}`)
    await expectStatus(200, 'GET', `/contacts/${id}/activity`)
    await expectStatus(200, 'PATCH', `/contacts/${id}`, { tags: ['vip'], phone: '+48 600 000 000' })
    await expectStatus(400, 'PATCH', `/contacts/${id}`, { ownerId: 'usr_nope' })
    await expectStatus(200, 'POST', '/contacts/assign', { ids: [id], ownerId: DEMO.admin.id })
    await expectStatus(400, 'POST', '/contacts/assign', { ids: [] })
    await expectStatus(200, 'GET', '/outbox')
    await expectStatus(200, 'GET', `/outbox?alert=${DEMO.alert.id}&limit=5`)
    await expectStatus(404, 'POST', '/outbox/del_nope/resend')
    await expectStatus(200, 'POST', `/contacts/${id}/erase`)
    await expectStatus(404, 'GET', `/contacts/${id}`)
    await expectStatus(404, 'DELETE', `/contacts/${id}`)
  })

  it('campaigns, smart lists and scoring rules: create, refuse, read, save again, switch, run, delete', async () => {
    await expectStatus(200, 'GET', '/lists')
    const list = await call('POST', '/lists', {
      name: 'Pricing readers',
      conditions: [{ type: 'visited', pattern: '/pricing/**', withinDays: 30 }],
    })
    expect(list.status).toBe(201)
    const listId = idOf(list.json)
    await expectStatus(400, 'POST', '/lists', { name: 'Empty', conditions: [] })
    await expectStatus(200, 'GET', `/lists/${listId}`)
    const listBody = { name: 'Pricing readers (30 d)', conditions: [{ type: 'visited', pattern: '/pricing/**', withinDays: 30 }] }
    await expectStatus(200, 'PUT', `/lists/${listId}`, listBody)

    await expectStatus(200, 'GET', '/scoring-rules')
    const rule = await call('POST', '/scoring-rules', { name: 'Pricing', on: { type: 'page-visited', pattern: '/pricing/**' }, points: 10 })
    expect(rule.status).toBe(201)
    const ruleId = idOf(rule.json)
    await expectStatus(400, 'POST', '/scoring-rules', { name: 'Bad', on: { type: 'nope' }, points: 1 })
    await expectStatus(200, 'GET', `/scoring-rules/${ruleId}`)
    const ruleBody = { name: 'Pricing', on: { type: 'page-visited', pattern: '/pricing/**' }, points: 15, decayDays: 30 }
    await expectStatus(200, 'PUT', `/scoring-rules/${ruleId}`, ruleBody)

    await expectStatus(200, 'GET', '/campaigns')
    const campaign = {
      name: 'Pricing readers to sales',
      triggers: [{ type: 'list-entered', listId }, { type: 'manual' }],
      steps: [
        { id: 'tag', type: 'add-tag', tag: 'warm' },
        { id: 'pause', type: 'wait', seconds: 3600 },
        {
          id: 'hot',
          type: 'branch',
          condition: { type: 'score', min: 50 },
          yes: [{ id: 'mail', type: 'send-alert', to: { owner: true } }],
          no: [],
        },
      ],
      runLimit: { kind: 'per-entry', count: 2 },
    }
    const created = await call('POST', '/campaigns', campaign)
    expect(created.status).toBe(201)
    const id = idOf(created.json)
    await expectStatus(400, 'POST', '/campaigns', { ...campaign, steps: [] })
    await expectStatus(422, 'POST', '/campaigns', { ...campaign, triggers: [{ type: 'list-entered', listId: 'lst_nope' }] })
    await expectStatus(200, 'GET', `/campaigns/${id}`)
    await expectStatus(200, 'PUT', `/campaigns/${id}`, { ...campaign, name: 'Pricing readers, v2' })
    await expectStatus(200, 'GET', `/campaigns/${id}/versions`)
    await expectStatus(200, 'GET', `/campaigns/${id}/report`)
    await expectStatus(200, 'POST', `/campaigns/${id}/activate`)
    await expectStatus(422, 'POST', `/campaigns/${id}/run`, { contactId: 'cnt_nope' })
    await expectStatus(400, 'POST', `/campaigns/${id}/run`, {})
    await expectStatus(200, 'POST', `/campaigns/${id}/deactivate`)
    await expectStatus(409, 'DELETE', `/lists/${listId}`)
    await expectStatus(204, 'DELETE', `/campaigns/${id}`)
    await expectStatus(404, 'GET', `/campaigns/${id}`)
    await expectStatus(204, 'DELETE', `/lists/${listId}`)
    await expectStatus(204, 'DELETE', `/scoring-rules/${ruleId}`)
    await expectStatus(404, 'GET', `/scoring-rules/${ruleId}`)
  })

  it('left no operation of the document uncalled', () => {
    expect(client.allOperations().filter((operation) => !client.called.has(operation))).toEqual([])
  })
})
