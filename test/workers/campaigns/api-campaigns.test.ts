// The campaigns REST API: create (OFF, version 1), read, save as a new version with the old ones
// kept, switch ON (a webhook step once the workspace has a webhook secret) with a summary in
// words and OFF, delete, run by hand; sales reps and read tokens only read; another workspace's
// ids are 404; the rules version moves when what contact objects evaluate changes.
import { beforeAll, describe, expect, it } from 'vitest'
import { issueApiToken } from '../../../worker/auth/api-tokens'
import { api, apiJson, createAdminWorkspace, rulesVersion, type AdminFixture } from '../admin/admin-fixture'
import { addContact, validCampaign, type ApiCampaign } from './api-fixture'
import { env } from 'cloudflare:test'

let ws: AdminFixture
let other: AdminFixture

beforeAll(async () => {
  ws = await createAdminWorkspace()
  other = await createAdminWorkspace()
})

type Detail = ApiCampaign & { versions: Array<{ version: number; createdBy: string; createdAt: number }> }
type Summary = { triggers: string[]; conditions: string[]; steps: string[]; recipients: string[]; runLimit: string }

describe('campaigns API: create, read, version, switch, delete', () => {
  it('creates a campaign OFF at version 1, lists it and reads it with its versions', async () => {
    const created = await api(ws.marketer.token, 'POST', '/campaigns', validCampaign())
    expect(created.status).toBe(201)
    const campaign = await created.json<ApiCampaign>()
    expect(created.headers.get('location')).toBe(`/api/v1/campaigns/${campaign.id}`)
    expect(campaign).toMatchObject({
      name: 'Pricing readers to sales',
      category: 'sales',
      active: false,
      version: 1,
      createdBy: ws.marketer.id,
    })
    expect(campaign.steps).toEqual(
      validCampaign().steps.map((s) => (s.type === 'send-alert' ? { ...s, to: { ...s.to, creator: false, addresses: [] } } : s)),
    )

    const list = await apiJson<{ campaigns: ApiCampaign[] }>(ws.sales.token, 'GET', '/campaigns')
    expect(list.campaigns.map((c) => c.id)).toContain(campaign.id)
    const detail = await apiJson<Detail>(ws.sales.token, 'GET', `/campaigns/${campaign.id}`)
    expect(detail.versions).toEqual([{ version: 1, createdBy: ws.marketer.id, createdAt: expect.any(Number) as number }])
  })

  it('saves an edit as version 2 and keeps version 1 as it was', async () => {
    const campaign = await apiJson<ApiCampaign>(ws.marketer.token, 'POST', '/campaigns', validCampaign())
    const edited = validCampaign({ name: 'Renamed', steps: [{ id: 'only', type: 'add-tag', tag: 'seen' }] })
    const saved = await apiJson<ApiCampaign>(ws.admin.token, 'PUT', `/campaigns/${campaign.id}`, edited)
    expect(saved).toMatchObject({ id: campaign.id, name: 'Renamed', version: 2, steps: edited.steps })

    const detail = await apiJson<Detail>(ws.marketer.token, 'GET', `/campaigns/${campaign.id}`)
    expect(detail).toMatchObject({ name: 'Renamed', version: 2 })
    expect(detail.versions.map((v) => [v.version, v.createdBy])).toEqual([
      [2, ws.admin.id],
      [1, ws.marketer.id],
    ])
    const { versions } = await apiJson<{ versions: Array<{ version: number; definition: { name: string; steps: unknown[] } }> }>(
      ws.sales.token,
      'GET',
      `/campaigns/${campaign.id}/versions`,
    )
    expect(versions.map((v) => [v.version, v.definition.name])).toEqual([
      [2, 'Renamed'],
      [1, 'Pricing readers to sales'],
    ])
    expect(versions[1]?.definition.steps).toHaveLength(3)
  })

  it('switches ON with a summary in words, and OFF', async () => {
    const rep = ws.sales
    const campaign = await apiJson<ApiCampaign>(
      ws.marketer.token,
      'POST',
      '/campaigns',
      validCampaign({
        steps: [
          { id: 'alert', type: 'send-alert', to: { owner: true, addresses: ['a@shop.test'], cc: ['boss@shop.test'] } },
          { id: 'rr', type: 'assign-round-robin', userIds: [rep.id, ws.marketer.id] },
          { id: 'pause', type: 'wait', seconds: 5400 },
          {
            id: 'hot',
            type: 'branch',
            condition: { type: 'score', min: 50 },
            yes: [{ id: 'hook', type: 'webhook', url: 'https://crm.example.com/hook' }],
            no: [],
          },
        ],
      }),
    )
    // A webhook step waits for the workspace's webhook secret: its calls could not be signed.
    const unsigned = await api(ws.marketer.token, 'POST', `/campaigns/${campaign.id}/activate`)
    expect(unsigned.status).toBe(422)
    expect(await unsigned.json()).toMatchObject({ field: 'steps.3.yes.0.url', reason: expect.stringContaining('webhook secret') as string })
    await apiJson(ws.admin.token, 'POST', '/workspace/webhook-secret')

    const on = await apiJson<{ campaign: ApiCampaign; summary: Summary }>(ws.marketer.token, 'POST', `/campaigns/${campaign.id}/activate`)
    expect(on.campaign).toMatchObject({ id: campaign.id, active: true, version: 1 })
    expect(on.summary).toEqual({
      triggers: ['When a contact spends time on /pricing/** (30 seconds or more)', 'When someone runs it for a contact (admin or API)'],
      conditions: ['does not have the tag "customer"'],
      steps: [
        "send an alert e-mail to the contact's owner, a@shop.test (CC boss@shop.test)",
        'assign an owner in turn among sales user, marketer user and tell them by e-mail',
        'wait 1 hour 30 minutes',
        'if score at least 50:',
        '  call the webhook https://crm.example.com/hook (signed)',
        'otherwise:',
        '  (nothing)',
      ],
      recipients: [
        "Alert e-mail: the contact's owner, a@shop.test (CC boss@shop.test)",
        'New owner in turn: sales user, marketer user, told by e-mail',
        'Webhook call: https://crm.example.com/hook',
      ],
      runLimit: 'Runs at most 2 times per entry',
    })
    const off = await apiJson<ApiCampaign>(ws.marketer.token, 'POST', `/campaigns/${campaign.id}/deactivate`)
    expect(off).toMatchObject({ active: false, version: 1 })
  })

  it('deletes a campaign: it is gone from the API, its versions stay in D1 for runs in progress', async () => {
    const campaign = await apiJson<ApiCampaign>(ws.marketer.token, 'POST', '/campaigns', validCampaign())
    expect((await api(ws.marketer.token, 'DELETE', `/campaigns/${campaign.id}`)).status).toBe(204)
    expect((await api(ws.marketer.token, 'GET', `/campaigns/${campaign.id}`)).status).toBe(404)
    expect((await api(ws.marketer.token, 'DELETE', `/campaigns/${campaign.id}`)).status).toBe(404)
    const list = await apiJson<{ campaigns: ApiCampaign[] }>(ws.marketer.token, 'GET', '/campaigns')
    expect(list.campaigns.map((c) => c.id)).not.toContain(campaign.id)
    const kept = await env.DB.prepare('SELECT version FROM campaign_versions WHERE campaign_id = ?').bind(campaign.id).all()
    expect(kept.results).toEqual([{ version: 1 }])
  })
})

