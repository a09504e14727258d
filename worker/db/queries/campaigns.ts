// Campaigns and their versions, always within one workspace. A save never changes a version: it
// adds the next one and moves the campaign's current version to it in the same batch, so two
// saves at once make two versions (D1 runs a batch as one transaction) and a run in progress
// still reads the version it started on. A deleted campaign keeps its row and versions.
import { and, asc, desc, eq, isNull, sql } from 'drizzle-orm'
import type { CampaignDefinition, CampaignVersion } from '../../../durable-objects/contracts/campaign'
import type { Db } from '../client'
import { campaigns, campaignVersions } from '../schema'

export type CampaignRow = typeof campaigns.$inferSelect

/** A campaign with the definition of its current version. */
export type StoredCampaign = { campaign: CampaignRow; definition: CampaignDefinition }

export type VersionRow = Pick<typeof campaignVersions.$inferSelect, 'version' | 'definition' | 'createdBy' | 'createdAt'>

const live = (workspaceId: string) => and(eq(campaigns.workspaceId, workspaceId), isNull(campaigns.deletedAt))
/** Joins a campaign to its current version. */
export const currentVersion = and(eq(campaignVersions.campaignId, campaigns.id), eq(campaignVersions.version, campaigns.currentVersion))

/** The workspace's campaigns (deleted ones left out), oldest first, each at its current version. */
export async function listCampaigns(db: Db, workspaceId: string): Promise<StoredCampaign[]> {
  return db
    .select({ campaign: campaigns, definition: campaignVersions.definition })
    .from(campaigns)
    .innerJoin(campaignVersions, currentVersion)
    .where(live(workspaceId))
    .orderBy(asc(campaigns.createdAt), asc(campaigns.id))
}

export async function findCampaign(db: Db, workspaceId: string, id: string): Promise<StoredCampaign | null> {
  const rows = await db
    .select({ campaign: campaigns, definition: campaignVersions.definition })
    .from(campaigns)
    .innerJoin(campaignVersions, currentVersion)
    .where(and(live(workspaceId), eq(campaigns.id, id)))
    .limit(1)
  return rows[0] ?? null
}

/** Every version of a campaign, newest first (deleted campaigns too: their runs may still need them). */
export async function listCampaignVersions(db: Db, workspaceId: string, id: string): Promise<VersionRow[]> {
  return db
    .select({
      version: campaignVersions.version,
      definition: campaignVersions.definition,
      createdBy: campaignVersions.createdBy,
      createdAt: campaignVersions.createdAt,
    })
    .from(campaignVersions)
    .where(and(eq(campaignVersions.workspaceId, workspaceId), eq(campaignVersions.campaignId, id)))
    .orderBy(desc(campaignVersions.version))
}

/** One version as the engine reads it, for a run that started on it; null when there is none. */
export async function findCampaignVersion(db: Db, workspaceId: string, id: string, version: number): Promise<CampaignVersion | null> {
  const rows = await db
    .select({ definition: campaignVersions.definition, createdBy: campaignVersions.createdBy })
    .from(campaignVersions)
    .where(and(eq(campaignVersions.workspaceId, workspaceId), eq(campaignVersions.campaignId, id), eq(campaignVersions.version, version)))
    .limit(1)
  const row = rows[0]
  return row ? { ...row.definition, id, version, createdBy: row.createdBy } : null
}

/** A new campaign at version 1, OFF unless `active` (an alert saved ON). */
export async function insertCampaign(
  db: Db,
  row: { id: string; workspaceId: string; createdBy: string; definition: CampaignDefinition; active?: boolean },
): Promise<StoredCampaign> {
  const { id, workspaceId, createdBy, definition, active = false } = row
  const [[campaign]] = await db.batch([
    db
      .insert(campaigns)
      .values({ id, workspaceId, createdBy, name: definition.name, category: definition.category, currentVersion: 1, active })
      .returning(),
    db.insert(campaignVersions).values({ campaignId: id, version: 1, workspaceId, definition, createdBy }),
  ])
  if (!campaign) throw new Error('campaign insert returned nothing')
  return { campaign, definition }
}

/** Saves `definition` as the campaign's next version; null when the workspace has no such campaign. */
export async function insertCampaignVersion(
  db: Db,
  row: { id: string; workspaceId: string; createdBy: string | null; definition: CampaignDefinition },
): Promise<StoredCampaign | null> {
  const { id, workspaceId, createdBy, definition } = row
  const target = and(live(workspaceId), eq(campaigns.id, id))
  const [, [campaign]] = await db.batch([
    db.insert(campaignVersions).select(
      db
        .select({
          campaignId: campaigns.id,
          version: sql<number>`${campaigns.currentVersion} + 1`.as('version'),
          workspaceId: campaigns.workspaceId,
          definition: sql<string>`${JSON.stringify(definition)}`.as('definition'),
          createdBy: sql<string>`${createdBy}`.as('created_by'),
          createdAt: sql<number>`unixepoch() * 1000`.as('created_at'),
        })
        .from(campaigns)
        .where(target),
    ),
    db
      .update(campaigns)
      .set({
        currentVersion: sql`${campaigns.currentVersion} + 1`,
        name: definition.name,
        category: definition.category,
        updatedAt: Date.now(),
      })
      .where(target)
      .returning(),
  ])
  return campaign ? { campaign, definition } : null
}

/**
 * Whether the campaign is ON now (not deleted), with one version's definition (null when there is
 * none): what delivering one of its actions needs, in one read.
 */
export async function campaignNowAndAt(
  db: Db,
  workspaceId: string,
  id: string,
  version: number,
): Promise<{ on: boolean; definition: CampaignDefinition | null }> {
  const [row] = await db
    .select({ active: campaigns.active, deletedAt: campaigns.deletedAt, definition: campaignVersions.definition })
    .from(campaigns)
    .leftJoin(campaignVersions, and(eq(campaignVersions.campaignId, campaigns.id), eq(campaignVersions.version, version)))
    .where(and(eq(campaigns.workspaceId, workspaceId), eq(campaigns.id, id)))
    .limit(1)
  return { on: row?.active === true && row.deletedAt === null, definition: row?.definition ?? null }
}

/** Switches the campaign ON or OFF; null when the workspace has no such campaign. */
export async function setCampaignActive(db: Db, workspaceId: string, id: string, active: boolean): Promise<CampaignRow | null> {
  const [row] = await db
    .update(campaigns)
    .set({ active, updatedAt: Date.now() })
    .where(and(live(workspaceId), eq(campaigns.id, id)))
    .returning()
  return row ?? null
}

/** Marks the campaign deleted and OFF (its versions stay for the runs in it); false when there is none. */
export async function deleteCampaign(db: Db, workspaceId: string, id: string, now = Date.now()): Promise<boolean> {
  const rows = await db
    .update(campaigns)
    .set({ active: false, deletedAt: now, updatedAt: now })
    .where(and(live(workspaceId), eq(campaigns.id, id)))
    .returning({ id: campaigns.id })
  return rows.length > 0
}
