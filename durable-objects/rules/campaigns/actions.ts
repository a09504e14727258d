// The actions a step applies to the contact's state by itself (tags, score, a field, the owner),
// each reported as a change; nothing changes when the state already says so (adding a tag the
// contact has), so a repeated step reports nothing.
import type { ContactField } from '../../contracts/campaign'
import type { ContactState, ScoreReason, StateChange } from './engine-types'

export type Applied = { state: ContactState; change: StateChange | null }

const unchanged = (state: ContactState): Applied => ({ state, change: null })

/** The new state, with its change (if any) appended to `changes`. */
export function record({ state, change }: Applied, changes: StateChange[]): ContactState {
  if (change) changes.push(change)
  return state
}

export function addTag(state: ContactState, tag: string): Applied {
  if (state.tags.includes(tag)) return unchanged(state)
  return { state: { ...state, tags: [...state.tags, tag] }, change: { type: 'tag-added', tag } }
}

export function removeTag(state: ContactState, tag: string): Applied {
  if (!state.tags.includes(tag)) return unchanged(state)
  return { state: { ...state, tags: state.tags.filter((t) => t !== tag) }, change: { type: 'tag-removed', tag } }
}

export function changeScore(state: ContactState, by: number, reason: ScoreReason): Applied {
  if (by === 0) return unchanged(state)
  const to = state.score + by
  return { state: { ...state, score: to }, change: { type: 'score', by, from: state.score, to, reason } }
}

export function setField(state: ContactState, field: ContactField, value: string): Applied {
  const from = state.fields[field] ?? ''
  if (from === value) return unchanged(state)
  return { state: { ...state, fields: { ...state.fields, [field]: value } }, change: { type: 'field-set', field, from, to: value } }
}

export function setOwner(state: ContactState, userId: string): Applied {
  if (state.ownerId === userId) return unchanged(state)
  return { state: { ...state, ownerId: userId }, change: { type: 'owner-set', from: state.ownerId, to: userId } }
}
