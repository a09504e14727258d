// The engine as the contact's object drives it: a signal's reaction starts runs, each run is
// walked by `advance`, its state changes go back to `react` with its depth and chain. For random
// campaign sets this always comes to rest, every chain stays short and never holds a campaign
// twice; and the same inputs always give deeply equal outputs.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { CampaignSet } from '../../../durable-objects/contracts/campaign'
import { advance } from '../../../durable-objects/rules/campaigns/advance'
import { compileCampaignSet, type CompiledCampaignSet } from '../../../durable-objects/rules/campaigns/compile'
import {
  START,
  type AdvanceOutcome,
  type CampaignSignal,
  type ContactState,
  type Reaction,
  type RunLedger,
  type RunStart,
} from '../../../durable-objects/rules/campaigns/engine-types'
import { MAX_CASCADE_DEPTH, react } from '../../../durable-objects/rules/campaigns/react'
import { campaignSet, contactState, loopingSet, signal } from './arbitraries'
import { CALENDAR, campaign, compiled, contact, NOW } from './support'

/** Walks a run to its first wait or its end, answering a round-robin with its first user. */
function walk(set: CompiledCampaignSet, start: RunStart, state: ContactState): AdvanceOutcome[] {
  const version = set.campaigns.get(start.campaignId)!.campaign
  const outcomes: AdvanceOutcome[] = []
  let out = advance({ campaign: version, run: { runKey: start.runKey, position: START }, state, now: NOW, calendar: CALENDAR })
  outcomes.push(out)
  while (out.next.kind === 'effect-result-needed') {
    const rr = out.effects.find((e) => e.type === 'assign-round-robin')
    const userId = rr?.type === 'assign-round-robin' ? (rr.userIds[0] ?? 'u1') : 'u1'
    out = advance({
      campaign: version,
      run: { runKey: start.runKey, position: out.next.position, result: { userId } },
      state: out.state,
      now: NOW,
      calendar: CALENDAR,
    })
    outcomes.push(out)
  }
  return outcomes
}

/** Signals in, one at a time, until none is left; `withChain` false hands changes back with the depth only. */
function settle(source: CampaignSet, state: ContactState, first: CampaignSignal, withChain = true, budget = 20_000) {
  const set = compileCampaignSet(source)
  let runs: RunLedger = {}
  const queue: CampaignSignal[] = [first]
  const reactions: Reaction[] = []
  for (let signal = queue.shift(); signal; signal = queue.shift()) {
    if (reactions.length >= budget) throw new Error(`no rest after ${budget} reactions`)
    const reaction = react({ set, state, runs, signal, now: NOW, calendar: CALENDAR })
    reactions.push(reaction)
    state = reaction.state
    runs = reaction.runs
    for (const start of reaction.starts) {
      for (const out of walk(set, start, state)) {
        state = out.state
        if (out.changes.length)
          queue.push({ type: 'changes', changes: out.changes, depth: start.depth, ...(withChain ? { chain: start.chain } : {}), at: NOW })
      }
    }
  }
  return { reactions, state, runs }
}

describe('campaign cascade', () => {
  it('cascade: random campaign sets come to rest; chains are at most MAX_CASCADE_DEPTH + 1 long and never repeat a campaign', () => {
    fc.assert(
      fc.property(fc.oneof(campaignSet, loopingSet), contactState, signal, (source, state, first) => {
        const { reactions } = settle(source, state, first)
        for (const start of reactions.flatMap((r) => r.starts)) {
          expect(start.depth).toBeLessThanOrEqual(MAX_CASCADE_DEPTH)
          expect(start.chain.length).toBeLessThanOrEqual(start.depth + 1)
          expect(new Set(start.chain).size).toBe(start.chain.length)
        }
      }),
      { numRuns: 300 },
    )
  })

  it('cascade: two campaigns undoing each other stop at the second turn with the chain, at the depth bound without it', () => {
    const source: CampaignSet = {
      campaigns: [
        campaign('add', { triggers: [{ type: 'tag-removed', tag: 'x' }], steps: [{ id: 's', type: 'add-tag', tag: 'x' }] }),
        campaign('remove', { triggers: [{ type: 'tag-added', tag: 'x' }], steps: [{ id: 's', type: 'remove-tag', tag: 'x' }] }),
      ],
      lists: [],
      scoringRules: [],
    }
    // A tag added from outside (the admin): its runs are one level deep.
    const first: CampaignSignal = { type: 'changes', changes: [{ type: 'tag-added', tag: 'x' }], depth: 0, at: NOW }
    const chained = settle(source, contact({ tags: ['x'] }), first)
    expect(chained.reactions.flatMap((r) => r.starts.map((s) => s.campaignId))).toEqual(['remove', 'add'])
    expect(chained.reactions.flatMap((r) => r.held)).toMatchObject([{ campaignId: 'remove', reason: 'cascade-loop' }])
    const depthOnly = settle(source, contact({ tags: ['x'] }), first, false)
    expect(depthOnly.reactions.flatMap((r) => r.starts)).toHaveLength(MAX_CASCADE_DEPTH)
    expect(depthOnly.reactions.flatMap((r) => r.held)).toMatchObject([{ reason: 'cascade-depth' }])
  })

  it('cascade: evaluation is deterministic: the same inputs give deeply equal reactions and steps', () => {
    fc.assert(
      fc.property(campaignSet, contactState, signal, (source, state, first) => {
        // Separate copies, compiled separately: nothing may hang on object identity or on a previous call.
        const one = settle(structuredClone(source), structuredClone(state), structuredClone(first))
        const two = settle(structuredClone(source), structuredClone(state), structuredClone(first))
        expect(two).toEqual(one)
        expect(JSON.parse(JSON.stringify(one))).toEqual(one)
      }),
      { numRuns: 200 },
    )
  })

  it('cascade: a reaction does not change its inputs', () => {
    fc.assert(
      fc.property(campaignSet, contactState, signal, (source, state, first) => {
        const set = compiled(source)
        const runs: RunLedger = { k0: { runs: 1, entry: 1, entryRuns: 1, inside: true, sent: { period: 'd2026-11-30', count: 1 } } }
        const before = structuredClone({ state, runs, first })
        react({ set, state, runs, signal: first, now: NOW, calendar: CALENDAR })
        expect({ state, runs, first }).toEqual(before)
      }),
      { numRuns: 200 },
    )
  })
})
