// Sites as the collect path needs them, found by their public key; and as the admin manages them.
import { and, asc, eq, gt, or, sql } from 'drizzle-orm'
import type { Db } from '../client'
import { siteDrops, sites, visitors, workspaces } from '../schema'

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
      rulesVersion: workspaces.rulesVersion,
      timeZone: workspaces.timeZone,
      weekStartsOn: workspaces.weekStartsOn,
    })
    .from(sites)
    .innerJoin(workspaces, eq(workspaces.id, sites.workspaceId))
    .where(eq(sites.key, key))
    .limit(1)
  return rows[0] ?? null
}

/**
 * Alert changes bump the workspace's rules version, the one every site of it carries, so contact
 * objects reload their rules. One statement: concurrent bumps each add one.
 */
export async function bumpRulesVersion(db: Db, workspaceId: string): Promise<void> {
  await db
    .update(workspaces)
    .set({ rulesVersion: sql`${workspaces.rulesVersion} + 1` })
    .where(eq(workspaces.id, workspaceId))
}

export type SiteRow = typeof sites.$inferSelect

/** What an admin sets on a site (the key and the bookkeeping are the product's). */
export type SiteValues = Pick<SiteRow, 'name' | 'allowedDomains' | 'defaultOwnerId' | 'requireVerifiedIdentity' | 'honorPrivacySignals'>

/** Where a page of sites starts: after this (created_at, id). */
export type SiteCursor = { createdAt: number; id: string }

/** One page of the workspace's sites, oldest first; `more` when another page follows. */
export async function listSites(db: Db, workspaceId: string, page: { limit: number; after?: SiteCursor }) {
  const after = page.after
  const rows = await db
    .select()
    .from(sites)
    .where(
      and(
        eq(sites.workspaceId, workspaceId),
        after ? or(gt(sites.createdAt, after.createdAt), and(eq(sites.createdAt, after.createdAt), gt(sites.id, after.id))) : undefined,
      ),
    )
    .orderBy(asc(sites.createdAt), asc(sites.id))
    .limit(page.limit + 1)
  return { rows: rows.slice(0, page.limit), more: rows.length > page.limit }
}

export async function findSite(db: Db, workspaceId: string, id: string): Promise<SiteRow | null> {
  const rows = await db
    .select()
    .from(sites)
    .where(and(eq(sites.workspaceId, workspaceId), eq(sites.id, id)))
    .limit(1)
  return rows[0] ?? null
}

export async function insertSite(
  db: Db,
  row: { id: string; workspaceId: string; key: string; createdAt: number; values: SiteValues },
): Promise<SiteRow> {
  const [inserted] = await db
    .insert(sites)
    .values({ id: row.id, workspaceId: row.workspaceId, key: row.key, createdAt: row.createdAt, ...row.values })
    .returning()
  if (!inserted) throw new Error('site insert returned nothing')
  return inserted
}

export async function updateSite(db: Db, workspaceId: string, id: string, values: Partial<SiteValues>): Promise<SiteRow | null> {
  if (Object.keys(values).length === 0) return findSite(db, workspaceId, id)
  const [updated] = await db
    .update(sites)
    .set(values)
    .where(and(eq(sites.workspaceId, workspaceId), eq(sites.id, id)))
    .returning()
  return updated ?? null
}

/**
 * Deletes the site with the rows that name it (its visitors' links to contacts, its drop
 * counts), in one batch. Contacts belong to the workspace and stay. False when the workspace has
 * no such site.
 */
export async function deleteSite(db: Db, workspaceId: string, id: string): Promise<boolean> {
  if (!(await findSite(db, workspaceId, id))) return false
  await db.batch([
    db.delete(visitors).where(eq(visitors.siteId, id)),
    db.delete(siteDrops).where(eq(siteDrops.siteId, id)),
    db.delete(sites).where(and(eq(sites.workspaceId, workspaceId), eq(sites.id, id))),
  ])
  return true
}

export type LastSeen = { siteId: string; at: number; origin: string | null }

/** The install check's "last event", one statement per site in one batch; never moves back in time. */
export async function recordLastSeen(db: Db, seen: LastSeen[]): Promise<void> {
  const [first, ...rest] = seen.map((s) =>
    db
      .update(sites)
      .set({ lastEventAt: s.at, lastEventOrigin: s.origin })
      .where(and(eq(sites.id, s.siteId), sql`coalesce(${sites.lastEventAt}, 0) <= ${s.at}`)),
  )
  if (first) await db.batch([first, ...rest])
}
