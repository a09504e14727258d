// The compiled matcher against a deliberately plain reference: patterns and URLs are generated
// as pieces, the reference matches those pieces with a recursive segment matcher and regexes,
// and the code under test sees only the strings built from them.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { compileRules, matchingRules, type PageRule } from '../../../durable-objects/rules/page-rules'
import { compilePattern, matchesPattern, normalizeUrl, validatePattern } from '../../../durable-objects/rules/url-pattern'

type RefPattern = {
  host: { labels: string[]; port: string | null } | null
  path: string[]
  query: Array<{ name: string; value: string | null }>
  trailingSlash: boolean
}
type RefUrl = {
  https: boolean
  labels: string[]
  port: string | null
  path: string[]
  query: Array<[string, string]>
  trailingSlash: boolean
}

// Small alphabets, so that generated patterns and URLs often meet.
const word = fc.constantFrom('a', 'b', 'ab', 'ba', 'aab', 'x.pdf', 'A', 'Ab')
const glob = fc.constantFrom('*', 'a*', '*b', 'a*b', '*.pdf', '*a*', 'A*', '*b*b', 'a*a*b')
const pathPart = fc.oneof({ weight: 4, arbitrary: word }, { weight: 2, arbitrary: glob }, { weight: 1, arbitrary: fc.constant('**') })
const label = fc.constantFrom('a', 'b', 'ab', 'www')
const hostPart = fc.oneof({ weight: 4, arbitrary: label }, { weight: 1, arbitrary: fc.constantFrom('*', 'a*', '**') })
const port = fc.constantFrom(null, null, '8080', '443')
const value = fc.constantFrom('1', '2', '12', '')

const refPattern: fc.Arbitrary<RefPattern> = fc.record({
  host: fc.option(fc.record({ labels: fc.array(hostPart, { minLength: 1, maxLength: 3 }), port }), { freq: 2 }),
  path: fc.array(pathPart, { maxLength: 5 }),
  query: fc.array(fc.record({ name: fc.constantFrom('q', 'r', 'Q'), value: fc.constantFrom(null, '1', '2', '*', '1*', '') }), {
    maxLength: 2,
  }),
  trailingSlash: fc.boolean(),
})

const refUrl: fc.Arbitrary<RefUrl> = fc.record({
  https: fc.boolean(),
  labels: fc.array(label, { minLength: 1, maxLength: 3 }),
  port,
  path: fc.array(word, { maxLength: 6 }),
  query: fc.array(fc.tuple(fc.constantFrom('q', 'r', 'Q', 's'), value), { maxLength: 3 }),
  trailingSlash: fc.boolean(),
})

function patternSource(p: RefPattern): string {
  const host = p.host ? `https://${p.host.labels.join('.')}${p.host.port ? `:${p.host.port}` : ''}` : ''
  const path = `/${p.path.join('/')}${p.trailingSlash && p.path.length > 0 ? '/' : ''}`
  const query = p.query.map((c) => (c.value === null ? c.name : `${c.name}=${c.value}`)).join('&')
  return `${host}${path}${query ? `?${query}` : ''}`
}

function urlSource(u: RefUrl): string {
  const path = `/${u.path.join('/')}${u.trailingSlash && u.path.length > 0 ? '/' : ''}`
  const query = u.query.map(([k, v]) => `${k}=${v}`).join('&')
  return `${u.https ? 'https' : 'http'}://${u.labels.join('.')}${u.port ? `:${u.port}` : ''}${path}${query ? `?${query}` : ''}`
}

// ---- The reference ----------------------------------------------------------------------------

const globRegex = (glob: string) =>
  new RegExp(
    `^${glob
      .split('*')
      .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
    's',
  )

/** Whether pattern items (`**`, globs, words) match the items, one at a time, recursively. */
function refItems(pattern: string[], items: string[]): boolean {
  if (pattern.length === 0) return items.length === 0
  const [head, ...rest] = pattern
  if (head === '**') {
    for (let k = 0; k <= items.length; k++) if (refItems(rest, items.slice(k))) return true
    return false
  }
  return items.length > 0 && globRegex(head!.toLowerCase()).test(items[0]!.toLowerCase()) && refItems(rest, items.slice(1))
}

const withoutWww = (labels: string[]) => (labels[0]?.toLowerCase() === 'www' && labels.length > 1 ? labels.slice(1) : labels)

function refMatches(p: RefPattern, u: RefUrl): boolean {
  if (p.host) {
    const urlPort = u.port ?? (u.https ? '443' : '80')
    if (p.host.port !== null && p.host.port !== urlPort) return false
    if (!refItems(withoutWww(p.host.labels), withoutWww(u.labels))) return false
  }
  if (!refItems(p.path, u.path)) return false
  return p.query.every((c) =>
    u.query.some(([k, v]) => k.toLowerCase() === c.name.toLowerCase() && globRegex(c.value ?? '*').test(v.toLowerCase())),
  )
}

// ---- Properties ------------------------------------------------------------------------------

describe('url pattern matcher: properties', () => {
  it('url pattern matcher: generated patterns are valid', () => {
    fc.assert(
      fc.property(refPattern, (p) => {
        expect(validatePattern(patternSource(p))).toBeNull()
      }),
    )
  })

  it('url pattern matcher: one pattern matches exactly when the reference says so', () => {
    fc.assert(
      fc.property(refPattern, refUrl, (p, u) => {
        const pattern = compilePattern(patternSource(p))
        const url = normalizeUrl(urlSource(u))
        expect(pattern && url && matchesPattern(pattern, url)).toBe(refMatches(p, u))
        const indexed = matchingRules(
          compileRules([
            { id: 'r', kind: 'alert', pages: [{ pattern: patternSource(p), minSeconds: 0 }], limit: { count: 1, period: 'day' } },
          ]),
          urlSource(u),
        )
        expect(indexed.length === 1).toBe(refMatches(p, u))
      }),
      { numRuns: 3000 },
    )
  })

  it('url pattern matcher: many rules give, per rule, the smallest minimum among matching rows', () => {
    const rows = fc.array(fc.record({ pattern: refPattern, minSeconds: fc.integer({ min: 0, max: 5 }) }), { minLength: 1, maxLength: 4 })
    fc.assert(
      fc.property(fc.array(rows, { minLength: 1, maxLength: 25 }), fc.array(refUrl, { minLength: 1, maxLength: 5 }), (ruleRows, urls) => {
        const rules: PageRule[] = ruleRows.map((r, i) => ({
          id: `r${i}`,
          kind: 'alert',
          pages: r.map((row) => ({ pattern: patternSource(row.pattern), minSeconds: row.minSeconds })),
          limit: { count: 1, period: 'day' },
        }))
        const compiled = compileRules(rules)
        for (const u of urls) {
          const expected = ruleRows.flatMap((r, i) => {
            const mins = r.filter((row) => refMatches(row.pattern, u)).map((row) => row.minSeconds * 1000)
            return mins.length > 0 ? [{ id: `r${i}`, minMs: Math.min(...mins) }] : []
          })
          const actual = matchingRules(compiled, urlSource(u)).map(({ rule, minMs }) => ({ id: rule.id, minMs }))
          expect(actual).toEqual(expected)
        }
      }),
      { numRuns: 1000 },
    )
  })
})
