// Every refusal of the campaigns API names the field and changes nothing in D1 (campaigns,
// versions, lists, scoring rules, the rules version are compared before and after): the
// contract's shape (400), the service's shape rules (400), users, lists and webhook targets it
// names (422), and bsport's one campaign per channel on a list edge (422).
import { env } from 'cloudflare:test'
import { eq } from 'drizzle-orm'
import * as v from 'valibot'
import { beforeAll, describe, expect, it } from 'vitest'
import { CampaignDefinition } from '../../../durable-objects/contracts/campaign'
import { createCampaign } from '../../../worker/campaigns/campaign-changes'
import { campaignTargetRefusal } from '../../../worker/delivery/campaign-target'
import { createDb } from '../../../worker/db/client'
import { users } from '../../../worker/db/schema'
import { api, apiJson, createAdminWorkspace, type AdminFixture } from '../admin/admin-fixture'
import { newId } from '../support/collect'
import { storedState, validCampaign, type ApiCampaign, type ApiList } from './api-fixture'

let ws: AdminFixture
let other: AdminFixture
let deactivatedId: string
let invitedId: string
let vipList: ApiList

beforeAll(async () => {
  ws = await createAdminWorkspace()
  other = await createAdminWorkspace()
  deactivatedId = newId('usr')
  invitedId = newId('usr')
  await createDb(env.DB)
    .insert(users)
    .values([
      { id: deactivatedId, workspaceId: ws.shop.workspaceId, email: `${deactivatedId}@shop.test`, role: 'sales', status: 'deactivated' },
      { id: invitedId, workspaceId: ws.shop.workspaceId, email: `${invitedId}@shop.test`, role: 'sales', status: 'invited' },
    ])
  // Webhook steps go ON only once the workspace can sign their calls.
  await apiJson(ws.admin.token, 'POST', '/workspace/webhook-secret')
  vipList = await apiJson<ApiList>(ws.marketer.token, 'POST', '/lists', {
    name: 'VIP',
    conditions: [{ type: 'tag', tag: 'vip', present: true }],
  })
})

const step = (s: Record<string, unknown>) => validCampaign({ steps: [s] })

type Refusal = { error: string; field: string; reason: string; errors: Array<{ field: string; reason: string }> }

async function expectRefused(method: string, path: string, body: unknown, status: number, field: string) {
  const before = await storedState(ws)
  const res = await api(ws.marketer.token, method, path, body)
  const refusal = await res.json<Refusal>()
  expect(res.status, JSON.stringify(refusal)).toBe(status)
  expect(refusal.field).toBe(field)
  expect(typeof refusal.reason).toBe('string')
  expect(await storedState(ws)).toEqual(before)
  return refusal
}

