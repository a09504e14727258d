// The workspace's campaign set, compiled, shared by every contact object of this isolate: one
// D1 read and one compile per workspace and rules version, not one per object. A new contact
// (every identify of a new e-mail) then costs neither on its first event. The rules version the
// collect worker hands each object names the set; a newer version is a new entry.
import { createDb } from '../worker/db/client'
import { listCampaignSet } from '../worker/db/queries/campaign-set'
import type { CampaignSet } from './contracts/campaign'
import { compileCampaignSet } from './rules/campaigns/compile'
import type { CompiledCampaignSet } from './rules/campaigns/engine-types'

export type LoadedCampaignSet = { set: CampaignSet; compiled: CompiledCampaignSet }

/** Workspaces kept at once; the least recently used goes first. */
const MAX_WORKSPACES = 64

const cache = new Map<string, { version: number; loading: Promise<LoadedCampaignSet> }>()

export function campaignSetFor(env: Env, workspaceId: string, version: number): Promise<LoadedCampaignSet> {
  const hit = cache.get(workspaceId)
  if (hit?.version === version) {
    // Re-inserted: Map order is the recency order.
    cache.delete(workspaceId)
    cache.set(workspaceId, hit)
    return hit.loading
  }
  const loading = listCampaignSet(createDb(env.DB), workspaceId).then((set) => ({ set, compiled: compileCampaignSet(set) }))
  // Objects asking at once share one read; a failed read is not kept.
  const entry = { version, loading }
  cache.set(workspaceId, entry)
  loading.catch(() => {
    if (cache.get(workspaceId) === entry) cache.delete(workspaceId)
  })
  if (cache.size > MAX_WORKSPACES) cache.delete(cache.keys().next().value!)
  return loading
}