describe('campaigns API: run by hand', () => {
  it('accepts a run for a contact of the workspace when the campaign is ON with a manual trigger (202)', async () => {
    const campaign = await apiJson<ApiCampaign>(ws.marketer.token, 'POST', '/campaigns', validCampaign())
    const contactId = await addContact(ws)
    const off = await api(ws.marketer.token, 'POST', `/campaigns/${campaign.id}/run`, { contactId })
    expect(off.status).toBe(409)
    expect(await off.json()).toMatchObject({ field: 'id', reason: expect.stringContaining('OFF') as string })

    await apiJson(ws.marketer.token, 'POST', `/campaigns/${campaign.id}/activate`)
    const res = await api(ws.marketer.token, 'POST', `/campaigns/${campaign.id}/run`, { contactId })
    expect(res.status).toBe(202)
    expect(await res.json()).toEqual({ accepted: true, campaignId: campaign.id, version: 1, contactId })

    const theirs = await addContact(other)
    const foreign = await api(ws.marketer.token, 'POST', `/campaigns/${campaign.id}/run`, { contactId: theirs })
    expect(foreign.status).toBe(422)
    expect(await foreign.json()).toMatchObject({ field: 'contactId' })
    const bad = await api(ws.marketer.token, 'POST', `/campaigns/${campaign.id}/run`, {})
    expect(bad.status).toBe(400)
  })

  it('refuses a run of a campaign without a manual trigger (409)', async () => {
    const campaign = await apiJson<ApiCampaign>(
      ws.marketer.token,
      'POST',
      '/campaigns',
      validCampaign({ triggers: [{ type: 'contact-created' }] }),
    )
    await apiJson(ws.marketer.token, 'POST', `/campaigns/${campaign.id}/activate`)
    const res = await api(ws.marketer.token, 'POST', `/campaigns/${campaign.id}/run`, { contactId: await addContact(ws) })
    expect(res.status).toBe(409)
    expect(await res.json()).toMatchObject({ reason: expect.stringContaining('manual') as string })
  })
})

