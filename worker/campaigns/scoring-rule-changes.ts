// Every change to a lead-scoring rule goes through here: its page pattern is checked by the
// product's matcher (the rest by the contract at the edge), then it is written and the rules
// version bumped, so contact objects score with it from their next event.
import type { ScoringRuleDefinition } from '../../durable-objects/contracts/campaign'
import { createDb } from '../db/client'
import type { AuthUser } from '../db/queries/auth'
import { deleteScoringRule, insertScoringRule, updateScoringRule, type ScoringRuleRow } from '../db/queries/scoring-rules'
import { scoringRuleShapeErrors } from './campaign-refs'
import { firstRefusal, type Checked } from './checked'
import { rulesChanged } from './rules-changed'

export const newScoringRuleId = () => `scr_${crypto.randomUUID().replace(/-/g, '')}`

const shapeRefusal = (definition: ScoringRuleDefinition) =>
  firstRefusal([{ status: 400, errors: () => scoringRuleShapeErrors(definition) }])

export async function createScoringRule(env: Env, user: AuthUser, definition: ScoringRuleDefinition): Promise<Checked<ScoringRuleRow>> {
  const refused = await shapeRefusal(definition)
  if (refused) return refused
  const db = createDb(env.DB)
  const row = await insertScoringRule(db, { id: newScoringRuleId(), workspaceId: user.workspaceId, createdBy: user.id, definition })
  await rulesChanged(db, user.workspaceId)
  return { ok: true, value: row }
}

/** Null when the rule went away meanwhile. */
export async function saveScoringRule(
  env: Env,
  workspaceId: string,
  id: string,
  definition: ScoringRuleDefinition,
): Promise<Checked<ScoringRuleRow> | null> {
  const refused = await shapeRefusal(definition)
  if (refused) return refused
  const db = createDb(env.DB)
  const row = await updateScoringRule(db, workspaceId, id, definition)
  if (row) await rulesChanged(db, workspaceId)
  return row && { ok: true, value: row }
}

export async function removeScoringRule(env: Env, workspaceId: string, id: string): Promise<boolean> {
  const db = createDb(env.DB)
  const removed = await deleteScoringRule(db, workspaceId, id)
  if (removed) await rulesChanged(db, workspaceId)
  return removed
}
