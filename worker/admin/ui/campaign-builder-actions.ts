// The builder's buttons other than Save, answered by the server on the posted draft: add a
// trigger or condition, add a step of a chosen type at a chosen place of a list (the campaign's
// or a branch's yes / no list), remove a step, move it up or down within its list. Each answer
// names the control that gets the focus on the re-rendered page, so a keyboard user carries on
// where they were.
import { emptyStep, pageRows, withPageRows, type CampaignDraft, type StepDraft } from './campaign-draft'

/** A control's id from its path (`steps.2.yes.0.type` → `f-steps-2-yes-0-type`). */
export const controlId = (path: string) => `f-${path.replace(/\./g, '-')}`

/** The step list at `path` (`steps`, `steps.2.yes`, `steps.2.no.1.yes`), or null. */
export function listAt(draft: CampaignDraft, path: string): StepDraft[] | null {
  const parts = path.split('.')
  if (parts[0] !== 'steps') return null
  let list: StepDraft[] = draft.steps
  for (let i = 1; i < parts.length; i += 2) {
    const step = list[Number(parts[i])]
    const side = parts[i + 1]
    if (!step || (side !== 'yes' && side !== 'no')) return null
    list = step[side]
  }
  return list
}

/** A step's list and its index in it, from the step's path (`steps.2.yes.0`). */
function stepAt(draft: CampaignDraft, path: string): { list: StepDraft[]; listPath: string; index: number } | null {
  const cut = path.lastIndexOf('.')
  const listPath = path.slice(0, cut)
  const index = Number(path.slice(cut + 1))
  const list = listAt(draft, listPath)
  return list && Number.isInteger(index) && index >= 0 && index < list.length ? { list, listPath, index } : null
}

export const STEP_TYPES = [
  'send-alert',
  'assign-round-robin',
  'assign-owner',
  'add-tag',
  'remove-tag',
  'change-score',
  'set-field',
  'webhook',
  'chat',
  'wait',
  'wait-until',
  'branch',
] as const

const known = (type: string, types: readonly string[], fallback: string) => (types.includes(type) ? type : fallback)

/**
 * Applies `action` to the draft in place; `read(name)` reads another posted field (the type and
 * place chosen beside an add button). Answers the id of the control to focus, or null.
 */
export function applyBuilderAction(
  draft: CampaignDraft,
  action: string,
  read: (name: string) => string,
  kinds: { triggers: readonly string[]; conditions: readonly string[] },
): string | null {
  const [verb = '', arg = ''] = action.split(':')
  // One function a button, each a few lines: the verbs are read as a table.
  switch (verb) {
    case 'add-trigger':
      draft.triggers.push({ type: known(read('addTrigger'), kinds.triggers, 'form-submitted') })
      return controlId(`triggers.${draft.triggers.length - 1}.type`)
    case 'remove-trigger':
      draft.triggers.splice(Number(arg), 1)
      return controlId('addTrigger')
    case 'add-page': {
      // A page-visited trigger's rows: `add-page:<trigger>`, `remove-page:<trigger>.<row>`.
      const trigger = draft.triggers[Number(arg)]
      if (!trigger) return null
      const rows = [...pageRows(trigger), { pattern: '', minSeconds: '0' }]
      draft.triggers[Number(arg)] = withPageRows(trigger, rows)
      return controlId(`triggers.${arg}.pages.${rows.length - 1}.pattern`)
    }
    case 'remove-page': {
      const [at = '', row = ''] = arg.split('.')
      const trigger = draft.triggers[Number(at)]
      if (!trigger) return null
      draft.triggers[Number(at)] = withPageRows(
        trigger,
        pageRows(trigger).filter((_, i) => i !== Number(row)),
      )
      return controlId(`add-page:triggers.${at}`)
    }
    case 'add-condition':
      draft.conditions.push({ type: known(read('addCondition'), kinds.conditions, 'score') })
      return controlId(`conditions.${draft.conditions.length - 1}.type`)
    case 'remove-condition':
      draft.conditions.splice(Number(arg), 1)
      return controlId('addCondition')
    case 'add-step': {
      const list = listAt(draft, arg)
      if (!list) return null
      const type = known(read(`addType:${arg}`), STEP_TYPES, 'wait')
      const at = read(`addAt:${arg}`)
      const index = at === 'top' ? 0 : /^\d+$/.test(at) ? Math.min(Number(at) + 1, list.length) : list.length
      list.splice(index, 0, emptyStep(type))
      return controlId(`${arg}.${index}.type`)
    }
    case 'remove-step': {
      const found = stepAt(draft, arg)
      if (!found) return null
      found.list.splice(found.index, 1)
      return controlId(`add:${found.listPath}`)
    }
    case 'up':
    case 'down': {
      const found = stepAt(draft, arg)
      if (!found) return null
      const to = verb === 'up' ? found.index - 1 : found.index + 1
      const moved = found.list[found.index]
      const other = found.list[to]
      if (!moved || !other) return null
      found.list[to] = moved
      found.list[found.index] = other
      // The same button on the step's new place; at an end, the other one (the pressed one is gone).
      const end = verb === 'up' ? to === 0 : to === found.list.length - 1
      return controlId(`${found.listPath}.${to}.${end ? (verb === 'up' ? 'down' : 'up') : verb}`)
    }
    default:
      return null
  }
}
