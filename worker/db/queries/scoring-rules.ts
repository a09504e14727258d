// Lead-scoring rules, always within one workspace.
import { and, asc, eq } from 'drizzle-orm'
import type { ScoringRuleDefinition } from '../../../durable-objects/contracts/campaign'
import type { Db } from '../client'
import { scoringRules } from '../schema'

export type ScoringRuleRow = typeof scoringRules.$inferSelect

const inWorkspace = (workspaceId: string, id: string) => and(eq(scoringRules.workspaceId, workspaceId), eq(scoringRules.id, id))

export async function listScoringRules(db: Db, workspaceId: string): Promise<ScoringRuleRow[]> {
  return db
    .select()
    .from(scoringRules)
    .where(eq(scoringRules.workspaceId, workspaceId))
    .orderBy(asc(scoringRules.createdAt), asc(scoringRules.id))
}

export async function findScoringRule(db: Db, workspaceId: string, id: string): Promise<ScoringRuleRow | null> {
  const rows = await db.select().from(scoringRules).where(inWorkspace(workspaceId, id)).limit(1)
  return rows[0] ?? null
}

export async function insertScoringRule(
  db: Db,
  row: { id: string; workspaceId: string; createdBy: string; definition: ScoringRuleDefinition },
): Promise<ScoringRuleRow> {
  const [inserted] = await db.insert(scoringRules).values(row).returning()
  if (!inserted) throw new Error('scoring rule insert returned nothing')
  return inserted
}

export async function updateScoringRule(
  db: Db,
  workspaceId: string,
  id: string,
  definition: ScoringRuleDefinition,
): Promise<ScoringRuleRow | null> {
  const [row] = await db.update(scoringRules).set({ definition, updatedAt: Date.now() }).where(inWorkspace(workspaceId, id)).returning()
  return row ?? null
}

export async function deleteScoringRule(db: Db, workspaceId: string, id: string): Promise<boolean> {
  const rows = await db.delete(scoringRules).where(inWorkspace(workspaceId, id)).returning({ id: scoringRules.id })
  return rows.length > 0
}
