// "Does this page match?": tries a page address against an alert's patterns with the product's
// own matcher (the rule engine's `matchingRules` gives the verdict, exactly as a contact's object
// would decide) and says why in words, from the matcher's parts: the domain, the path, the query,
// what is ignored. Used by wizard step B (live, and by its Test button) and the REST API.
import { compileRules, matchingRules } from '../../durable-objects/rules/page-rules'
import {
  hostMatches,
  normalizeUrl,
  parsePattern,
  partsMatch,
  queryMatches,
  type CompiledPattern,
  type NormalizedUrl,
  type Part,
} from '../../durable-objects/rules/url-pattern'
import { originAllowed } from '../collect/policy'

export type RowResult = {
  pattern: string
  /** False when the pattern cannot be saved; `reason` says why. */
  valid: boolean
  matches: boolean
  /** One sentence: why it matches or what differs. */
  reason: string
  /** What the matcher ignored or assumed for this row. */
  notes: string[]
}

export type MatchTest = {
  /** The address as tested (a path is tried on the first domain of the workspace's sites). */
  url: string
  /** True when any row matches: the alert fires on this page (after the row's minimum time). */
  matches: boolean
  /** Whether pages at this address can send events at all (its host is a domain of one of the sites). */
  fromYourSites: boolean
  rows: RowResult[]
  notes: string[]
}

export type MatchTestResult = { ok: true; test: MatchTest } | { ok: false; field: 'url'; reason: string }

const MAX_URL_LENGTH = 4096

/** The address to test: as typed when whole, else a path on the first domain, else a host without scheme. */
function resolveUrl(typed: string, domains: readonly string[]): { ok: true; url: string; note?: string } | { ok: false; reason: string } {
  const text = typed.trim()
  if (text === '') return { ok: false, reason: 'type a page address to test, such as https://example.com/pricing or /pricing' }
  if (text.length > MAX_URL_LENGTH) return { ok: false, reason: `the address is longer than ${MAX_URL_LENGTH} characters` }
  let url = text
  let note: string | undefined
  if (text.startsWith('/')) {
    const domain = domains[0]
    if (!domain) return { ok: false, reason: 'your workspace has no site yet: type a whole address (https://example.com/pricing)' }
    url = `https://${domain}${text}`
    note = `A path is tried on your site's domain: tested as ${url}.`
  } else if (!/^[a-z][a-z0-9+.-]*:/i.test(text)) {
    url = `https://${text}`
  }
  if (!URL.canParse(url)) return { ok: false, reason: 'that is not a page address: type https://example.com/pricing or /pricing' }
  if (!/^https?:$/.test(new URL(url).protocol)) return { ok: false, reason: 'only http:// and https:// pages are matched' }
  return { ok: true, url, note }
}

const pathText = (url: NormalizedUrl) => `/${url.segments.join('/')}`
const hostText = (url: NormalizedUrl, withPort: boolean) => (withPort ? `${url.host}:${url.port}` : url.host)
const quoted = (items: readonly string[], max = 3) => items.slice(0, max).join(', ') + (items.length > max ? ', …' : '')

/** The pattern as written, without scheme and query: what its host and path parts came from. */
function writtenParts(source: string): { host: string; path: string } {
  const rest = source.replace(/^([a-z][a-z0-9+.-]*:)?\/\//i, '')
  const beforeQuery = rest.split('?')[0] ?? ''
  if (beforeQuery.startsWith('/') && !/^\/\//.test(source)) return { host: '', path: beforeQuery }
  const slash = beforeQuery.indexOf('/')
  return slash < 0 ? { host: beforeQuery, path: '/' } : { host: beforeQuery.slice(0, slash), path: beforeQuery.slice(slash) }
}

const DEEP: Part = { kind: 'deep' }

/** A hint when the path is near: a lone `*` where `**` would do, or the page itself where `/**` would cover those below. */
function pathHint(pattern: CompiledPattern, url: NormalizedUrl, written: string): string | null {
  const isLoneStar = (p: Part) => p.kind === 'glob' && p.pieces.length === 2 && p.pieces[0] === '' && p.pieces[1] === ''
  if (
    pattern.path.some(isLoneStar) &&
    partsMatch(
      pattern.path.map((p) => (isLoneStar(p) ? DEEP : p)),
      url.segments,
    )
  )
    return '`*` stands for exactly one path segment; `**` for any number of them.'
  if (pattern.path.at(-1)?.kind !== 'deep' && partsMatch([...pattern.path, DEEP], url.segments))
    return `${written} is that page only; ${written.replace(/\/$/, '')}/** also covers the pages below it.`
  return null
}

function queryReason(pattern: CompiledPattern, url: NormalizedUrl): string {
  for (const { name, value } of pattern.query) {
    const values = url.query.get(name)
    const wanted = value.length === 1 && value[0] === '' ? 'empty' : value.join('*')
    if (!values) return `the address has no \`${name}\` parameter, which the pattern asks for`
    if (!queryMatches([{ name, value }], url))
      return `\`${name}\` is ${values.map((v) => `\`${v}\``).join(' / ')}; the pattern asks for \`${wanted}\``
  }
  return 'the query differs'
}

