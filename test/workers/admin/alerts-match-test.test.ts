// "Does this page match?" (wizard step B and POST /api/v1/alerts/match-test): the rules of SPEC §3
// B as the product's own matcher applies them, each verdict with its reason, on a workspace whose
// site is shop.test; the wizard's Test button without script and the fragment its script fetches.
import { beforeAll, describe, expect, it } from 'vitest'
import { api, apiJson, createAdminWorkspace, logIn, PASSWORD, web, type AdminFixture } from './admin-fixture'

type Row = { pattern: string; valid: boolean; matches: boolean; reason: string; notes: string[] }
type MatchTest = { url: string; matches: boolean; fromYourSites: boolean; rows: Row[]; notes: string[] }

let ws: AdminFixture

beforeAll(async () => {
  ws = await createAdminWorkspace()
})

const tryUrl = (url: string, ...patterns: string[]) =>
  apiJson<MatchTest>(ws.marketer.token, 'POST', '/alerts/match-test', { url, patterns })

describe('match tester API: SPEC §3 B, to the letter', () => {
  const cases: Array<[pattern: string, url: string, matches: boolean]> = [
    // `**` matches any depth, the page itself included.
    ['/pricing/**', 'https://shop.test/pricing', true],
    ['/pricing/**', 'https://shop.test/pricing/', true],
    ['/pricing/**', 'https://shop.test/pricing/team/a', true],
    ['/pricing/**', 'https://shop.test/pricingx', false],
    // `*` matches within one path segment.
    ['/blog/*', 'https://shop.test/blog/hello', true],
    ['/blog/*', 'https://shop.test/blog/2026/hello', false],
    ['/files/report-*.pdf', 'https://shop.test/files/report-2026.pdf', true],
    // Wildcards in the middle, with a host.
    ['example.com/*/test.php', 'https://example.com/a/test.php', true],
    ['example.com/*/test.php', 'https://www.example.com/b/test.php', true],
    ['example.com/*/test.php', 'https://example.com/test.php', false],
    ['example.com/*/test.php', 'https://shop.example.com/a/test.php', false],
    // The query string is ignored unless the pattern has one.
    ['/pricing', 'https://shop.test/pricing?utm_source=mail', true],
    ['/pricing?plan=team', 'https://shop.test/pricing?a=1&plan=TEAM', true],
    ['/pricing?plan=team', 'https://shop.test/pricing?plan=teams', false],
    ['/pricing?plan=team', 'https://shop.test/pricing', false],
    // Case-insensitive and trailing-slash-insensitive.
    ['/pricing', 'https://shop.test/Pricing/', true],
    ['/PRICING/Team', 'https://shop.test/pricing/team', true],
    ['/pricing', 'https://shop.test/pricing/team', false],
  ]

  it.each(cases)('%s against %s: matches = %s', async (pattern, url, matches) => {
    const test = await tryUrl(url, pattern)
    expect(test.matches).toBe(matches)
    expect(test.rows).toHaveLength(1)
    expect(test.rows[0]).toMatchObject({ pattern, valid: true, matches })
    expect(test.rows[0]?.reason === 'matches').toBe(matches)
  })

  it('applies a pattern without a host on the sites domains, and tries a bare path there', async () => {
    const test = await tryUrl('/pricing/team', '/pricing/**')
    expect(test).toMatchObject({ url: 'https://shop.test/pricing/team', matches: true, fromYourSites: true })
    expect(test.rows[0]?.notes.join(' ')).toContain('every domain of your sites (shop.test)')
    expect(test.notes.join(' ')).toContain('tested as https://shop.test/pricing/team')
  })

  it('says the pattern matches a foreign domain, but that no event ever comes from it', async () => {
    const test = await tryUrl('https://elsewhere.test/pricing', '/pricing')
    expect(test).toMatchObject({ matches: true, fromYourSites: false })
    expect(test.notes.join(' ')).toContain('elsewhere.test is not a domain of your sites (shop.test)')
    // A subdomain of a site's domain sends events, as collect accepts it.
    expect(await tryUrl('https://blog.shop.test/pricing', '/pricing')).toMatchObject({ matches: true, fromYourSites: true })
  })

  it('explains a miss: the domain, the path (with the * / ** hint), the query parameter', async () => {
    const host = await tryUrl('https://shop.test/pricing', 'example.com/pricing')
    expect(host.rows[0]?.reason).toBe('the domain differs: the page is on shop.test, the pattern names example.com')
    const star = await tryUrl('/blog/2026/hello', '/blog/*')
    expect(star.rows[0]?.reason).toContain('the path differs: /blog/2026/hello is not /blog/*')
    expect(star.rows[0]?.reason).toContain('`*` stands for exactly one path segment')
    const below = await tryUrl('/pricing/team', '/pricing')
    expect(below.rows[0]?.reason).toContain('/pricing/** also covers the pages below it')
    const missing = await tryUrl('/pricing', '/pricing?plan=team')
    expect(missing.rows[0]?.reason).toBe('the address has no `plan` parameter, which the pattern asks for')
    const other = await tryUrl('/pricing?plan=teams', '/pricing?plan=team')
    expect(other.rows[0]?.reason).toBe('`plan` is `teams`; the pattern asks for `team`')
    const port = await tryUrl('https://shop.test/a', 'shop.test:8443/a')
    expect(port.rows[0]?.reason).toBe('the pattern asks for port 8443; the page is on port 443')
  })

  it('notes what the matcher ignores: the query string, www., the #fragment, case and a trailing slash', async () => {
    const test = await tryUrl('https://www.shop.test/Pricing/?utm_source=mail#faq', '/pricing')
    expect(test.matches).toBe(true)
    expect(test.rows[0]?.notes).toContain('The query string is ignored: the pattern has none.')
    const notes = test.notes.join(' ')
    expect(notes).toContain('A leading www. is ignored.')
    expect(notes).toContain('(#faq) is never sent by browsers')
    expect(notes).toContain('compared as /pricing')
  })

  it('judges every row: the alert fires when any matches; an invalid row says why it cannot be saved', async () => {
    const test = await tryUrl('/docs/intro', '/pricing/**', 'pricing', '/docs/**')
    expect(test.matches).toBe(true)
    expect(test.rows.map((r) => [r.valid, r.matches])).toEqual([
      [true, false],
      [false, false],
      [true, true],
    ])
    expect(test.rows[1]?.reason).toContain('start a path with `/`')
  })

  it.each([
    ['an empty address', { url: ' ', patterns: ['/a'] }, 'url'],
    ['another scheme', { url: 'ftp://shop.test/a', patterns: ['/a'] }, 'url'],
    ['no address at all', { url: 'not an address', patterns: ['/a'] }, 'url'],
    ['no pattern', { url: '/a', patterns: [] }, 'patterns'],
    ['21 patterns', { url: '/a', patterns: Array.from({ length: 21 }, () => '/a') }, 'patterns'],
    ['an unknown field', { url: '/a', patterns: ['/a'], pattern: '/a' }, 'pattern'],
  ])('refuses %s: 400 naming %s', async (_, body, field) => {
    const res = await api(ws.marketer.token, 'POST', '/alerts/match-test', body)
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({ error: 'invalid test', field })
  })

  it('is for alert editors: a sales rep gets 403', async () => {
    const res = await api(ws.sales.token, 'POST', '/alerts/match-test', { url: '/a', patterns: ['/a'] })
    expect(res.status).toBe(403)
  })
})

