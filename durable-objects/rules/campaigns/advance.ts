// The step interpreter: runs a campaign's steps for one run from where it stands until a delay,
// a round-robin that needs the object's answer, or the end. Actions on the contact's state
// apply here (and are reported as changes, to hand back to `react`); what needs the outside
// world is returned as effects keyed `<runKey>:<stepId>`. Branches read the state as it is at
// that step. A position names the last step done, so it survives a restart and a new version
// of the campaign (a run stays on the version it started on).
import type { CampaignVersion, Step } from '../../contracts/campaign'
import { nextLocalHour } from '../calendar'
import { addTag, changeScore, record, removeTag, setField, setOwner } from './actions'
import { compileCondition, conditionHolds } from './conditions'
import type { AdvanceInput, AdvanceOutcome, ContactState, Effect, StateChange } from './engine-types'

type Place = { list: readonly Step[]; index: number; parent: string | null }

// Where each step stands, per campaign version (versions are immutable once loaded).
const places = new WeakMap<CampaignVersion, Map<string, Place>>()

function placesOf(campaign: CampaignVersion): Map<string, Place> {
  let map = places.get(campaign)
  if (!map) {
    const found = new Map<string, Place>()
    const walk = (list: readonly Step[], parent: string | null) =>
      list.forEach((step, index) => {
        found.set(step.id, { list, index, parent })
        if (step.type === 'branch') {
          walk(step.yes, step.id)
          walk(step.no, step.id)
        }
      })
    walk(campaign.steps, null)
    places.set(campaign, (map = found))
  }
  return map
}

/** The step after `after` (null = the first): the next in its list, or the one after its branch when its list ends. */
function stepAfter(campaign: CampaignVersion, after: string | null): Step | null {
  if (after === null) return campaign.steps[0] ?? null
  const place = placesOf(campaign).get(after)
  if (!place) return null
  return place.list[place.index + 1] ?? (place.parent === null ? null : stepAfter(campaign, place.parent))
}

type Run = { campaign: CampaignVersion; runKey: string; state: ContactState; changes: StateChange[]; effects: Effect[]; ran: string[] }

/** The fields every effect of this step carries; `suffix` tells two effects of one step apart. */
function base(run: Run, step: Step, suffix = '') {
  const { id: campaignId, version } = run.campaign
  return { key: `${run.runKey}:${step.id}${suffix}`, runKey: run.runKey, campaignId, version, stepId: step.id }
}

/** Sets the owner; tells the new owner when the step asks to and the owner did change. */
function assign(run: Run, step: Step, userId: string, notify: boolean): void {
  const applied = setOwner(run.state, userId)
  run.state = record(applied, run.changes)
  if (notify && applied.change) run.effects.push({ ...base(run, step, ':notify'), type: 'notify-owner', ownerId: userId })
}

const done = (run: Run, next: AdvanceOutcome['next']): AdvanceOutcome => ({
  state: run.state,
  changes: run.changes,
  effects: run.effects,
  next,
  ran: run.ran,
})

export function advance(input: AdvanceInput): AdvanceOutcome {
  const { campaign, now, calendar } = input
  const run: Run = { campaign, runKey: input.run.runKey, state: input.state, changes: [], effects: [], ran: [] }
  const { position } = input.run

  // The answer to a round-robin this run stopped at.
  const waiting = position.after === null ? undefined : placesOf(campaign).get(position.after)
  const stopped = waiting?.list[waiting.index]
  if (input.run.result && stopped?.type === 'assign-round-robin') assign(run, stopped, input.run.result.userId, stopped.notify)

  let step = stepAfter(campaign, position.after)
  while (step) {
    run.ran.push(step.id)
    switch (step.type) {
      case 'add-tag':
        run.state = record(addTag(run.state, step.tag), run.changes)
        break
      case 'remove-tag':
        run.state = record(removeTag(run.state, step.tag), run.changes)
        break
      case 'change-score':
        run.state = record(changeScore(run.state, step.by, { kind: 'step', campaignId: campaign.id, stepId: step.id }), run.changes)
        break
      case 'set-field':
        run.state = record(setField(run.state, step.field, step.value), run.changes)
        break
      case 'assign-owner':
        assign(run, step, step.userId, step.notify)
        break
      case 'send-alert':
        run.effects.push({
          ...base(run, step),
          type: 'send-alert',
          to: step.to,
          subject: step.subject ?? null,
          createdBy: campaign.createdBy,
        })
        break
      case 'webhook':
      case 'chat':
        run.effects.push({ ...base(run, step), type: step.type, url: step.url })
        break
      case 'assign-round-robin':
        run.effects.push({ ...base(run, step), type: 'assign-round-robin', userIds: step.userIds })
        return done(run, { kind: 'effect-result-needed', position: { after: step.id } })
      case 'wait':
        return done(run, { kind: 'wait', until: now + step.seconds * 1000, position: { after: step.id } })
      case 'wait-until':
        return done(run, {
          kind: 'wait',
          until: nextLocalHour(now, calendar.timeZone, step.hour, step.weekday),
          position: { after: step.id },
        })
      case 'branch': {
        const first = (conditionHolds(compileCondition(step.condition), run.state, now) ? step.yes : step.no)[0]
        if (first) {
          step = first
          continue
        }
        break
      }
    }
    step = stepAfter(campaign, step.id)
  }
  return done(run, { kind: 'done' })
}
