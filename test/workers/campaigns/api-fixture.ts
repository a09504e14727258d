// Shared by the campaign API tests: a valid campaign body to vary, the types of the answers,
// and the workspace's campaign rows read straight from D1, to show a refused request changed
// nothing.
import { env } from 'cloudflare:test'
import { eq } from 'drizzle-orm'
import { createDb } from '../../../worker/db/client'
import { campaigns, campaignVersions, contacts, scoringRules, smartLists, workspaces } from '../../../worker/db/schema'
import type { AdminFixture } from '../admin/admin-fixture'
import { newId } from '../support/collect'

export type ApiCampaign = { id: string; name: string; active: boolean; version: number; steps: unknown[]; triggers: unknown[] }
export type ApiList = { id: string; name: string; version: number }

export const validCampaign = (overrides: Record<string, unknown> = {}) => ({
  name: 'Pricing readers to sales',
  category: 'sales',
  triggers: [{ type: 'page-visited', pages: [{ pattern: '/pricing/**', minSeconds: 30 }] }, { type: 'manual' }],
  conditions: [{ type: 'tag', tag: 'customer', present: false }],
  steps: [
    { id: 'alert', type: 'send-alert', to: { owner: true, cc: ['boss@shop.test'] } },
    { id: 'pause', type: 'wait', seconds: 3600 },
    { id: 'hot', type: 'branch', condition: { type: 'score', min: 50 }, yes: [{ id: 'tag', type: 'add-tag', tag: 'hot' }], no: [] },
  ],
  runLimit: { kind: 'per-entry', count: 2 },
  ...overrides,
})

/** Every campaign, version, list and scoring rule of the workspace, and its rules version. */
export async function storedState(f: AdminFixture) {
  const db = createDb(env.DB)
  const ws = f.shop.workspaceId
  const [rows, versions, lists, rules, [workspace]] = await db.batch([
    db.select().from(campaigns).where(eq(campaigns.workspaceId, ws)),
    db.select().from(campaignVersions).where(eq(campaignVersions.workspaceId, ws)),
    db.select().from(smartLists).where(eq(smartLists.workspaceId, ws)),
    db.select().from(scoringRules).where(eq(scoringRules.workspaceId, ws)),
    db.select({ rulesVersion: workspaces.rulesVersion }).from(workspaces).where(eq(workspaces.id, ws)),
  ])
  return { campaigns: rows, versions, lists, rules, rulesVersion: workspace?.rulesVersion }
}

export async function addContact(f: AdminFixture): Promise<string> {
  const id = newId('ct')
  await createDb(env.DB)
    .insert(contacts)
    .values({ id, workspaceId: f.shop.workspaceId, email: `${id}@buyer.test` })
  return id
}
