// Campaign and list conditions, one type at a time, against a contact's state; and a campaign
// whose conditions do not hold is not started by its trigger.
import { describe, expect, it } from 'vitest'
import type { Condition } from '../../../durable-objects/contracts/campaign'
import { compare, compileCondition, conditionHolds } from '../../../durable-objects/rules/campaigns/conditions'
import type { ContactState } from '../../../durable-objects/rules/campaigns/engine-types'
import { campaign, compiled, contact, DAY, NOW, reactTo, startedIds } from './support'

const holds = (condition: Condition, state: ContactState, now = NOW) => conditionHolds(compileCondition(condition), state, now)

describe('campaign conditions', () => {
  it('field: compares text trimmed and case-insensitively, numbers as numbers', () => {
    const state = contact({ fields: { company: ' ACME Corp', 'custom.seats': '12' } })
    expect(holds({ type: 'field', field: 'company', op: 'equals', value: 'acme corp' }, state)).toBe(true)
    expect(holds({ type: 'field', field: 'company', op: 'not-equals', value: 'acme corp' }, state)).toBe(false)
    expect(holds({ type: 'field', field: 'company', op: 'contains', value: 'corp' }, state)).toBe(true)
    expect(holds({ type: 'field', field: 'company', op: 'starts-with', value: 'acme' }, state)).toBe(true)
    expect(holds({ type: 'field', field: 'phone', op: 'is-empty', value: '' }, state)).toBe(true)
    expect(holds({ type: 'field', field: 'company', op: 'is-not-empty', value: '' }, state)).toBe(true)
    expect(holds({ type: 'field', field: 'custom.seats', op: 'greater-than', value: 9 }, state)).toBe(true)
    expect(holds({ type: 'field', field: 'custom.seats', op: 'less-than', value: '9' }, state)).toBe(false)
    expect(holds({ type: 'field', field: 'custom.seats', op: 'equals', value: 12 }, state)).toBe(true)
    // "12" > "9" as text would be false; a word is no number at all.
    expect(compare('abc', { op: 'greater-than', value: 1 })).toBe(false)
  })

  it('tag: present or absent', () => {
    const state = contact({ tags: ['vip'] })
    expect(holds({ type: 'tag', tag: 'vip', present: true }, state)).toBe(true)
    expect(holds({ type: 'tag', tag: 'vip', present: false }, state)).toBe(false)
    expect(holds({ type: 'tag', tag: 'churned', present: false }, state)).toBe(true)
  })

  it('score: inclusive range, either bound optional', () => {
    const state = contact({ score: 50 })
    expect(holds({ type: 'score', min: 50 }, state)).toBe(true)
    expect(holds({ type: 'score', max: 49 }, state)).toBe(false)
    expect(holds({ type: 'score', min: 10, max: 50 }, state)).toBe(true)
  })

  it('owner: set, not set, or a given user', () => {
    const owned = contact({ ownerId: 'u1' })
    expect(holds({ type: 'owner', is: 'set' }, owned)).toBe(true)
    expect(holds({ type: 'owner', is: 'not-set' }, owned)).toBe(false)
    expect(holds({ type: 'owner', is: 'not-set' }, contact())).toBe(true)
    expect(holds({ type: 'owner', is: 'user', userId: 'u1' }, owned)).toBe(true)
    expect(holds({ type: 'owner', is: 'user', userId: 'u2' }, owned)).toBe(false)
  })

  it('list: member or not', () => {
    const state = contact({ lists: ['hot'] })
    expect(holds({ type: 'list', listId: 'hot', member: true }, state)).toBe(true)
    expect(holds({ type: 'list', listId: 'cold', member: false }, state)).toBe(true)
  })

  it('visited: a page matching the pattern within the last N days', () => {
    const state = contact({ visited: [{ url: 'https://www.example.com/pricing/team', at: NOW - 6 * DAY }] })
    expect(holds({ type: 'visited', pattern: '/pricing/**', withinDays: 7 }, state)).toBe(true)
    expect(holds({ type: 'visited', pattern: '/pricing/**', withinDays: 5 }, state)).toBe(false)
    expect(holds({ type: 'visited', pattern: '/blog/**', withinDays: 7 }, state)).toBe(false)
    expect(holds({ type: 'visited', pattern: '/pricing/**', withinDays: 7 }, state, NOW + 2 * DAY)).toBe(false)
  })

  it('a triggered campaign whose conditions fail does not start, and is not counted as held', () => {
    const set = compiled({
      campaigns: [
        campaign('vip-only', { triggers: [{ type: 'contact-created' }], conditions: [{ type: 'tag', tag: 'vip', present: true }] }),
      ],
    })
    const without = reactTo(set, { type: 'contact-created', at: NOW })
    expect(startedIds(without)).toEqual([])
    expect(without.held).toEqual([])
    expect(startedIds(reactTo(set, { type: 'contact-created', at: NOW }, contact({ tags: ['vip'] })))).toEqual(['vip-only'])
  })
})
