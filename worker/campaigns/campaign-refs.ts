// What a campaign or a smart list names outside itself (users, lists, webhook and chat URLs),
// each with the field it stands in as a dot path (`steps.2.yes.0.url`), so a refusal names the
// very field; and the shape rules the contract's schemas cannot say (step ids unique, branches
// not nested too deep, an owner condition naming a user, a score range with a bound, URL
// patterns the product's matcher reads, docs/url-patterns.md).
import type { CampaignDefinition, Condition, ScoringRuleDefinition, Step } from '../../durable-objects/contracts/campaign'
import { validatePattern } from '../../durable-objects/rules/url-pattern'
import type { FieldError } from '../field-errors'

export type Ref = { id: string; field: string }

/** `urls`: webhook and chat targets; `signed`: the webhook steps among them, which need the workspace's webhook secret. */
export type Refs = { users: Ref[]; lists: Ref[]; urls: Ref[]; signed: Ref[] }

/** Branches inside branches at most this deep; steps in all at most this many (the engine walks them per event). */
export const MAX_BRANCH_DEPTH = 5
export const MAX_STEPS = 200

const TOO_DEEP = `branches nest at most ${MAX_BRANCH_DEPTH} deep`

export type StepAt = { step: Step; field: string; depth: number }

/** Every step, branches' steps included, in order, with its dot path. */
export function* stepsOf(steps: readonly Step[], field = 'steps', depth = 1): Generator<StepAt> {
  for (const [i, step] of steps.entries()) {
    const at = `${field}.${i}`
    yield { step, field: at, depth }
    if (step.type === 'branch') {
      yield* stepsOf(step.yes, `${at}.yes`, depth + 1)
      yield* stepsOf(step.no, `${at}.no`, depth + 1)
    }
  }
}

function patternErrors(pattern: string, field: string): FieldError[] {
  const reason = validatePattern(pattern)
  return reason ? [{ field, reason }] : []
}

/** The condition's own refusals (not the database's). */
function conditionErrors(condition: Condition, field: string): FieldError[] {
  if (condition.type === 'visited') return patternErrors(condition.pattern, `${field}.pattern`)
  if (condition.type === 'owner' && condition.is === 'user' && !condition.userId)
    return [{ field: `${field}.userId`, reason: 'name the user the owner must be' }]
  if (condition.type === 'score' && condition.min === undefined && condition.max === undefined)
    return [{ field, reason: 'give a minimum score, a maximum or both' }]
  if (condition.type === 'score' && condition.min !== undefined && condition.max !== undefined && condition.min > condition.max)
    return [{ field: `${field}.min`, reason: 'the minimum score is above the maximum' }]
  return []
}

function conditionRefs(condition: Condition, field: string, refs: Refs) {
  if (condition.type === 'owner' && condition.is === 'user' && condition.userId)
    refs.users.push({ id: condition.userId, field: `${field}.userId` })
  if (condition.type === 'list') refs.lists.push({ id: condition.listId, field: `${field}.listId` })
}

function stepRefs({ step, field }: StepAt, refs: Refs) {
  if (step.type === 'assign-owner') refs.users.push({ id: step.userId, field: `${field}.userId` })
  if (step.type === 'assign-round-robin') step.userIds.forEach((id, j) => refs.users.push({ id, field: `${field}.userIds.${j}` }))
  if (step.type === 'webhook' || step.type === 'chat') refs.urls.push({ id: step.url, field: `${field}.url` })
  if (step.type === 'webhook') refs.signed.push({ id: step.url, field: `${field}.url` })
  if (step.type === 'branch') conditionRefs(step.condition, `${field}.condition`, refs)
}

const emptyRefs = (): Refs => ({ users: [], lists: [], urls: [], signed: [] })

export function listRefs(conditions: readonly Condition[]): Refs {
  const refs = emptyRefs()
  conditions.forEach((condition, i) => conditionRefs(condition, `conditions.${i}`, refs))
  return refs
}

export function campaignRefs(definition: CampaignDefinition): Refs {
  const refs = listRefs(definition.conditions)
  definition.triggers.forEach((trigger, i) => {
    if (trigger.type === 'list-entered' || trigger.type === 'list-left')
      refs.lists.push({ id: trigger.listId, field: `triggers.${i}.listId` })
  })
  for (const at of stepsOf(definition.steps)) stepRefs(at, refs)
  return refs
}

export function listShapeErrors(conditions: readonly Condition[]): FieldError[] {
  return conditions.flatMap((condition, i) => conditionErrors(condition, `conditions.${i}`))
}

export function scoringRuleShapeErrors(definition: ScoringRuleDefinition): FieldError[] {
  return definition.on.type === 'page-visited' ? patternErrors(definition.on.pattern, 'on.pattern') : []
}

export function campaignShapeErrors(definition: CampaignDefinition): FieldError[] {
  const errors = listShapeErrors(definition.conditions)
  definition.triggers.forEach((trigger, i) => {
    if (trigger.type === 'page-visited')
      trigger.pages.forEach((page, j) => errors.push(...patternErrors(page.pattern, `triggers.${i}.pages.${j}.pattern`)))
  })
  const seen = new Set<string>()
  let count = 0
  for (const { step, field, depth } of stepsOf(definition.steps)) {
    count += 1
    if (seen.has(step.id)) errors.push({ field: `${field}.id`, reason: `another step already has the id "${step.id}"` })
    seen.add(step.id)
    if (depth > MAX_BRANCH_DEPTH && !errors.some((e) => e.reason === TOO_DEEP)) errors.push({ field, reason: TOO_DEEP })
    if (step.type === 'branch') errors.push(...conditionErrors(step.condition, `${field}.condition`))
  }
  if (count > MAX_STEPS) errors.push({ field: 'steps', reason: `a campaign has at most ${MAX_STEPS} steps, branches included` })
  return errors
}
