// Page rules over visits: which rules match a URL, and which (visit, rule) pairs are due when.
import { describe, expect, it } from 'vitest'
import { openVisit } from '../../../durable-objects/rules/dwell'
import { compileRules, dueRules, matchingRules, type PageRule } from '../../../durable-objects/rules/page-rules'

const rule = (id: string, ...rows: Array<[pattern: string, minSeconds: number]>): PageRule => ({
  id,
  kind: 'alert',
  pages: rows.map(([pattern, minSeconds]) => ({ pattern, minSeconds })),
  limit: { count: 1, period: 'day' },
})

describe('page rules: matching', () => {
  it('page rules: a rule takes the smallest minimum among its matching rows', () => {
    const rules = compileRules([rule('a', ['/pricing/**', 60], ['/pricing/team', 10], ['/about', 0])])
    expect(matchingRules(rules, 'https://e.com/pricing/team').map((m) => m.minMs)).toEqual([10_000])
    expect(matchingRules(rules, 'https://e.com/pricing').map((m) => m.minMs)).toEqual([60_000])
  })

  it('page rules: matching rules come back in the order they were given, each once', () => {
    const rules = compileRules([rule('c', ['/**', 5]), rule('a', ['/x', 1], ['/*', 2]), rule('b', ['/y', 0])])
    expect(matchingRules(rules, 'https://e.com/x').map((m) => [m.rule.id, m.minMs])).toEqual([
      ['c', 5000],
      ['a', 1000],
    ])
  })

  it('page rules: a URL that is not an http(s) address matches nothing', () => {
    const rules = compileRules([rule('a', ['/**', 0])])
    expect(matchingRules(rules, 'javascript:alert(1)')).toEqual([])
    expect(matchingRules(rules, '')).toEqual([])
  })

  it('page rules: a rule list built by hand (not by compileRules) is indexed on first use', () => {
    const rules = [...compileRules([rule('a', ['/x', 0])])]
    expect(matchingRules(rules, 'https://e.com/x').map((m) => m.rule.id)).toEqual(['a'])
  })
})

describe('page rules: due checks', () => {
  const t0 = Date.UTC(2026, 10, 23, 9)

  it('page rules: a pair is due once the visit has the minimum visible time, not before', () => {
    const rules = compileRules([rule('a', ['/pricing', 30])])
    const visit = openVisit('v1', 'https://e.com/pricing', 'Pricing', t0)
    expect(dueRules(rules, [visit], () => false, t0 + 29_999)).toEqual({ due: [], nextAt: t0 + 30_000 })
    expect(dueRules(rules, [visit], () => false, t0 + 30_000).due.map((d) => d.rule.id)).toEqual(['a'])
  })

  it('page rules: a pair that already fired is skipped', () => {
    const rules = compileRules([rule('a', ['/pricing', 0]), rule('b', ['/pricing', 0])])
    const visit = openVisit('v1', 'https://e.com/pricing', 'Pricing', t0)
    const check = dueRules(rules, [visit], (_, ruleId) => ruleId === 'a', t0)
    expect(check.due.map((d) => d.rule.id)).toEqual(['b'])
  })
})
