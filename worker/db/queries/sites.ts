// Sites as the collect path needs them, found by their public key.
import { eq, sql } from 'drizzle-orm'
import type { Db } from '../client'
import { sites, workspaces } from '../schema'

export type CollectSite = {
  id: string
  workspaceId: string
  allowedDomains: string[]
  defaultOwnerId: string | null
  identitySecret: string | null
  requireVerifiedIdentity: boolean
  honorPrivacySignals: boolean
  rulesVersion: number
  timeZone: string
  weekStartsOn: number
}

export async function findSiteByKey(db: Db, key: string): Promise<CollectSite | null> {
  const rows = await db
    .select({
      id: sites.id,
      workspaceId: sites.workspaceId,
      allowedDomains: sites.allowedDomains,
      defaultOwnerId: sites.defaultOwnerId,
      identitySecret: workspaces.identitySecret,
      requireVerifiedIdentity: sites.requireVerifiedIdentity,
      // Honoured when the workspace or the site asks for it: the stricter setting wins.
      honorPrivacySignals: sql<boolean>`(${sites.honorPrivacySignals} OR ${workspaces.honorPrivacySignals})`.mapWith(Boolean),
      rulesVersion: sites.rulesVersion,
      timeZone: workspaces.timeZone,
      weekStartsOn: workspaces.weekStartsOn,
    })
    .from(sites)
    .innerJoin(workspaces, eq(workspaces.id, sites.workspaceId))
    .where(eq(sites.key, key))
    .limit(1)
  return rows[0] ?? null
}

/** Alert changes bump the version of every site of the workspace so objects reload rules. */
export async function bumpRulesVersion(db: Db, workspaceId: string): Promise<void> {
  await db
    .update(sites)
    .set({ rulesVersion: sql`${sites.rulesVersion} + 1` })
    .where(eq(sites.workspaceId, workspaceId))
}