describe('match tester in the wizard', () => {
  const form = (fields: Array<[string, string]>) => new URLSearchParams(fields)

  it('answers the wizard script with the fragment: match, the row and its minimum time', async () => {
    const { cookie } = await logIn(ws.marketer.email, PASSWORD)
    const res = await web(
      cookie,
      'POST',
      '/admin/alerts/match-test',
      form([
        ['pattern', '/blog/*'],
        ['minSeconds', '0'],
        ['pattern', '/pricing/**'],
        ['minSeconds', '30'],
        ['testUrl', '/pricing/team'],
      ]),
    )
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html).toContain('data-verdict="match"')
    expect(html).toContain('(row 2, after 30 s on the page)')
    expect(html).toMatch(/data-row="0" data-matches="no"/)
    expect(html).not.toContain('<html')
  })

  it('escapes what was typed', async () => {
    const { cookie } = await logIn(ws.marketer.email, PASSWORD)
    const res = await web(
      cookie,
      'POST',
      '/admin/alerts/match-test',
      form([
        ['pattern', '/<b>x'],
        ['minSeconds', '0'],
        ['testUrl', '/<script>alert(1)</script>'],
      ]),
    )
    const html = await res.text()
    expect(html).not.toContain('<script>')
    expect(html).not.toContain('<b>x')
  })

  it('works without script: the Test button re-renders the wizard with the answer and saves nothing', async () => {
    const { cookie } = await logIn(ws.marketer.email, PASSWORD)
    const before = await apiJson<{ alerts: unknown[] }>(ws.admin.token, 'GET', '/alerts')
    const res = await web(
      cookie,
      'POST',
      '/admin/alerts/new',
      form([
        ['name', 'Pricing readers'],
        ['pattern', '/pricing'],
        ['minSeconds', '10'],
        ['frequency', 'day'],
        ['notifyOwner', 'on'],
        ['testUrl', 'https://elsewhere.test/pricing/team'],
        ['action', 'test-url'],
      ]),
    )
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html).toContain('value="https://elsewhere.test/pricing/team"')
    expect(html).toContain('data-verdict="no-match"')
    expect(html).toContain('/pricing/** also covers the pages below it')
    expect(html).toContain('elsewhere.test is not a domain of your sites')
    expect(html).toContain('value="Pricing readers"')
    expect(await apiJson<{ alerts: unknown[] }>(ws.admin.token, 'GET', '/alerts')).toEqual(before)
  })

  it('refuses a sales rep (403)', async () => {
    const { cookie } = await logIn(ws.sales.email, PASSWORD)
    const res = await web(cookie, 'POST', '/admin/alerts/match-test', form([['testUrl', '/a']]))
    expect(res.status).toBe(403)
  })
})
