// Campaign triggers, one by one, through `react`: which signal (or which change it causes) starts
// which campaign, and which look-alikes do not.
import { describe, expect, it } from 'vitest'
import { campaignPageRules } from '../../../durable-objects/rules/campaigns/compile'
import { dueRules } from '../../../durable-objects/rules/page-rules'
import { openVisit } from '../../../durable-objects/rules/dwell'
import { campaign, compiled, contact, list, NOW, reactTo, rule, startedIds } from './support'

const form = (id: string, name = '', action = '/subscribe') => ({ id, name, action })

describe('campaign triggers', () => {
  it('page visited: a visit reaching the minimum time is due through dueRules and starts the campaign', () => {
    const set = compiled({
      campaigns: [
        campaign('pricing', { triggers: [{ type: 'page-visited', pages: [{ pattern: '/pricing/**', minSeconds: 10 }] }] }),
        campaign('blog', { triggers: [{ type: 'page-visited', pages: [{ pattern: '/blog/*', minSeconds: 0 }] }] }),
      ],
    })
    const rules = campaignPageRules(set)
    expect(rules.map((r) => [r.id, r.kind])).toEqual([
      ['pricing', 'campaign'],
      ['blog', 'campaign'],
    ])
    const visit = openVisit('v1', 'https://example.com/pricing/team', 'Pricing', NOW)
    expect(dueRules(rules, [visit], () => false, NOW + 9_000).due).toEqual([])
    const { due } = dueRules(rules, [visit], () => false, NOW + 10_000)
    expect(due.map((d) => d.rule.id)).toEqual(['pricing'])
    const reaction = reactTo(set, { type: 'page-reached', campaignId: 'pricing', visitId: 'v1', url: visit.url, at: NOW + 10_000 })
    expect(startedIds(reaction)).toEqual(['pricing'])
    expect(reaction.starts[0]).toMatchObject({ trigger: 'page-visited', runKey: 'pricing:c1:1', version: 1, depth: 0 })
  })

  it('form submitted: any form, or only the chosen one by id, name or action', () => {
    const set = compiled({
      campaigns: [
        campaign('any', { triggers: [{ type: 'form-submitted' }] }),
        campaign('by-id', { triggers: [{ type: 'form-submitted', form: { id: 'demo' } }] }),
        campaign('by-name-action', { triggers: [{ type: 'form-submitted', form: { name: 'Contact', action: '/subscribe' } }] }),
      ],
    })
    const submit = (f: ReturnType<typeof form>) => startedIds(reactTo(set, { type: 'form', form: f, url: 'https://example.com/', at: NOW }))
    expect(submit(form('demo'))).toEqual(['any', 'by-id'])
    expect(submit(form('other', 'contact'))).toEqual(['any', 'by-name-action'])
    expect(submit(form('other', 'contact', '/elsewhere'))).toEqual(['any'])
  })

  it('contact created: starts on the contact-created signal only', () => {
    const set = compiled({ campaigns: [campaign('welcome', { triggers: [{ type: 'contact-created' }] })] })
    expect(startedIds(reactTo(set, { type: 'contact-created', at: NOW }))).toEqual(['welcome'])
    expect(startedIds(reactTo(set, { type: 'recheck', at: NOW }))).toEqual([])
  })

  it('contact updated: a change of the field, narrowed by from and to', () => {
    const set = compiled({
      campaigns: [
        campaign('any-company', { triggers: [{ type: 'contact-updated', field: 'company' }] }),
        campaign('to-acme', { triggers: [{ type: 'contact-updated', field: 'company', to: 'ACME' }] }),
        campaign('from-empty', { triggers: [{ type: 'contact-updated', field: 'company', from: '' }] }),
      ],
    })
    const change = (from: string, to: string) => startedIds(reactTo(set, { type: 'field-changed', field: 'company', from, to, at: NOW }))
    expect(change('', 'acme')).toEqual(['any-company', 'to-acme', 'from-empty'])
    expect(change('acme', 'Initech')).toEqual(['any-company'])
    const phone = reactTo(set, { type: 'field-changed', field: 'phone', from: '', to: '1', at: NOW })
    expect(startedIds(phone)).toEqual([])
    expect(phone.state.fields.phone).toBe('1')
  })

  it('tag added and tag removed: derived from the changes a run hands back', () => {
    const set = compiled({
      campaigns: [
        campaign('on-add', { triggers: [{ type: 'tag-added', tag: 'vip' }] }),
        campaign('on-remove', { triggers: [{ type: 'tag-removed', tag: 'vip' }] }),
      ],
    })
    const added = reactTo(
      set,
      { type: 'changes', changes: [{ type: 'tag-added', tag: 'vip' }], depth: 0, at: NOW },
      contact({ tags: ['vip'] }),
    )
    expect(startedIds(added)).toEqual(['on-add'])
    expect(added.starts[0]?.depth).toBe(1)
    expect(startedIds(reactTo(set, { type: 'changes', changes: [{ type: 'tag-removed', tag: 'vip' }], depth: 0, at: NOW }))).toEqual([
      'on-remove',
    ])
    expect(startedIds(reactTo(set, { type: 'changes', changes: [{ type: 'tag-added', tag: 'other' }], depth: 0, at: NOW }))).toEqual([])
  })

  it('score crossed: up when a scoring rule lifts the score to the threshold, down when a decay takes it below', () => {
    const set = compiled({
      campaigns: [
        campaign('hot', { triggers: [{ type: 'score-crossed', threshold: 50, direction: 'up' }] }),
        campaign('cooled', { triggers: [{ type: 'score-crossed', threshold: 50, direction: 'down' }] }),
      ],
      scoringRules: [rule('pricing', { type: 'page-visited', pattern: '/pricing' }, 10, 30)],
    })
    const up = reactTo(set, { type: 'pageview', url: 'https://example.com/pricing', at: NOW }, contact({ score: 40 }))
    expect(up.state.score).toBe(50)
    expect(startedIds(up)).toEqual(['hot'])
    expect(startedIds(reactTo(set, { type: 'pageview', url: 'https://example.com/pricing', at: NOW }, contact({ score: 50 })))).toEqual([])
    const down = reactTo(set, { type: 'score-decay', ruleId: 'pricing', points: 10, at: NOW }, contact({ score: 55 }))
    expect(down.state.score).toBe(45)
    expect(startedIds(down)).toEqual(['cooled'])
  })

  it('custom event: by name, narrowed by a prop comparison', () => {
    const set = compiled({
      campaigns: [
        campaign('any-signup', { triggers: [{ type: 'custom-event', name: 'signup' }] }),
        campaign('big-plan', {
          triggers: [{ type: 'custom-event', name: 'signup', prop: { key: 'seats', op: 'greater-than', value: 10 } }],
        }),
      ],
    })
    const track = (name: string, props: Record<string, string | number | boolean>) =>
      startedIds(reactTo(set, { type: 'custom-event', name, props, at: NOW }))
    expect(track('signup', { seats: 25 })).toEqual(['any-signup', 'big-plan'])
    expect(track('signup', { seats: '3' })).toEqual(['any-signup'])
    expect(track('signup', {})).toEqual(['any-signup'])
    expect(track('login', { seats: 25 })).toEqual([])
  })

  it('list entered and list left: when the signal changes what the list reads', () => {
    const set = compiled({
      campaigns: [
        campaign('entered', { triggers: [{ type: 'list-entered', listId: 'hot' }] }),
        campaign('left', { triggers: [{ type: 'list-left', listId: 'hot' }] }),
      ],
      lists: [list('hot', [{ type: 'score', min: 20 }])],
      scoringRules: [rule('demo', { type: 'custom-event', name: 'demo' }, 25), rule('unsub', { type: 'custom-event', name: 'unsub' }, -25)],
    })
    const entered = reactTo(set, { type: 'custom-event', name: 'demo', props: {}, at: NOW })
    expect(entered.state.lists).toEqual(['hot'])
    expect(entered.changes.map((c) => c.type)).toEqual(['score', 'list-entered'])
    expect(startedIds(entered)).toEqual(['entered'])
    const left = reactTo(set, { type: 'custom-event', name: 'unsub', props: {}, at: NOW }, entered.state, entered.runs)
    expect(left.state.lists).toEqual([])
    expect(startedIds(left)).toEqual(['left'])
  })

  it('manual: runs the named campaign when it has a manual trigger, no other', () => {
    const set = compiled({
      campaigns: [campaign('by-hand', { triggers: [{ type: 'manual' }] }), campaign('auto', { triggers: [{ type: 'contact-created' }] })],
    })
    expect(startedIds(reactTo(set, { type: 'manual', campaignId: 'by-hand', at: NOW }))).toEqual(['by-hand'])
    expect(startedIds(reactTo(set, { type: 'manual', campaignId: 'auto', at: NOW }))).toEqual([])
  })
})
