// The step interpreter: each action, each delay, branches and the round-robin hand-off. A run
// goes from its position to the next delay, or to the end.
import { describe, expect, it } from 'vitest'
import type { CampaignVersion, Step } from '../../../durable-objects/contracts/campaign'
import { advance } from '../../../durable-objects/rules/campaigns/advance'
import { START, type ContactState, type Position } from '../../../durable-objects/rules/campaigns/engine-types'
import { CALENDAR, campaign, contact, NOW, sendAlert } from './support'

const withSteps = (steps: Step[]): CampaignVersion => campaign('camp', { triggers: [{ type: 'manual' }], steps })

function run(
  steps: Step[] | CampaignVersion,
  state: ContactState = contact(),
  position: Position = START,
  now = NOW,
  result?: { userId: string },
) {
  const version = Array.isArray(steps) ? withSteps(steps) : steps
  return advance({
    campaign: version,
    run: { runKey: 'camp:c1:1', position, ...(result ? { result } : {}) },
    state,
    now,
    calendar: CALENDAR,
  })
}

describe('campaign actions', () => {
  it('add and remove a tag: the state changes once, a repeat reports nothing', () => {
    const out = run([
      { id: 'a', type: 'add-tag', tag: 'vip' },
      { id: 'b', type: 'add-tag', tag: 'vip' },
      { id: 'c', type: 'remove-tag', tag: 'lead' },
    ])
    expect(out.state.tags).toEqual(['vip'])
    expect(out.changes).toEqual([{ type: 'tag-added', tag: 'vip' }])
    const removed = run([{ id: 'a', type: 'remove-tag', tag: 'lead' }], contact({ tags: ['lead', 'x'] }))
    expect(removed.state.tags).toEqual(['x'])
    expect(removed.changes).toEqual([{ type: 'tag-removed', tag: 'lead' }])
  })

  it('change the score: by the step, with the step as its reason', () => {
    const out = run([{ id: 'p', type: 'change-score', by: -15 }], contact({ score: 40 }))
    expect(out.state.score).toBe(25)
    expect(out.changes).toEqual([{ type: 'score', by: -15, from: 40, to: 25, reason: { kind: 'step', campaignId: 'camp', stepId: 'p' } }])
  })

  it('update a field: the change says from and to', () => {
    const out = run([{ id: 'f', type: 'set-field', field: 'custom.stage', value: 'sql' }])
    expect(out.state.fields['custom.stage']).toBe('sql')
    expect(out.changes).toEqual([{ type: 'field-set', field: 'custom.stage', from: '', to: 'sql' }])
  })

  it('assign an owner: sets them and notifies them, unless they already were the owner or the step says not to', () => {
    const out = run([{ id: 'o', type: 'assign-owner', userId: 'u2', notify: true }], contact({ ownerId: 'u1' }))
    expect(out.state.ownerId).toBe('u2')
    expect(out.changes).toEqual([{ type: 'owner-set', from: 'u1', to: 'u2' }])
    expect(out.effects).toEqual([
      { key: 'camp:c1:1:o:notify', runKey: 'camp:c1:1', campaignId: 'camp', version: 1, stepId: 'o', type: 'notify-owner', ownerId: 'u2' },
    ])
    expect(run([{ id: 'o', type: 'assign-owner', userId: 'u1', notify: true }], contact({ ownerId: 'u1' })).effects).toEqual([])
    expect(run([{ id: 'o', type: 'assign-owner', userId: 'u2', notify: false }]).effects).toEqual([])
  })

  it('assign round-robin: stops for the object to pick, then sets and notifies the picked user', () => {
    const steps: Step[] = [{ id: 'rr', type: 'assign-round-robin', userIds: ['u1', 'u2', 'u3'], notify: true }, sendAlert('after')]
    const first = run(steps)
    expect(first.effects).toEqual([
      {
        key: 'camp:c1:1:rr',
        runKey: 'camp:c1:1',
        campaignId: 'camp',
        version: 1,
        stepId: 'rr',
        type: 'assign-round-robin',
        userIds: ['u1', 'u2', 'u3'],
      },
    ])
    expect(first.next).toEqual({ kind: 'effect-result-needed', position: { after: 'rr' } })
    const second = run(steps, first.state, { after: 'rr' }, NOW, { userId: 'u2' })
    expect(second.state.ownerId).toBe('u2')
    expect(second.effects.map((e) => [e.type, e.key])).toEqual([
      ['notify-owner', 'camp:c1:1:rr:notify'],
      ['send-alert', 'camp:c1:1:after'],
    ])
    expect(second.next).toEqual({ kind: 'done' })
  })

  it('send an alert, call a webhook, post to chat: effects keyed by run and step, in step order', () => {
    const out = run([
      {
        id: 'mail',
        type: 'send-alert',
        to: { owner: true, creator: true, addresses: ['a@example.com'], cc: ['b@example.com'] },
        subject: 'Hot lead',
      },
      { id: 'hook', type: 'webhook', url: 'https://hooks.example.com/x' },
      { id: 'chat', type: 'chat', url: 'https://chat.example.com/y' },
    ])
    expect(out.effects).toEqual([
      {
        key: 'camp:c1:1:mail',
        runKey: 'camp:c1:1',
        campaignId: 'camp',
        version: 1,
        stepId: 'mail',
        type: 'send-alert',
        to: { owner: true, creator: true, addresses: ['a@example.com'], cc: ['b@example.com'] },
        subject: 'Hot lead',
        createdBy: 'user-1',
      },
      {
        key: 'camp:c1:1:hook',
        runKey: 'camp:c1:1',
        campaignId: 'camp',
        version: 1,
        stepId: 'hook',
        type: 'webhook',
        url: 'https://hooks.example.com/x',
      },
      {
        key: 'camp:c1:1:chat',
        runKey: 'camp:c1:1',
        campaignId: 'camp',
        version: 1,
        stepId: 'chat',
        type: 'chat',
        url: 'https://chat.example.com/y',
      },
    ])
    expect(JSON.parse(JSON.stringify(out))).toEqual(out)
  })
})