const badBodies: Array<[string, number, string, unknown]> = [
  ['body not JSON', 400, 'body', '{"name":'],
  ['body an array', 400, 'body', [validCampaign()]],
  ['no name', 400, 'name', validCampaign({ name: '  ' })],
  ['no trigger', 400, 'triggers', validCampaign({ triggers: [] })],
  ['unknown trigger', 400, 'triggers.0.type', validCampaign({ triggers: [{ type: 'moon-phase' }] })],
  ['no step', 400, 'steps', validCampaign({ steps: [] })],
  ['unknown step', 400, 'steps.0.type', step({ id: 'a', type: 'teleport' })],
  ['bad step id', 400, 'steps.0.id', step({ id: 'a b', type: 'add-tag', tag: 'x' })],
  ['wait of 0 s', 400, 'steps.0.seconds', step({ id: 'a', type: 'wait', seconds: 0 })],
  ['run limit 4 per entry', 400, 'runLimit.count', validCampaign({ runLimit: { kind: 'per-entry', count: 4 } })],
  ['webhook not a URL', 400, 'steps.0.url', step({ id: 'a', type: 'webhook', url: 'not a url' })],
  [
    'two steps with one id',
    400,
    'steps.1.yes.0.id',
    validCampaign({
      steps: [
        { id: 'a', type: 'add-tag', tag: 'x' },
        {
          id: 'b',
          type: 'branch',
          condition: { type: 'tag', tag: 'x', present: true },
          yes: [{ id: 'a', type: 'add-tag', tag: 'y' }],
          no: [],
        },
      ],
    }),
  ],
  ['owner condition without the user', 400, 'conditions.0.userId', validCampaign({ conditions: [{ type: 'owner', is: 'user' }] })],
  ['score condition without bounds', 400, 'conditions.0', validCampaign({ conditions: [{ type: 'score' }] })],
  ['score range upside down', 400, 'conditions.0.min', validCampaign({ conditions: [{ type: 'score', min: 10, max: 5 }] })],
  [
    'page pattern the matcher refuses',
    400,
    'triggers.0.pages.0.pattern',
    validCampaign({ triggers: [{ type: 'page-visited', pages: [{ pattern: 'pricing', minSeconds: 0 }] }] }),
  ],
  [
    'branches nested 6 deep',
    400,
    'steps.0.yes.0.yes.0.yes.0.yes.0.yes.0',
    step(
      Array.from({ length: 5 }).reduce<Record<string, unknown>>(
        (inner, _, i) => ({ id: `b${i}`, type: 'branch', condition: { type: 'tag', tag: 't', present: true }, yes: [inner], no: [] }),
        { id: 'leaf', type: 'add-tag', tag: 'deep' },
      ),
    ),
  ],
  ['unknown user to assign', 422, 'steps.0.userId', step({ id: 'a', type: 'assign-owner', userId: 'usr_nobody' })],
  [
    'deactivated user in a round-robin',
    422,
    'steps.0.userIds.1',
    step({ id: 'a', type: 'assign-round-robin', userIds: ['ADMIN', 'DEACTIVATED'] }),
  ],
  [
    'invited user as owner condition',
    422,
    'conditions.0.userId',
    validCampaign({ conditions: [{ type: 'owner', is: 'user', userId: 'INVITED' }] }),
  ],
  ['another workspace’s user', 422, 'steps.0.userId', step({ id: 'a', type: 'assign-owner', userId: 'OTHER_ADMIN' })],
  ['unknown list trigger', 422, 'triggers.0.listId', validCampaign({ triggers: [{ type: 'list-entered', listId: 'lst_nothing' }] })],
  [
    'unknown list in a branch',
    422,
    'steps.0.condition.listId',
    step({ id: 'b', type: 'branch', condition: { type: 'list', listId: 'lst_nothing', member: true }, yes: [], no: [] }),
  ],
  ['chat over ftp', 422, 'steps.0.url', step({ id: 'a', type: 'chat', url: 'ftp://chat.example.com/hook' })],
  [
    'alert e-mail template that does not parse',
    400,
    'steps.0.templateHtml',
    step({ id: 'a', type: 'send-alert', to: { owner: true }, templateHtml: '<p>{% if %}</p>' }),
  ],
  [
    'alert attachment without its format',
    400,
    'steps.0.attachment.format',
    step({ id: 'a', type: 'send-alert', to: { owner: true }, attachment: { template: '{{ contact.email }}' } }),
  ],
  [
    'alert attachment whose template does not parse',
    400,
    'steps.0.attachment.template',
    step({ id: 'a', type: 'send-alert', to: { owner: true }, attachment: { format: 'csv', template: '{{ contact.email' } }),
  ],
  [
    'alert description over 2,000 characters',
    400,
    'steps.0.description',
    step({ id: 'a', type: 'send-alert', to: { owner: true }, description: 'x'.repeat(2_001) }),
  ],
]

/** The placeholders of the table are ids known only once the fixture exists. */
function withIds(body: unknown): unknown {
  if (typeof body === 'string') return body
  return JSON.parse(
    JSON.stringify(body)
      .replaceAll('"ADMIN"', JSON.stringify(ws.admin.id))
      .replaceAll('DEACTIVATED', deactivatedId)
      .replaceAll('INVITED', invitedId)
      .replaceAll('OTHER_ADMIN', other.admin.id),
  ) as unknown
}

