// The URL pattern language, sentence by sentence from SPEC §3 B, then the choices documented in
// docs/url-patterns.md. Every case goes through the compiled rule index the contact object uses.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { compileRules, matchingRules, type PageRule } from '../../../durable-objects/rules/page-rules'
import { MAX_PATTERN_LENGTH, validatePattern } from '../../../durable-objects/rules/url-pattern'

const rule = (id: string, ...rows: Array<[pattern: string, minSeconds: number]>): PageRule => ({
  id,
  kind: 'alert',
  pages: rows.map(([pattern, minSeconds]) => ({ pattern, minSeconds })),
  limit: { count: 1, period: 'day' },
})

function matches(pattern: string, url: string): boolean {
  return matchingRules(compileRules([rule('r', [pattern, 0])]), url).length === 1
}

/** Asserts each URL against the pattern, so a failure names the URL. */
function expectMatches(pattern: string, yes: string[], no: string[] = []) {
  for (const url of yes) expect(matches(pattern, url), `${pattern} ~ ${url}`).toBe(true)
  for (const url of no) expect(matches(pattern, url), `${pattern} !~ ${url}`).toBe(false)
}

describe('url pattern: SPEC §3 B', () => {
  it('url pattern: an alert fires when any of its rows matches', () => {
    const rules = compileRules([rule('a', ['/pricing', 30], ['/signup', 5])])
    expect(matchingRules(rules, 'https://example.com/signup').map((m) => m.rule.id)).toEqual(['a'])
    expect(matchingRules(rules, 'https://example.com/pricing').map((m) => m.rule.id)).toEqual(['a'])
    expect(matchingRules(rules, 'https://example.com/about')).toEqual([])
  })

  it('url pattern: `*` matches within one path segment', () => {
    expectMatches(
      '/blog/*/post',
      ['https://e.com/blog/2024/post', 'https://e.com/blog/x-y.z/post'],
      ['https://e.com/blog/2024/11/post', 'https://e.com/blog/post'],
    )
    expectMatches('/blog/*', ['https://e.com/blog/a'], ['https://e.com/blog/a/b', 'https://e.com/blog'])
    expectMatches(
      '/files/report-*.pdf',
      ['https://e.com/files/report-2026.pdf', 'https://e.com/files/report-.pdf'],
      ['https://e.com/files/report-2026/a.pdf', 'https://e.com/files/summary-2026.pdf'],
    )
  })

  it('url pattern: `**` matches any depth', () => {
    expectMatches('/docs/**', ['https://e.com/docs/a', 'https://e.com/docs/a/b/c/d'], ['https://e.com/doc/a', 'https://e.com/'])
    expectMatches('/docs/**/intro', ['https://e.com/docs/intro', 'https://e.com/docs/a/b/intro'], ['https://e.com/docs/a/outro'])
    expectMatches('/**', ['https://e.com/', 'https://e.com/a/b'])
  })

  it('url pattern: `**` matches the page itself', () => {
    expectMatches('/pricing/**', ['https://e.com/pricing'], ['https://e.com/pricingx', 'https://e.com/pricing-old', 'https://e.com/'])
  })

  it('url pattern: `/pricing/**` matches `/pricing`, `/pricing/` and `/pricing/team/a`', () => {
    expectMatches('/pricing/**', ['https://e.com/pricing', 'https://e.com/pricing/', 'https://e.com/pricing/team/a'])
  })

  it('url pattern: a wildcard may stand at the end', () => {
    expectMatches('example.com/products/*', ['https://example.com/products/shoe'], ['https://example.com/products/shoe/red'])
    expectMatches('example.com/products/**', ['https://example.com/products/shoe/red'], ['https://example.com/product'])
  })

  it('url pattern: a wildcard may stand in the middle (`example.com/*/test.php`)', () => {
    expectMatches(
      'example.com/*/test.php',
      ['https://example.com/a/test.php', 'http://example.com/b/test.php'],
      [
        'https://example.com/test.php',
        'https://example.com/a/b/test.php',
        'https://example.com/a/test.phps',
        'https://other.com/a/test.php',
      ],
    )
  })

  it("url pattern: a pattern without a host applies to the site's domains", () => {
    expectMatches('/pricing', ['https://example.com/pricing', 'https://shop.example.net/pricing'])
    // A pattern with a host applies to that host only.
    expectMatches(
      'example.com/pricing',
      ['https://example.com/pricing'],
      ['https://shop.example.net/pricing', 'https://a.example.com/pricing'],
    )
  })

  it('url pattern: the query string is ignored when the pattern has none', () => {
    expectMatches('/pricing', ['https://e.com/pricing?utm_source=mail&x=1', 'https://e.com/pricing?'])
  })

  it('url pattern: the query string counts when the pattern has one', () => {
    expectMatches(
      '/pricing?plan=team',
      ['https://e.com/pricing?plan=team', 'https://e.com/pricing?a=1&plan=team'],
      ['https://e.com/pricing', 'https://e.com/pricing?plan=solo', 'https://e.com/pricing?plan=teams'],
    )
  })

  it('url pattern: matching is case-insensitive', () => {
    expectMatches('Example.COM/Pricing/*/Team?Plan=Pro', ['https://EXAMPLE.com/PRICING/Eu/team?plan=PRO'])
    expectMatches('/pricing', ['https://e.com/PriCing'], ['https://e.com/pricin'])
  })

  it('url pattern: matching is trailing-slash-insensitive', () => {
    expectMatches('/pricing', ['https://e.com/pricing/'])
    expectMatches('/pricing/', ['https://e.com/pricing', 'https://e.com/pricing/'], ['https://e.com/pricing/a'])
    expectMatches('example.com', ['https://example.com', 'https://example.com/'], ['https://example.com/a'])
  })
})

