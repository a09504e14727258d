// What one signal does besides triggering: scoring points with their decays, lists recomputed in
// dependency order, the background recompute of an edited list, entries followed in the ledger.
import { describe, expect, it } from 'vitest'
import { recomputeList } from '../../../durable-objects/rules/campaigns/react'
import { CALENDAR, campaign, compiled, contact, DAY, list, NOW, reactTo, rule, startedIds } from './support'

describe('campaign reactions: scoring', () => {
  it('scoring: each matching rule adds its points once, in the set order, with a decay when it decays', () => {
    const set = compiled({
      scoringRules: [
        rule('pricing', { type: 'page-visited', pattern: '/pricing/**' }, 10, 30),
        rule('any-page', { type: 'page-visited', pattern: '/**' }, 1),
        rule('blog', { type: 'page-visited', pattern: '/blog/**' }, 5),
        rule('demo-form', { type: 'form-submitted', form: { id: 'demo' } }, 20, 7),
        rule('signup', { type: 'custom-event', name: 'signup' }, 50),
      ],
    })
    const page = reactTo(set, { type: 'pageview', url: 'https://example.com/pricing/team', at: NOW })
    expect(page.state.score).toBe(11)
    expect(page.changes).toEqual([
      { type: 'score', by: 10, from: 0, to: 10, reason: { kind: 'scoring-rule', ruleId: 'pricing' } },
      { type: 'score', by: 1, from: 10, to: 11, reason: { kind: 'scoring-rule', ruleId: 'any-page' } },
    ])
    expect(page.decays).toEqual([{ at: NOW + 30 * DAY, points: 10, ruleId: 'pricing' }])
    const form = reactTo(set, { type: 'form', form: { id: 'demo', name: '', action: '' }, url: 'https://example.com/', at: NOW })
    expect(form.state.score).toBe(20)
    expect(form.decays).toEqual([{ at: NOW + 7 * DAY, points: 20, ruleId: 'demo-form' }])
    expect(
      reactTo(set, { type: 'form', form: { id: 'other', name: '', action: '' }, url: 'https://example.com/', at: NOW }).state.score,
    ).toBe(0)
    expect(reactTo(set, { type: 'custom-event', name: 'signup', props: {}, at: NOW }).state.score).toBe(50)
  })

  it('scoring: a decay takes the points away again, with the decay as its reason', () => {
    const set = compiled({})
    const decayed = reactTo(set, { type: 'score-decay', ruleId: 'pricing', points: 10, at: NOW }, contact({ score: 11 }))
    expect(decayed.state.score).toBe(1)
    expect(decayed.changes).toEqual([{ type: 'score', by: -10, from: 11, to: 1, reason: { kind: 'decay', ruleId: 'pricing' } }])
  })
})

describe('campaign reactions: smart lists', () => {
  it('lists: a list reading another list sees its membership as it is now, whatever the order they were saved in', () => {
    const set = compiled({
      lists: [
        list('hot-vip', [
          { type: 'list', listId: 'hot', member: true },
          { type: 'tag', tag: 'vip', present: true },
        ]),
        list('hot', [{ type: 'score', min: 50 }]),
      ],
      scoringRules: [rule('signup', { type: 'custom-event', name: 'signup' }, 50)],
    })
    const reaction = reactTo(set, { type: 'custom-event', name: 'signup', props: {}, at: NOW }, contact({ tags: ['vip'] }))
    expect(reaction.state.lists).toEqual(['hot', 'hot-vip'])
    expect(reaction.changes.filter((c) => c.type === 'list-entered')).toEqual([
      { type: 'list-entered', listId: 'hot' },
      { type: 'list-entered', listId: 'hot-vip' },
    ])
  })

  it('lists: a list that is gone is dropped from the contact without a list-left', () => {
    const reaction = reactTo(compiled({}), { type: 'recheck', at: NOW }, contact({ lists: ['deleted'] }))
    expect(reaction.state.lists).toEqual([])
    expect(reaction.changes).toEqual([])
  })

  it('lists: an edited list recomputed in the background enters its new members and triggers its entry campaigns', () => {
    const before = compiled({ lists: [list('big', [{ type: 'field', field: 'custom.seats', op: 'greater-than', value: 100 }])] })
    const state = contact({ fields: { 'custom.seats': '50' } })
    expect(reactTo(before, { type: 'recheck', at: NOW }, state).state.lists).toEqual([])
    const after = compiled({
      campaigns: [campaign('welcome-big', { triggers: [{ type: 'list-entered', listId: 'big' }] })],
      lists: [list('big', [{ type: 'field', field: 'custom.seats', op: 'greater-than', value: 20 }])],
    })
    const reaction = recomputeList({ set: after, state, runs: {}, now: NOW, calendar: CALENDAR })
    expect(reaction.state.lists).toEqual(['big'])
    expect(startedIds(reaction)).toEqual(['welcome-big'])
  })
})

describe('campaign reactions: entries', () => {
  it('entries: a per-entry campaign counts an entry when its conditions start to hold, whatever the signal', () => {
    const set = compiled({
      campaigns: [
        campaign('vip', {
          triggers: [{ type: 'manual' }],
          conditions: [{ type: 'tag', tag: 'vip', present: true }],
          runLimit: { kind: 'per-entry', count: 1 },
        }),
      ],
    })
    const outside = reactTo(set, { type: 'recheck', at: NOW })
    expect(outside.runs).toEqual({})
    const inside = reactTo(set, { type: 'recheck', at: NOW }, contact({ tags: ['vip'] }), outside.runs)
    expect(inside.runs).toEqual({ vip: { runs: 0, entry: 1, entryRuns: 0, inside: true, sent: null } })
    const left = reactTo(set, { type: 'recheck', at: NOW }, contact(), inside.runs)
    expect(left.runs.vip).toEqual({ runs: 0, entry: 1, entryRuns: 0, inside: false, sent: null })
  })

  it('entries: a per-entry campaign with a list-entered trigger has one entry per stay in the list', () => {
    const set = compiled({
      campaigns: [
        campaign('hot', {
          triggers: [
            { type: 'list-entered', listId: 'hot' },
            { type: 'custom-event', name: 'ping' },
          ],
          runLimit: { kind: 'per-entry', count: 2 },
        }),
      ],
      lists: [list('hot', [{ type: 'tag', tag: 'hot', present: true }])],
    })
    const entered = reactTo(set, { type: 'recheck', at: NOW }, contact({ tags: ['hot'] }))
    expect(entered.starts).toMatchObject([{ campaignId: 'hot', entry: 1, trigger: 'list-entered' }])
    const ping = reactTo(set, { type: 'custom-event', name: 'ping', props: {}, at: NOW }, entered.state, entered.runs)
    expect(ping.starts).toMatchObject([{ entry: 1, trigger: 'custom-event' }])
    const third = reactTo(set, { type: 'custom-event', name: 'ping', props: {}, at: NOW }, ping.state, ping.runs)
    expect(third.held.map((h) => h.reason)).toEqual(['run-limit'])
    // Out of the list, a ping finds no entry to count against.
    const out = reactTo(set, { type: 'custom-event', name: 'ping', props: {}, at: NOW }, { ...third.state, tags: [] }, third.runs)
    expect(out.held.map((h) => h.reason)).toEqual(['run-limit'])
  })
})
