// Smart lists, always within one workspace. Each edit adds one to the list's version, which the
// contact objects compare to know their membership needs recomputing.
import { and, asc, eq, sql } from 'drizzle-orm'
import type { ListDefinition } from '../../../durable-objects/contracts/campaign'
import type { Db } from '../client'
import { smartLists } from '../schema'

export type ListRow = typeof smartLists.$inferSelect

const inWorkspace = (workspaceId: string, id: string) => and(eq(smartLists.workspaceId, workspaceId), eq(smartLists.id, id))

export async function listLists(db: Db, workspaceId: string): Promise<ListRow[]> {
  return db.select().from(smartLists).where(eq(smartLists.workspaceId, workspaceId)).orderBy(asc(smartLists.createdAt), asc(smartLists.id))
}

export async function findList(db: Db, workspaceId: string, id: string): Promise<ListRow | null> {
  const rows = await db.select().from(smartLists).where(inWorkspace(workspaceId, id)).limit(1)
  return rows[0] ?? null
}

export async function insertList(
  db: Db,
  row: { id: string; workspaceId: string; createdBy: string; definition: ListDefinition },
): Promise<ListRow> {
  const [inserted] = await db.insert(smartLists).values(row).returning()
  if (!inserted) throw new Error('list insert returned nothing')
  return inserted
}

/** Replaces the list's definition and bumps its version; null when the workspace has no such list. */
export async function updateList(db: Db, workspaceId: string, id: string, definition: ListDefinition): Promise<ListRow | null> {
  const [row] = await db
    .update(smartLists)
    .set({ definition, version: sql`${smartLists.version} + 1`, updatedAt: Date.now() })
    .where(inWorkspace(workspaceId, id))
    .returning()
  return row ?? null
}

export async function deleteList(db: Db, workspaceId: string, id: string): Promise<boolean> {
  const rows = await db.delete(smartLists).where(inWorkspace(workspaceId, id)).returning({ id: smartLists.id })
  return rows.length > 0
}