describe('campaigns API: who may do what', () => {
  it('lets a sales rep and a read token read, and refuses them every change (403)', async () => {
    const campaign = await apiJson<ApiCampaign>(ws.marketer.token, 'POST', '/campaigns', validCampaign())
    const { secret: readToken } = await issueApiToken(env, ws.marketer, 'read only', 'read')
    for (const token of [ws.sales.token, readToken]) {
      expect((await api(token, 'GET', '/campaigns')).status).toBe(200)
      expect((await api(token, 'GET', `/campaigns/${campaign.id}`)).status).toBe(200)
      for (const [method, path, body] of [
        ['POST', '/campaigns', validCampaign()],
        ['PUT', `/campaigns/${campaign.id}`, validCampaign()],
        ['POST', `/campaigns/${campaign.id}/activate`, undefined],
        ['POST', `/campaigns/${campaign.id}/run`, { contactId: 'x' }],
        ['DELETE', `/campaigns/${campaign.id}`, undefined],
      ] as const)
        expect((await api(token, method, path, body)).status, `${method} ${path}`).toBe(403)
    }
    expect((await api(null, 'GET', '/campaigns')).status).toBe(401)
  })

  it("answers 404 for another workspace's campaign, whatever the verb, and changes nothing there", async () => {
    const theirs = await apiJson<ApiCampaign>(other.marketer.token, 'POST', '/campaigns', validCampaign())
    for (const [method, path, body] of [
      ['GET', `/campaigns/${theirs.id}`, undefined],
      ['GET', `/campaigns/${theirs.id}/versions`, undefined],
      ['PUT', `/campaigns/${theirs.id}`, validCampaign({ name: 'Taken over' })],
      ['POST', `/campaigns/${theirs.id}/activate`, undefined],
      ['POST', `/campaigns/${theirs.id}/deactivate`, undefined],
      ['POST', `/campaigns/${theirs.id}/run`, { contactId: 'x' }],
      ['DELETE', `/campaigns/${theirs.id}`, undefined],
    ] as const)
      expect((await api(ws.admin.token, method, path, body)).status, `${method} ${path}`).toBe(404)
    expect(await apiJson(other.marketer.token, 'GET', `/campaigns/${theirs.id}`)).toMatchObject({
      name: theirs.name,
      version: 1,
      active: false,
    })
  })
})

describe('campaigns API: the rules version', () => {
  it('moves when the active set changes (switch ON, save while ON, switch OFF, delete), not for an OFF draft', async () => {
    const version = () => rulesVersion(ws.shop.siteId)
    const v0 = await version()
    const campaign = await apiJson<ApiCampaign>(ws.marketer.token, 'POST', '/campaigns', validCampaign())
    await apiJson(ws.marketer.token, 'PUT', `/campaigns/${campaign.id}`, validCampaign({ name: 'Draft 2' }))
    expect(await version()).toBe(v0)

    await apiJson(ws.marketer.token, 'POST', `/campaigns/${campaign.id}/activate`)
    const v1 = await version()
    expect(v1).toBeGreaterThan(v0 ?? 0)
    await apiJson(ws.marketer.token, 'PUT', `/campaigns/${campaign.id}`, validCampaign({ name: 'Live edit' }))
    const v2 = await version()
    expect(v2).toBeGreaterThan(v1 ?? 0)
    await apiJson(ws.marketer.token, 'POST', `/campaigns/${campaign.id}/deactivate`)
    const v3 = await version()
    expect(v3).toBeGreaterThan(v2 ?? 0)
    await api(ws.marketer.token, 'DELETE', `/campaigns/${campaign.id}`)
    expect(await version()).toBeGreaterThan(v3 ?? 0)
  })
})
