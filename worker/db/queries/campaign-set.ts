// Everything a contact's object evaluates for a workspace: its active campaigns at their current
// version, its smart lists and its lead-scoring rules, loaded once per rules version.
import type { CampaignSet } from '../../../durable-objects/contracts/campaign'
import type { Db } from '../client'

// First version: no tables yet, so nothing is active. Replaced by the real query with the schema.
export function listCampaignSet(_db: Db, _workspaceId: string): Promise<CampaignSet> {
  return Promise.resolve({ campaigns: [], lists: [], scoringRules: [] })
}
