// Which campaigns an event triggers. Events are what a signal says happened (a form, a custom
// event, a threshold reached) and what the state changes say happened (a tag added, the score
// crossing, a list entered): both come here in one shape and meet the campaigns indexed by
// `compileCampaignSet`. Conditions and run limits are decided after this, in `react`.
import type { Trigger } from '../../contracts/campaign'
import type { CompiledCampaignSet, Triggered } from './compile'
import { compare } from './conditions'
import type { StateChange, SubmittedForm } from './engine-types'

export type TriggerEvent =
  | { type: 'page-reached'; campaignId: string }
  | { type: 'manual'; campaignId: string }
  | { type: 'form'; form: SubmittedForm }
  | { type: 'custom-event'; name: string; props: Record<string, string | number | boolean> }
  | { type: 'contact-created' }
  | { type: 'field-changed'; field: string; from: string; to: string }
  | { type: 'tag-added'; tag: string }
  | { type: 'tag-removed'; tag: string }
  | { type: 'score-crossed'; from: number; to: number }
  | { type: 'list-entered'; listId: string }
  | { type: 'list-left'; listId: string }

export type FormFilter = { id?: string | undefined; name?: string | undefined; action?: string | undefined }

const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase()

/** Any form without a filter; otherwise every id / name / action the filter gives (non-empty) must be the form's. */
export function formMatches(filter: FormFilter | undefined, form: SubmittedForm): boolean {
  if (!filter) return true
  return (['id', 'name', 'action'] as const).every((key) => {
    const wanted = filter[key]
    return wanted === undefined || wanted.trim() === '' || same(wanted, form[key])
  })
}

/** Up: from below the threshold to it or above; down: from it or above to below. */
export function scoreCrossed(trigger: { threshold: number; direction: 'up' | 'down' }, from: number, to: number): boolean {
  return trigger.direction === 'up'
    ? from < trigger.threshold && to >= trigger.threshold
    : from >= trigger.threshold && to < trigger.threshold
}

/** Whether the trigger, found by the event's key in the index, also meets the event's details. */
function accepts(trigger: Trigger, event: TriggerEvent): boolean {
  if (trigger.type === 'form-submitted' && event.type === 'form') return formMatches(trigger.form, event.form)
  if (trigger.type === 'custom-event' && event.type === 'custom-event') {
    const { prop } = trigger
    if (!prop) return true
    const value = event.props[prop.key]
    return compare(value === undefined ? '' : String(value), prop)
  }
  if (trigger.type === 'contact-updated' && event.type === 'field-changed')
    return (trigger.from === undefined || same(trigger.from, event.from)) && (trigger.to === undefined || same(trigger.to, event.to))
  if (trigger.type === 'score-crossed' && event.type === 'score-crossed') return scoreCrossed(trigger, event.from, event.to)
  return true
}

/**
 * Where a trigger is indexed: its type and what an event must name to meet it (the campaign for
 * page thresholds and manual runs, the event, field, tag or list); the details are `accepts`'s.
 */
export function triggerKey(trigger: Trigger, campaignId: string): string {
  switch (trigger.type) {
    case 'page-visited':
    case 'manual':
      return `${trigger.type}\n${campaignId}`
    case 'custom-event':
      return `custom-event\n${trigger.name}`
    case 'contact-updated':
      return `contact-updated\n${trigger.field}`
    case 'tag-added':
    case 'tag-removed':
      return `${trigger.type}\n${trigger.tag}`
    case 'list-entered':
    case 'list-left':
      return `${trigger.type}\n${trigger.listId}`
    case 'form-submitted':
    case 'contact-created':
    case 'score-crossed':
      return trigger.type
  }
}

/** The index key of the triggers an event can meet (the same keys as `triggerKey`). */
function eventKey(event: TriggerEvent): string {
  switch (event.type) {
    case 'page-reached':
      return `page-visited\n${event.campaignId}`
    case 'manual':
      return `manual\n${event.campaignId}`
    case 'custom-event':
      return `custom-event\n${event.name}`
    case 'field-changed':
      return `contact-updated\n${event.field}`
    case 'tag-added':
    case 'tag-removed':
      return `${event.type}\n${event.tag}`
    case 'list-entered':
    case 'list-left':
      return `${event.type}\n${event.listId}`
    case 'form':
      return 'form-submitted'
    case 'contact-created':
    case 'score-crossed':
      return event.type
  }
}

/** The campaigns (with the trigger) the event triggers, before conditions and run limits. */
export function triggeredBy(set: CompiledCampaignSet, event: TriggerEvent): Triggered[] {
  return (set.triggers.get(eventKey(event)) ?? []).filter(({ trigger }) => accepts(trigger, event))
}

/**
 * The events state changes make: tags, fields and lists one by one; the score once, from where
 * it stood before the first change to where it stands after the last (a threshold crossed and
 * crossed back by one signal is not crossed).
 */
export function changeEvents(changes: readonly StateChange[]): TriggerEvent[] {
  const events: TriggerEvent[] = []
  let scoreFrom: number | null = null
  let scoreTo = 0
  for (const change of changes) {
    switch (change.type) {
      case 'score':
        scoreFrom ??= change.from
        scoreTo = change.to
        break
      case 'field-set':
        events.push({ type: 'field-changed', field: change.field, from: change.from, to: change.to })
        break
      case 'owner-set':
        break
      default:
        events.push(change)
    }
  }
  if (scoreFrom !== null && scoreFrom !== scoreTo) events.push({ type: 'score-crossed', from: scoreFrom, to: scoreTo })
  return events
}
