// The campaign store under D1: a save adds a version and keeps the old ones; the set a contact
// object loads holds the active campaigns at their current version, the lists and the scoring
// rules of its own workspace only.
import { env } from 'cloudflare:test'
import { beforeAll, describe, expect, it } from 'vitest'
import type { CampaignDefinition } from '../../../durable-objects/contracts/campaign'
import { createDb } from '../../../worker/db/client'
import { listCampaignSet } from '../../../worker/db/queries/campaign-set'
import {
  deleteCampaign,
  findCampaignVersion,
  insertCampaign,
  insertCampaignVersion,
  listCampaignVersions,
  setCampaignActive,
} from '../../../worker/db/queries/campaigns'
import { insertList } from '../../../worker/db/queries/lists'
import { insertScoringRule } from '../../../worker/db/queries/scoring-rules'
import { createWorkspace, type Fixture } from '../contact-object/workspace-fixture'
import { newId } from '../support/collect'

const db = () => createDb(env.DB)

const definition = (name: string): CampaignDefinition => ({
  name,
  category: '',
  triggers: [{ type: 'contact-created' }],
  conditions: [],
  steps: [{ id: 's1', type: 'add-tag', tag: 'new' }],
  runLimit: { kind: 'always' },
  frequency: null,
})

let ws: Fixture
let other: Fixture

beforeAll(async () => {
  ws = await createWorkspace()
  other = await createWorkspace()
})

describe('campaign store', () => {
  it('saves each edit as the next version and keeps every earlier one', async () => {
    const id = newId('cmp')
    await insertCampaign(db(), { id, workspaceId: ws.workspaceId, createdBy: ws.ownerId, definition: definition('v1') })
    const saved = await insertCampaignVersion(db(), {
      id,
      workspaceId: ws.workspaceId,
      createdBy: ws.ownerId,
      definition: definition('v2'),
    })
    expect(saved?.campaign).toMatchObject({ currentVersion: 2, name: 'v2' })
    const versions = await listCampaignVersions(db(), ws.workspaceId, id)
    expect(versions.map((row) => [row.version, row.definition.name])).toEqual([
      [2, 'v2'],
      [1, 'v1'],
    ])
    expect(await findCampaignVersion(db(), ws.workspaceId, id, 1)).toMatchObject({ id, version: 1, name: 'v1' })
  })

  it('saves nothing for another workspace’s campaign', async () => {
    const id = newId('cmp')
    await insertCampaign(db(), { id, workspaceId: ws.workspaceId, createdBy: ws.ownerId, definition: definition('mine') })
    const foreign = { id, workspaceId: other.workspaceId, createdBy: other.ownerId, definition: definition('theirs') }
    expect(await insertCampaignVersion(db(), foreign)).toBeNull()
    expect(await listCampaignVersions(db(), ws.workspaceId, id)).toHaveLength(1)
  })

  it('loads the active campaigns at their current version, the lists and the scoring rules of one workspace', async () => {
    const fresh = await createWorkspace()
    const on = newId('cmp')
    const off = newId('cmp')
    const gone = newId('cmp')
    const row = (id: string, name: string) => ({
      id,
      workspaceId: fresh.workspaceId,
      createdBy: fresh.ownerId,
      definition: definition(name),
    })
    await insertCampaign(db(), row(on, 'on v1'))
    await insertCampaignVersion(db(), row(on, 'on v2'))
    await setCampaignActive(db(), fresh.workspaceId, on, true)
    await insertCampaign(db(), row(off, 'off'))
    await insertCampaign(db(), row(gone, 'deleted'))
    await setCampaignActive(db(), fresh.workspaceId, gone, true)
    await deleteCampaign(db(), fresh.workspaceId, gone)
    const listId = newId('lst')
    await insertList(db(), {
      id: listId,
      workspaceId: fresh.workspaceId,
      createdBy: fresh.ownerId,
      definition: { name: 'VIP', conditions: [{ type: 'tag', tag: 'vip', present: true }] },
    })
    const ruleId = newId('scr')
    await insertScoringRule(db(), {
      id: ruleId,
      workspaceId: fresh.workspaceId,
      createdBy: fresh.ownerId,
      definition: { name: 'Pricing', on: { type: 'page-visited', pattern: '/pricing' }, points: 10, decayDays: null },
    })

    const set = await listCampaignSet(db(), fresh.workspaceId)
    expect(set.campaigns).toEqual([{ ...definition('on v2'), id: on, version: 2, createdBy: fresh.ownerId }])
    expect(set.lists).toEqual([{ id: listId, version: 1, name: 'VIP', conditions: [{ type: 'tag', tag: 'vip', present: true }] }])
    expect(set.scoringRules).toEqual([
      { id: ruleId, name: 'Pricing', on: { type: 'page-visited', pattern: '/pricing' }, points: 10, decayDays: null },
    ])
    expect(await listCampaignSet(db(), other.workspaceId)).toEqual({ campaigns: [], lists: [], scoringRules: [] })
  })
})