describe('campaigns API: refusals change nothing', () => {
  it.each(badBodies)('refuses a new campaign with %s: %i naming %s', async (_, status, field, body) => {
    await expectRefused('POST', '/campaigns', withIds(body), status, field)
  })

  it.each(badBodies)('refuses an edit with %s and keeps the current version: %i naming %s', async (_, status, field, body) => {
    const campaign = await apiJson<ApiCampaign>(ws.marketer.token, 'POST', '/campaigns', validCampaign())
    await expectRefused('PUT', `/campaigns/${campaign.id}`, withIds(body), status, field)
    expect(await apiJson(ws.marketer.token, 'GET', `/campaigns/${campaign.id}`)).toMatchObject({ version: 1 })
  })

  it('accepts what the refusals vary, when valid: a user, a list, a round-robin, a public webhook', async () => {
    const body = validCampaign({
      triggers: [{ type: 'list-entered', listId: vipList.id }],
      conditions: [{ type: 'owner', is: 'user', userId: ws.sales.id }],
      steps: [
        { id: 'rr', type: 'assign-round-robin', userIds: [ws.admin.id, ws.sales.id] },
        { id: 'hook', type: 'webhook', url: 'https://crm.example.com/hook' },
      ],
    })
    expect((await api(ws.marketer.token, 'POST', '/campaigns', body)).status).toBe(201)
  })
})

describe('campaigns API: webhook targets', () => {
  const targets: Array<[string, boolean]> = [
    ['https://crm.example.com/hook', true],
    ['http://crm.example.com/hook', false],
    ['https://localhost/hook', false],
    ['https://printer.local/hook', false],
    ['https://metadata.google.internal/computeMetadata', false],
    ['https://127.0.0.1/hook', false],
    ['https://2130706433/hook', false],
    ['https://10.1.2.3/hook', false],
    ['https://172.16.0.1/hook', false],
    ['https://192.168.1.1/hook', false],
    ['https://169.254.169.254/latest/meta-data', false],
    ['https://[::1]/hook', false],
    ['https://[fd00::1]/hook', false],
    ['https://[fe80::1]/hook', false],
    ['https://[::ffff:127.0.0.1]/hook', false],
    ['https://intranet/hook', false],
    ['https://0.0.0.0/hook', false],
    ['https://100.64.0.1/hook', false],
    ['https://224.0.0.1/hook', false],
    ['https://255.255.255.255/hook', false],
    ['https://[::]/hook', false],
    ['https://[::127.0.0.1]/hook', false],
    ['https://[64:ff9b::a00:1]/hook', false],
    ['https://[ff02::1]/hook', false],
    ['https://[fec0::1]/hook', false],
    ['https://[2606:4700::1111]/hook', true],
    ['https://8.8.8.8/hook', true],
    ['https://172.32.0.1/hook', true],
  ]

  it.each(targets)('with ALLOW_PRIVATE_WEBHOOKS unset, %s is allowed: %s', (url, allowed) => {
    expect(campaignTargetRefusal(url, false) === null).toBe(allowed)
  })

  it.each(targets)('with ALLOW_PRIVATE_WEBHOOKS set, %s is allowed (http and private hosts too)', (url) => {
    expect(campaignTargetRefusal(url, true)).toBeNull()
  })

  it('refuses a private webhook target when the deployment does not allow them (422 naming the URL), writing nothing', async () => {
    const before = await storedState(ws)
    const production = { ...env, ALLOW_PRIVATE_WEBHOOKS: '' }
    const refused = await createCampaign(
      production,
      ws.marketer,
      v.parse(CampaignDefinition, step({ id: 'a', type: 'webhook', url: 'https://10.0.0.7/hook' })),
    )
    expect(refused).toMatchObject({ ok: false, status: 422, errors: [{ field: 'steps.0.url' }] })
    expect(await storedState(ws)).toEqual(before)
    // The test deployment allows them: the local HTTP receiver is such a target.
    expect(
      (await api(ws.marketer.token, 'POST', '/campaigns', step({ id: 'a', type: 'webhook', url: 'http://127.0.0.1:9/hook' }))).status,
    ).toBe(201)
  })
})

