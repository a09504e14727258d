// Pieces of a campaign in words for the admin screens, worded exactly as the activation summary
// words them (worker/campaigns/campaign-summary.ts): one step (a report row), one trigger (the
// campaigns list), one condition (the smart lists), and the whole summary as one sentence
// ("When a contact submits any form: assign …; wait 1 hour; if score at least 50: send …").
import type { CampaignDefinition, Condition, Step, Trigger } from '../../durable-objects/contracts/campaign'
import { createDb } from '../db/client'
import { listLists } from '../db/queries/lists'
import { listUsers } from '../db/queries/users'
import { summarizeCampaign, type CampaignSummary, type Names } from './campaign-summary'

export type { Names }

/** The workspace's users and lists by id, as the summary names them. */
export async function campaignNames(env: Env, workspaceId: string): Promise<Names> {
  const db = createDb(env.DB)
  const [users, lists] = await Promise.all([listUsers(db, workspaceId), listLists(db, workspaceId)])
  return {
    users: new Map(users.map((u) => [u.id, u.name || u.email])),
    lists: new Map(lists.map((l) => [l.id, l.definition.name])),
  }
}

// The summary words a whole definition; a definition holding just the one piece words that piece.
const holding = (piece: Partial<CampaignDefinition>): CampaignDefinition => ({
  name: '',
  category: '',
  triggers: [],
  conditions: [],
  steps: [],
  runLimit: { kind: 'always' },
  frequency: null,
  ...piece,
})

/** One step in words; a branch as its condition ("if score at least 50:"), without its steps. */
export function stepWords(step: Step, names: Names): string {
  const alone = step.type === 'branch' ? { ...step, yes: [], no: [] } : step
  return summarizeCampaign(holding({ steps: [alone] }), names).steps[0] ?? step.type
}

export const triggerWords = (trigger: Trigger, names: Names): string =>
  summarizeCampaign(holding({ triggers: [trigger] }), names).triggers[0] ?? trigger.type

export const conditionWords = (condition: Condition, names: Names): string =>
  summarizeCampaign(holding({ conditions: [condition] }), names).conditions[0] ?? condition.type

/** The summary's step lines without an empty "otherwise" (it says nothing); an empty "then" stays, saying so. */
export function stepsSaid(lines: readonly string[]): string[] {
  const bare = lines.map((line) => line.trim())
  return lines.filter(
    (_, i) => !(bare[i] === 'otherwise:' && bare[i + 1] === '(nothing)') && !(bare[i] === '(nothing)' && bare[i - 1] === 'otherwise:'),
  )
}

/** The summary as one sentence: triggers, "and only if" conditions, then the steps separated by semicolons. */
export function summarySentence(summary: CampaignSummary): string {
  const steps = stepsSaid(summary.steps)
    .map((line) => line.trim())
    .map((line) => (line === '(nothing)' ? 'nothing' : line))
    .reduce((sentence, line) => (sentence === '' ? line : sentence.endsWith(':') ? `${sentence} ${line}` : `${sentence}; ${line}`), '')
  const only = summary.conditions.length > 0 ? ` (only if ${summary.conditions.join(' and ')})` : ''
  return `${summary.triggers.join(', or ')}${only}: ${steps}.`
}
