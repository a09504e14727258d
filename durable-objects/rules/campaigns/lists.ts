// Smart-list membership: a contact is in a list while every condition of the list holds. Lists
// are read in dependency order, so a list that reads another's membership sees it as it is now.
import type { CompiledList } from './compile'
import { allHold } from './conditions'
import type { ContactState, StateChange } from './engine-types'

/**
 * The contact's lists recomputed, with the entered / left changes. Ids of lists no longer in
 * the set are dropped without a change: such a list is gone, nobody can enter or leave it.
 */
export function recomputeLists(
  lists: readonly CompiledList[],
  state: ContactState,
  now: number,
): { state: ContactState; changes: StateChange[] } {
  const changes: StateChange[] = []
  let current = state
  for (const { list, conditions } of lists) {
    const was = current.lists.includes(list.id)
    const is = allHold(conditions, current, now)
    if (was === is) continue
    current = { ...current, lists: is ? [...current.lists, list.id] : current.lists.filter((id) => id !== list.id) }
    changes.push({ type: is ? 'list-entered' : 'list-left', listId: list.id })
  }
  const known = current.lists.filter((id) => lists.some((l) => l.list.id === id))
  if (known.length !== current.lists.length) current = { ...current, lists: known }
  return { state: current, changes }
}