describe('campaigns API: one campaign per channel on a list edge', () => {
  const onEntry = (name: string, steps: unknown[]) =>
    validCampaign({ name, triggers: [{ type: 'list-entered', listId: vipList.id }], steps })
  const alertStep = { id: 'mail', type: 'send-alert', to: { owner: true } }

  it('refuses to switch on a second campaign sending an alert on entering the same list, and changes nothing', async () => {
    const first = await apiJson<ApiCampaign>(ws.marketer.token, 'POST', '/campaigns', onEntry('Welcome VIP', [alertStep]))
    await apiJson(ws.marketer.token, 'POST', `/campaigns/${first.id}/activate`)
    const second = await apiJson<ApiCampaign>(
      ws.marketer.token,
      'POST',
      '/campaigns',
      onEntry('VIP again', [{ id: 'tag', type: 'add-tag', tag: 'x' }, alertStep]),
    )

    const refusal = await expectRefused('POST', `/campaigns/${second.id}/activate`, undefined, 422, 'triggers.0')
    expect(refusal.reason).toContain('"Welcome VIP"')
    expect(refusal.reason).toContain('alert e-mail')

    // Another channel on the same edge, or the same channel on leaving, is allowed.
    const hook = await apiJson<ApiCampaign>(
      ws.marketer.token,
      'POST',
      '/campaigns',
      onEntry('VIP hook', [{ id: 'h', type: 'webhook', url: 'https://crm.example.com/vip' }]),
    )
    expect((await api(ws.marketer.token, 'POST', `/campaigns/${hook.id}/activate`)).status).toBe(200)
    const leaving = await apiJson<ApiCampaign>(
      ws.marketer.token,
      'POST',
      '/campaigns',
      validCampaign({ name: 'Bye VIP', triggers: [{ type: 'list-left', listId: vipList.id }], steps: [alertStep] }),
    )
    expect((await api(ws.marketer.token, 'POST', `/campaigns/${leaving.id}/activate`)).status).toBe(200)

    // An edit of an ON campaign that takes the edge is refused too; once the first is OFF, it is allowed.
    await expectRefused('PUT', `/campaigns/${hook.id}`, onEntry('VIP hook', [alertStep]), 422, 'triggers.0')
    await apiJson(ws.marketer.token, 'POST', `/campaigns/${first.id}/deactivate`)
    expect((await api(ws.marketer.token, 'POST', `/campaigns/${second.id}/activate`)).status).toBe(200)
  })
})