describe('url pattern: documented choices (docs/url-patterns.md)', () => {
  it('url pattern: every query parameter of the pattern must be present, in any order, others allowed', () => {
    expectMatches('/p?a=1&b=2', ['https://e.com/p?b=2&a=1', 'https://e.com/p?a=1&c=3&b=2'], ['https://e.com/p?a=1', 'https://e.com/p?b=2'])
  })

  it('url pattern: a repeated URL parameter matches when any of its values does', () => {
    expectMatches('/p?tag=b', ['https://e.com/p?tag=a&tag=b'], ['https://e.com/p?tag=a&tag=c'])
  })

  it('url pattern: a query parameter without `=` asks only that it be present', () => {
    expectMatches('/p?ref', ['https://e.com/p?ref=x', 'https://e.com/p?ref', 'https://e.com/p?ref='], ['https://e.com/p?refs=1'])
    expectMatches('/p?ref=', ['https://e.com/p?ref=', 'https://e.com/p?ref'], ['https://e.com/p?ref=x'])
  })

  it('url pattern: `*` in a query value matches any characters', () => {
    expectMatches(
      '/p?utm_campaign=spring-*',
      ['https://e.com/p?utm_campaign=spring-2026', 'https://e.com/p?utm_campaign=spring-a/b'],
      ['https://e.com/p?utm_campaign=fall-2026'],
    )
  })

  it('url pattern: the fragment is ignored in URLs and refused in patterns', () => {
    expectMatches('/pricing', ['https://e.com/pricing#team', 'https://e.com/pricing/#'])
    expect(validatePattern('/pricing#team')).toMatch(/#/)
  })

  it('url pattern: the scheme is ignored; only http and https pages match', () => {
    expectMatches('https://example.com/a', ['http://example.com/a', 'https://example.com/a'])
    expectMatches('/a', [], ['ftp://example.com/a', 'file:///a', 'not a url'])
    expect(validatePattern('ftp://example.com/a')).not.toBeNull()
  })

  it('url pattern: a leading `www.` is ignored on both sides', () => {
    expectMatches('example.com/a', ['https://www.example.com/a'])
    expectMatches('www.example.com/a', ['https://example.com/a', 'https://WWW.example.com/a'], ['https://shop.example.com/a'])
  })

  it('url pattern: `*` in a host stands for one label, `**` for any number of them', () => {
    expectMatches('*.example.com/a', ['https://shop.example.com/a'], ['https://example.com/a', 'https://a.b.example.com/a'])
    expectMatches(
      '**.example.com/a',
      ['https://example.com/a', 'https://a.b.example.com/a'],
      ['https://example.org/a', 'https://badexample.com/a'],
    )
  })

  it('url pattern: a pattern without a port matches any port; one with a port only that port', () => {
    expectMatches('example.com/a', ['https://example.com:8443/a', 'http://example.com:80/a'])
    expectMatches('example.com:8443/a', ['https://example.com:8443/a'], ['https://example.com/a', 'https://example.com:8444/a'])
    expectMatches('example.com:443/a', ['https://example.com/a'], ['http://example.com/a'])
  })

  it('url pattern: percent-encoding is decoded on both sides, one segment at a time', () => {
    expectMatches('/caf%C3%A9', ['https://e.com/café', 'https://e.com/CAF%C3%89', 'https://e.com/caf%c3%a9'])
    expectMatches('/café/*', ['https://e.com/caf%C3%A9/menu'])
    expectMatches('/a%20b', ['https://e.com/a%20b'], ['https://e.com/a+b'])
    // An encoded slash stays inside its segment; an encoded asterisk is a literal asterisk.
    expectMatches('/a%2Fb', ['https://e.com/a%2fb'], ['https://e.com/a/b'])
    expectMatches('/a%2A', ['https://e.com/a*'], ['https://e.com/ab'])
    expectMatches('/100%-free', ['https://e.com/100%-free'])
  })

  it('url pattern: international domain names match their punycode form', () => {
    expectMatches('bücher.de/a', ['https://xn--bcher-kva.de/a', 'https://BÜCHER.de/a'])
  })

  it('url pattern: empty segments in a URL are ignored', () => {
    expectMatches('/a/b', ['https://e.com/a//b', 'https://e.com//a/b//'])
  })
})

describe('url pattern: validation', () => {
  const invalid: Array<[string, string]> = [
    ['empty', ''],
    ['whitespace only', '   '],
    ['a space', '/a b'],
    ['a tab', '/a\tb'],
    ['a newline', '/a\nb'],
    ['a control character', '/a\u0000b'],
    ['a DEL character', '/a\u007fb'],
    ['too long', `/${'a'.repeat(MAX_PATTERN_LENGTH)}`],
    ['`***`', '/a/***'],
    ['`**` inside a segment', '/docs**'],
    ['`**` inside a host label', 'a**.example.com/'],
    ['a fragment', '/a#b'],
    ['another scheme', 'javascript://alert(1)'],
    ['a bare word', 'pricing'],
    ['a bare word with wildcard', '*/pricing'],
    ['user info', 'user@example.com/a'],
    ['a port out of range', 'example.com:70000/a'],
    ['an empty port', 'example.com:/a'],
    ['an empty host label', 'example..com/a'],
    ['an impossible host', 'exa<mple.com/a'],
    ['a dot segment', '/a/../b'],
    ['a nameless query parameter', '/a?=1'],
    ['a wildcard in a query name', '/a?utm_*=1'],
  ]
  it.each(invalid)('url pattern: refuses %s', (_, pattern) => {
    expect(validatePattern(pattern)).toEqual(expect.any(String))
  })

  it.each([
    ['the root', '/'],
    ['`**` at the end', '/pricing/**'],
    ['a host and a middle wildcard', 'example.com/*/test.php'],
    ['a scheme, www and a query', 'https://www.example.com/a?b=1'],
    ['a host wildcard', '**.example.com'],
    ['localhost with a port', 'localhost:3000/a'],
    ['the longest pattern', `/${'a'.repeat(MAX_PATTERN_LENGTH - 1)}`],
  ])('url pattern: accepts %s', (_, pattern) => {
    expect(validatePattern(pattern)).toBeNull()
  })

  it('url pattern: an invalid stored row never matches, and the valid rows of its rule still do', () => {
    const rules = compileRules([rule('r', ['/a/***', 0], ['/b', 7])])
    expect(matchingRules(rules, 'https://e.com/a/x/y')).toEqual([])
    expect(matchingRules(rules, 'https://e.com/b').map((m) => m.minMs)).toEqual([7000])
  })
})

describe('url pattern: the user guide', () => {
  it('url pattern: every example in docs/url-patterns.md holds', () => {
    const doc = readFileSync(new URL('../../../docs/url-patterns.md', import.meta.url), 'utf8')
    const rows = doc.split('\n').filter((line) => /^\| `/.test(line))
    expect(rows.length).toBeGreaterThan(10)
    const codes = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1] ?? '')
    const asUrl = (example: string) => (example.startsWith('/') ? `https://site.test${example}` : `https://${example}`)
    for (const row of rows) {
      const [patterns = '', yes = '', no = ''] = row.split('|').slice(1, 4)
      for (const pattern of codes(patterns)) expectMatches(pattern, codes(yes).map(asUrl), codes(no).map(asUrl))
    }
  })
})