describe('campaign delays', () => {
  it('wait: stops until now plus the period, and goes on from after the wait', () => {
    const steps: Step[] = [{ id: 'w', type: 'wait', seconds: 3 * 86_400 }, sendAlert('later')]
    const first = run(steps)
    expect(first.effects).toEqual([])
    expect(first.next).toEqual({ kind: 'wait', until: NOW + 3 * 86_400_000, position: { after: 'w' } })
    const second = run(steps, first.state, { after: 'w' }, NOW + 3 * 86_400_000)
    expect(second.effects.map((e) => e.stepId)).toEqual(['later'])
    expect(second.ran).toEqual(['later'])
    expect(second.next).toEqual({ kind: 'done' })
  })

  it('wait until: the next given weekday and hour in the workspace zone', () => {
    // NOW is Monday 2026-11-30 10:00 in Paris. Monday 9:00 has passed: the next is a week on.
    const monday9 = run([{ id: 'w', type: 'wait-until', weekday: 1, hour: 9 }])
    expect(monday9.next).toEqual({ kind: 'wait', until: Date.parse('2026-12-07T08:00:00Z'), position: { after: 'w' } })
    const any14 = run([{ id: 'w', type: 'wait-until', hour: 14 }])
    expect(any14.next).toMatchObject({ until: Date.parse('2026-11-30T13:00:00Z') })
  })
})

describe('campaign branches', () => {
  const steps: Step[] = [
    {
      id: 'hot?',
      type: 'branch',
      condition: { type: 'score', min: 50 },
      yes: [{ id: 'y1', type: 'add-tag', tag: 'hot' }, { id: 'yw', type: 'wait', seconds: 60 }, sendAlert('y2')],
      no: [{ id: 'n1', type: 'add-tag', tag: 'cold' }],
    },
    { id: 'end', type: 'add-tag', tag: 'seen' },
  ]

  it('branch: yes when the condition holds, then the steps after the branch', () => {
    const yes = run(steps, contact({ score: 60 }))
    expect(yes.ran).toEqual(['hot?', 'y1', 'yw'])
    expect(yes.next).toEqual({ kind: 'wait', until: NOW + 60_000, position: { after: 'yw' } })
    const resumed = run(steps, yes.state, { after: 'yw' }, NOW + 60_000)
    expect(resumed.ran).toEqual(['y2', 'end'])
    expect(resumed.state.tags).toEqual(['hot', 'seen'])
  })

  it('branch: no when it does not, and an empty arm goes straight on', () => {
    expect(run(steps, contact({ score: 10 })).state.tags).toEqual(['cold', 'seen'])
    const empty: Step[] = [
      { id: 'b', type: 'branch', condition: { type: 'tag', tag: 'x', present: true }, yes: [], no: [] },
      { id: 'end', type: 'add-tag', tag: 'seen' },
    ]
    expect(run(empty).ran).toEqual(['b', 'end'])
  })

  it('branch: reads the state as the steps before it left it', () => {
    const out = run([
      { id: 'p', type: 'change-score', by: 50 },
      { id: 'b', type: 'branch', condition: { type: 'score', min: 50 }, yes: [sendAlert('y')], no: [] },
    ])
    expect(out.effects.map((e) => e.stepId)).toEqual(['y'])
  })
})