describe('lists and scoring rules API', () => {
  it('creates, edits (version 2), reads and deletes a smart list; another workspace sees 404', async () => {
    const created = await api(ws.marketer.token, 'POST', '/lists', { name: 'Hot', conditions: [{ type: 'score', min: 50 }] })
    expect(created.status).toBe(201)
    const list = await created.json<ApiList>()
    expect(list).toMatchObject({ name: 'Hot', version: 1, createdBy: ws.marketer.id })
    const saved = await apiJson<ApiList>(ws.marketer.token, 'PUT', `/lists/${list.id}`, {
      name: 'Hotter',
      conditions: [{ type: 'score', min: 80 }],
    })
    expect(saved).toMatchObject({ name: 'Hotter', version: 2, conditions: [{ type: 'score', min: 80 }] })
    expect(await apiJson(ws.sales.token, 'GET', `/lists/${list.id}`)).toMatchObject({ name: 'Hotter' })
    for (const [method, body] of [
      ['GET', undefined],
      ['PUT', { name: 'Theirs', conditions: [{ type: 'score', min: 1 }] }],
      ['DELETE', undefined],
    ] as const)
      expect((await api(other.admin.token, method, `/lists/${list.id}`, body)).status).toBe(404)
    expect((await api(ws.sales.token, 'DELETE', `/lists/${list.id}`)).status).toBe(403)
    expect((await api(ws.marketer.token, 'DELETE', `/lists/${list.id}`)).status).toBe(204)
    expect((await api(ws.marketer.token, 'GET', `/lists/${list.id}`)).status).toBe(404)
  })

  it('refuses a list with no condition, an unknown list, itself through another list, or an inactive owner; nothing changes', async () => {
    const a = await apiJson<ApiList>(ws.marketer.token, 'POST', '/lists', {
      name: 'A',
      conditions: [{ type: 'tag', tag: 'a', present: true }],
    })
    const b = await apiJson<ApiList>(ws.marketer.token, 'POST', '/lists', {
      name: 'B',
      conditions: [{ type: 'list', listId: a.id, member: true }],
    })
    await expectRefused('POST', '/lists', { name: 'None', conditions: [] }, 400, 'conditions')
    await expectRefused(
      'POST',
      '/lists',
      { name: 'Ghost', conditions: [{ type: 'list', listId: 'lst_ghost', member: true }] },
      422,
      'conditions.0.listId',
    )
    await expectRefused(
      'PUT',
      `/lists/${a.id}`,
      { name: 'A', conditions: [{ type: 'list', listId: b.id, member: false }] },
      422,
      'conditions.0.listId',
    )
    await expectRefused(
      'PUT',
      `/lists/${a.id}`,
      { name: 'A', conditions: [{ type: 'list', listId: a.id, member: true }] },
      422,
      'conditions.0.listId',
    )
    await expectRefused(
      'POST',
      '/lists',
      { name: 'Gone rep', conditions: [{ type: 'owner', is: 'user', userId: deactivatedId }] },
      422,
      'conditions.0.userId',
    )
  })

  it('refuses to delete a list a campaign or another list uses (409 naming them), and changes nothing', async () => {
    const used = await apiJson<ApiList>(ws.marketer.token, 'POST', '/lists', {
      name: 'Used',
      conditions: [{ type: 'tag', tag: 'u', present: true }],
    })
    await apiJson(
      ws.marketer.token,
      'POST',
      '/campaigns',
      validCampaign({ name: 'Uses it', triggers: [{ type: 'list-left', listId: used.id }] }),
    )
    const refusal = await expectRefused('DELETE', `/lists/${used.id}`, undefined, 409, 'id')
    expect(refusal.reason).toContain('"Uses it"')
  })

  it('creates, edits, reads and deletes a scoring rule; refuses a pattern the matcher refuses', async () => {
    const rule = await apiJson<{ id: string }>(ws.marketer.token, 'POST', '/scoring-rules', {
      name: 'Pricing',
      on: { type: 'page-visited', pattern: '/pricing/**' },
      points: 10,
      decayDays: 30,
    })
    const saved = await apiJson(ws.marketer.token, 'PUT', `/scoring-rules/${rule.id}`, {
      name: 'Demo form',
      on: { type: 'form-submitted' },
      points: 25,
    })
    expect(saved).toMatchObject({ id: rule.id, name: 'Demo form', points: 25, decayDays: null })
    expect(
      (await apiJson<{ scoringRules: Array<{ id: string }> }>(ws.sales.token, 'GET', '/scoring-rules')).scoringRules.map((r) => r.id),
    ).toContain(rule.id)
    expect((await api(other.admin.token, 'GET', `/scoring-rules/${rule.id}`)).status).toBe(404)
    await expectRefused(
      'POST',
      '/scoring-rules',
      { name: 'Bad', on: { type: 'page-visited', pattern: 'pricing' }, points: 1 },
      400,
      'on.pattern',
    )
    await expectRefused('PUT', `/scoring-rules/${rule.id}`, { name: 'Huge', on: { type: 'form-submitted' }, points: 5000 }, 400, 'points')
    expect((await api(ws.marketer.token, 'DELETE', `/scoring-rules/${rule.id}`)).status).toBe(204)
    expect((await api(ws.marketer.token, 'GET', `/scoring-rules/${rule.id}`)).status).toBe(404)
  })

  it('moves the rules version with every list and scoring-rule save', async () => {
    const version = async () => (await storedState(ws)).rulesVersion ?? 0
    const v0 = await version()
    const list = await apiJson<ApiList>(ws.marketer.token, 'POST', '/lists', {
      name: 'Bump',
      conditions: [{ type: 'tag', tag: 'b', present: true }],
    })
    const v1 = await version()
    expect(v1).toBeGreaterThan(v0)
    await apiJson(ws.marketer.token, 'PUT', `/lists/${list.id}`, {
      name: 'Bump 2',
      conditions: [{ type: 'tag', tag: 'b', present: false }],
    })
    const v2 = await version()
    expect(v2).toBeGreaterThan(v1)
    await apiJson(ws.marketer.token, 'POST', '/scoring-rules', { name: 'Event', on: { type: 'custom-event', name: 'trial' }, points: 5 })
    expect(await version()).toBeGreaterThan(v2)
  })
})

describe('campaigns API: users a campaign names', () => {
  it('checks users at activation again: a rep deactivated since the save blocks switching on (422)', async () => {
    const rep = newId('usr')
    const db = createDb(env.DB)
    await db.insert(users).values({ id: rep, workspaceId: ws.shop.workspaceId, email: `${rep}@shop.test`, role: 'sales' })
    const campaign = await apiJson<ApiCampaign>(
      ws.marketer.token,
      'POST',
      '/campaigns',
      step({ id: 'own', type: 'assign-owner', userId: rep }),
    )
    await db.update(users).set({ status: 'deactivated' }).where(eq(users.id, rep))
    await expectRefused('POST', `/campaigns/${campaign.id}/activate`, undefined, 422, 'steps.0.userId')
  })
})
