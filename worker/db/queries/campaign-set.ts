// Everything a contact's object evaluates for a workspace: its active campaigns at their current
// version, its smart lists and its lead-scoring rules, read in one batch (one snapshot) once per
// rules version: every save of a campaign, list or scoring rule bumps that version. Page alerts
// (alert-shape.ts) are left out: the object's alert path runs them (`listPageRules`), once.
import { and, asc, eq, isNull } from 'drizzle-orm'
import type { CampaignSet } from '../../../durable-objects/contracts/campaign'
import type { Db } from '../client'
import { campaigns, campaignVersions, scoringRules, smartLists } from '../schema'
import { pageAlertShape } from './alert-shape'
import { currentVersion } from './campaigns'

export async function listCampaignSet(db: Db, workspaceId: string): Promise<CampaignSet> {
  const [active, lists, rules] = await db.batch([
    db
      .select({
        id: campaigns.id,
        version: campaignVersions.version,
        createdBy: campaignVersions.createdBy,
        definition: campaignVersions.definition,
        category: campaigns.category,
      })
      .from(campaigns)
      .innerJoin(campaignVersions, currentVersion)
      .where(and(eq(campaigns.workspaceId, workspaceId), eq(campaigns.active, true), isNull(campaigns.deletedAt)))
      .orderBy(asc(campaigns.createdAt), asc(campaigns.id)),
    db
      .select({ id: smartLists.id, version: smartLists.version, definition: smartLists.definition })
      .from(smartLists)
      .where(eq(smartLists.workspaceId, workspaceId))
      .orderBy(asc(smartLists.createdAt), asc(smartLists.id)),
    db
      .select({ id: scoringRules.id, definition: scoringRules.definition })
      .from(scoringRules)
      .where(eq(scoringRules.workspaceId, workspaceId))
      .orderBy(asc(scoringRules.createdAt), asc(scoringRules.id)),
  ])
  return {
    campaigns: active.flatMap(({ definition, category, ...row }) =>
      pageAlertShape(definition, category) ? [] : [{ ...definition, ...row }],
    ),
    lists: lists.map(({ definition, ...row }) => ({ ...definition, ...row })),
    scoringRules: rules.map(({ definition, id }) => ({ ...definition, id })),
  }
}
