// Active page rules of a workspace, in the shape the contact object's rule core runs: its page
// alerts, the campaigns of that shape (alert-shape.ts) that are ON.
import { and, eq, isNull } from 'drizzle-orm'
import type { PageRule } from '../../../durable-objects/rules/page-rules'
import type { Db } from '../client'
import { campaigns, campaignVersions } from '../schema'
import { ALERT_CATEGORY, pageAlertShape } from './alert-shape'
import { currentVersion } from './campaigns'

export async function listPageRules(db: Db, workspaceId: string): Promise<PageRule[]> {
  const rows = await db
    .select({ id: campaigns.id, definition: campaignVersions.definition })
    .from(campaigns)
    .innerJoin(campaignVersions, currentVersion)
    .where(
      and(
        eq(campaigns.workspaceId, workspaceId),
        eq(campaigns.category, ALERT_CATEGORY),
        eq(campaigns.active, true),
        isNull(campaigns.deletedAt),
      ),
    )
  return rows.flatMap(({ id, definition }) => {
    const shape = pageAlertShape(definition, ALERT_CATEGORY)
    return shape && definition.frequency ? [{ id, kind: 'alert' as const, pages: shape.pages, limit: definition.frequency }] : []
  })
}
