// The workspace's campaign set, compiled, shared by every contact object of this isolate
// (workspace-version-cache.ts): one D1 read and one compile per workspace and rules version.
import { createDb } from '../worker/db/client'
import { listCampaignSet } from '../worker/db/queries/campaign-set'
import type { CampaignSet } from './contracts/campaign'
import { compileCampaignSet } from './rules/campaigns/compile'
import type { CompiledCampaignSet } from './rules/campaigns/engine-types'
import { workspaceVersionCache } from './workspace-version-cache'

export type LoadedCampaignSet = { set: CampaignSet; compiled: CompiledCampaignSet }

/** The set as D1 has it, and compiled for the engine, once per workspace and rules version. */
export const campaignSetFor = workspaceVersionCache((env, workspaceId) =>
  listCampaignSet(createDb(env.DB), workspaceId).then((set): LoadedCampaignSet => ({ set, compiled: compileCampaignSet(set) })),
)