function explainRow(
  source: string,
  index: number,
  url: NormalizedUrl,
  matched: ReadonlySet<number>,
  domains: readonly string[],
): RowResult {
  const parsed = parsePattern(source.trim())
  if (!parsed.ok)
    return { pattern: source, valid: false, matches: false, reason: `this pattern cannot be saved: ${parsed.reason}`, notes: [] }
  const { pattern } = parsed
  const written = writtenParts(pattern.source)
  const notes: string[] = []
  let reason: string | null = null

  if (pattern.host === null) {
    notes.push(
      domains.length
        ? `No domain in the pattern: it applies on every domain of your sites (${quoted(domains)}).`
        : 'No domain in the pattern: it applies on every domain of your sites (you have none yet).',
    )
  } else if (!hostMatches(pattern.host, url)) {
    reason =
      pattern.host.port !== null && pattern.host.port !== url.port && partsMatch(pattern.host.labels, url.labels)
        ? `the pattern asks for port ${pattern.host.port}; the page is on port ${url.port}`
        : `the domain differs: the page is on ${hostText(url, false)}, the pattern names ${written.host}`
  }
  if (reason === null && !partsMatch(pattern.path, url.segments)) {
    const hint = pathHint(pattern, url, written.path)
    reason = `the path differs: ${pathText(url)} is not ${written.path}${hint ? ` (${hint})` : ''}`
  }
  if (pattern.query.length === 0) {
    if (url.query.size > 0) notes.push('The query string is ignored: the pattern has none.')
  } else if (reason === null && !queryMatches(pattern.query, url)) {
    reason = queryReason(pattern, url)
  } else if (reason === null) {
    notes.push('The parameters the pattern names are there (others do not matter).')
  }

  const matches = matched.has(index)
  // The verdict is the engine's; the parts above only explain it.
  if (matches) return { pattern: source, valid: true, matches, reason: 'matches', notes }
  return { pattern: source, valid: true, matches, reason: reason ?? 'does not match', notes }
}

/** Notes on what the matcher does with the address itself, whatever the pattern. */
function addressNotes(raw: URL, url: NormalizedUrl): string[] {
  const notes: string[] = []
  if (raw.hostname.toLowerCase().startsWith('www.')) notes.push('A leading www. is ignored.')
  if (raw.hash) notes.push(`The part after # (${raw.hash}) is never sent by browsers and is ignored.`)
  const path = raw.pathname
  if (path !== path.toLowerCase() || (path.length > 1 && path.endsWith('/')))
    notes.push(`Upper and lower case and a trailing / make no difference: the path is compared as ${pathText(url)}.`)
  return notes
}

/**
 * Tests `typedUrl` against `patterns` (an alert's rows) for a workspace whose sites have
 * `domains`. Invalid patterns are reported per row, not refused: the marketer is still typing.
 */
export function testMatch(typedUrl: string, patterns: readonly string[], domains: readonly string[]): MatchTestResult {
  const resolved = resolveUrl(typedUrl, domains)
  if (!resolved.ok) return { ok: false, field: 'url', reason: resolved.reason }
  const url = normalizeUrl(resolved.url)
  if (!url) return { ok: false, field: 'url', reason: 'only http:// and https:// pages are matched' }
  const rules = compileRules(
    patterns.map((pattern, i) => ({
      id: String(i),
      kind: 'alert',
      pages: [{ pattern: pattern.trim(), minSeconds: 0 }],
      limit: { count: 1, period: 'day' },
    })),
  )
  const matched = new Set(matchingRules(rules, resolved.url).map(({ rule }) => Number(rule.id)))
  const rows = patterns.map((p, i) => explainRow(p, i, url, matched, domains))
  const raw = new URL(resolved.url)
  const fromYourSites = originAllowed(raw.origin, [...domains])
  const notes = [...(resolved.note ? [resolved.note] : []), ...addressNotes(raw, url)]
  if (!fromYourSites)
    notes.push(
      domains.length
        ? `${raw.hostname} is not a domain of your sites (${quoted(domains)}): its pages send no events, so they never trigger an alert.`
        : 'Your workspace has no site yet: no page sends events until you add one.',
    )
  return { ok: true, test: { url: resolved.url, matches: rows.some((r) => r.matches), fromYourSites, rows, notes } }
}
