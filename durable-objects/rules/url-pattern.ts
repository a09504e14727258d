// The URL pattern language of page rules (SPEC §3 B; user guide in docs/url-patterns.md).
// Pure and runtime-neutral (Workers and Node). A pattern is parsed once into parts; URLs are
// normalized once per event; both sides go through the same case folding and percent-decoding,
// so a pattern matches exactly what its normalized form says.
//   `*`  one path segment (or part of one): `/blog/*/post`, `/files/*.pdf`
//   `**` any number of segments, none included: `/pricing/**` ~ /pricing, /pricing/team/a
// Patterns without a host match on the path alone (the event already came from a site domain).

/** One path segment or host label of a pattern. A glob's pieces are the text between its `*`s. */
export type Part = { kind: 'text'; text: string } | { kind: 'glob'; pieces: readonly string[] } | { kind: 'deep' }

export type HostPattern = { labels: readonly Part[]; /** null = any port */ port: string | null }

/** A query parameter the URL must carry; `value` is a glob (a single piece = exact value). */
export type QueryCondition = { name: string; value: readonly string[] }

export type CompiledPattern = {
  source: string
  /** null = the site's own domains. */
  host: HostPattern | null
  path: readonly Part[]
  /** Empty = the URL's query string is ignored. */
  query: readonly QueryCondition[]
}

export type NormalizedUrl = {
  /** Lowercase, without a leading `www.` or a trailing dot. */
  host: string
  labels: readonly string[]
  /** Effective port: the explicit one or the scheme's default. */
  port: string
  /** Decoded, lowercase, non-empty segments. */
  segments: readonly string[]
  query: ReadonlyMap<string, readonly string[]>
}

export const MAX_PATTERN_LENGTH = 2048

const DEEP: Part = { kind: 'deep' }
const DEFAULT_PORTS: Record<string, string> = { 'http:': '80', 'https:': '443' }

function decodeSafe(text: string): string {
  if (!text.includes('%')) return text
  try {
    return decodeURIComponent(text)
  } catch {
    // A stray `%` (as in /100%-free) is kept as written, on both sides alike.
    return text
  }
}

/** Case folding and percent-decoding shared by patterns and URLs. */
const fold = (text: string) => decodeSafe(text).toLowerCase()

const decodeQueryText = (text: string) => fold(text.replace(/\+/g, ' '))

function stripHost(host: string): string {
  const bare = host.endsWith('.') ? host.slice(0, -1) : host
  return bare.startsWith('www.') && bare.length > 4 ? bare.slice(4) : bare
}

export function normalizeUrl(url: string): NormalizedUrl | null {
  if (!URL.canParse(url)) return null
  const u = new URL(url)
  const defaultPort = DEFAULT_PORTS[u.protocol]
  if (!defaultPort) return null
  const host = stripHost(u.hostname.toLowerCase())
  const query = new Map<string, string[]>()
  for (const [name, value] of u.searchParams) {
    const key = name.toLowerCase()
    const values = query.get(key)
    if (values) values.push(value.toLowerCase())
    else query.set(key, [value.toLowerCase()])
  }
  return {
    host,
    labels: host.split('.'),
    port: u.port || defaultPort,
    segments: u.pathname
      .split('/')
      .filter((s) => s !== '')
      .map(fold),
    query,
  }
}

export function globMatches(pieces: readonly string[], text: string): boolean {
  const first = pieces[0] ?? ''
  if (pieces.length === 1) return text === first
  const last = pieces[pieces.length - 1] ?? ''
  if (text.length < first.length + last.length || !text.startsWith(first) || !text.endsWith(last)) return false
  let at = first.length
  const end = text.length - last.length
  for (let i = 1; i < pieces.length - 1; i++) {
    const piece = pieces[i] ?? ''
    const found = text.indexOf(piece, at)
    if (found < 0 || found + piece.length > end) return false
    at = found + piece.length
  }
  return true
}

export function partMatches(part: Part, item: string): boolean {
  return part.kind === 'text' ? part.text === item : part.kind === 'glob' && globMatches(part.pieces, item)
}

/**
 * Whether `parts` match `items` (segments or labels) as a whole. The classic wildcard walk:
 * on a mismatch, only the latest `**` needs to take one more item, so this is O(parts × items).
 */
export function partsMatch(parts: readonly Part[], items: readonly string[]): boolean {
  let p = 0
  let i = 0
  let deepAt = -1
  let deepFrom = 0
  while (i < items.length) {
    const part = parts[p]
    if (part?.kind === 'deep') {
      deepAt = p++
      deepFrom = i
    } else if (part && partMatches(part, items[i] ?? '')) {
      p++
      i++
    } else if (deepAt >= 0) {
      p = deepAt + 1
      i = ++deepFrom
    } else return false
  }
  while (parts[p]?.kind === 'deep') p++
  return p === parts.length
}

export function hostMatches(host: HostPattern, url: NormalizedUrl): boolean {
  return (host.port === null || host.port === url.port) && partsMatch(host.labels, url.labels)
}

export function queryMatches(query: readonly QueryCondition[], url: NormalizedUrl): boolean {
  return query.every(({ name, value }) => url.query.get(name)?.some((v) => globMatches(value, v)) ?? false)
}

export function matchesPattern(pattern: CompiledPattern, url: NormalizedUrl): boolean {
  return (
    (pattern.host === null || hostMatches(pattern.host, url)) && partsMatch(pattern.path, url.segments) && queryMatches(pattern.query, url)
  )
}

// ---- Parsing ---------------------------------------------------------------------------------

class PatternError extends Error {}

function fail(reason: string): never {
  throw new PatternError(reason)
}

/** One path segment or host label: `**`, a glob, or text (folded like the URL side). */
function parsePart(raw: string, where: 'path segment' | 'host label'): Part {
  if (raw === '**') return DEEP
  if (raw.includes('**')) fail(`\`**\` must be a whole ${where}, as in ${where === 'path segment' ? '/docs/**' : '**.example.com'}`)
  // Wildcards are found before decoding, so an encoded `%2A` stays a literal asterisk.
  if (raw.includes('*')) return { kind: 'glob', pieces: raw.split('*').map(fold) }
  return { kind: 'text', text: fold(raw) }
}

function parsePath(path: string): Part[] {
  const parts: Part[] = []
  for (const raw of path.split('/')) {
    if (raw === '') continue
    if (raw === '.' || raw === '..') fail('`.` and `..` segments never occur in a page address')
    const part = parsePart(raw, 'path segment')
    // `**/**` means no more than `**`.
    if (part.kind === 'deep' && parts[parts.length - 1]?.kind === 'deep') continue
    parts.push(part)
  }
  return parts
}

function parseHost(hostPort: string): HostPattern {
  if (hostPort.includes('@')) fail('a user name or password has no place in a pattern')
  const portMatch = /^(.*):(\d*)$/.exec(hostPort)
  const host = portMatch && !hostPort.endsWith(']') ? (portMatch[1] ?? '') : hostPort
  const port = portMatch && !hostPort.endsWith(']') ? (portMatch[2] ?? '') : null
  if (port !== null && !(Number(port) >= 1 && Number(port) <= 65535)) fail('the port must be a number from 1 to 65535')
  if (host === '') fail('the host is empty')
  if (/^\.|\.\./.test(host)) fail('the host has an empty label (`..`)')
  if (!host.includes('*')) {
    const name = hostname(host)
    if (name === null) fail(`"${host}" is not a valid host`)
    return {
      labels: stripHost(name)
        .split('.')
        .map((text) => ({ kind: 'text', text })),
      port,
    }
  }
  const parts: Part[] = []
  for (const label of stripHost(host.toLowerCase()).split('.')) {
    if (label.includes('*')) {
      if (!/^[a-z0-9_*-]+$/.test(label)) fail('a host label with `*` may hold only letters a–z, digits, `-` and `_`')
      parts.push(parsePart(label, 'host label'))
    } else {
      const name = hostname(label)
      if (name === null) fail(`"${label}" is not a valid host label`)
      parts.push({ kind: 'text', text: name })
    }
  }
  return { labels: parts, port }
}

// Thousands of patterns name the same few hosts; the URL parser is the slow part of compiling.
const hostnames = new Map<string, string | null>()

/** The URL parser's form of a host (lowercase, IDN as punycode), or null if it is impossible. */
function hostname(host: string): string | null {
  let name = hostnames.get(host)
  if (name === undefined) {
    name = URL.canParse(`http://${host}/`) ? new URL(`http://${host}/`).hostname : null
    if (hostnames.size >= 1000) hostnames.clear()
    hostnames.set(host, name)
  }
  return name
}

function parseQuery(query: string): QueryCondition[] {
  const conditions: QueryCondition[] = []
  for (const pair of query.split('&')) {
    if (pair === '') continue
    const eq = pair.indexOf('=')
    const rawName = eq < 0 ? pair : pair.slice(0, eq)
    if (rawName === '') fail('a query parameter has no name')
    if (rawName.includes('*')) fail('wildcards may stand in query values, not in names')
    // `?ref` asks only that the parameter be present, like `?ref=*`.
    const rawValue = eq < 0 ? '*' : pair.slice(eq + 1)
    conditions.push({ name: decodeQueryText(rawName), value: rawValue.split('*').map(decodeQueryText) })
  }
  return conditions
}

function parse(source: string): CompiledPattern {
  if (source.length === 0) fail('the pattern is empty')
  if (source.length > MAX_PATTERN_LENGTH) fail(`the pattern is longer than ${MAX_PATTERN_LENGTH} characters`)
  // eslint-disable-next-line no-control-regex -- control characters are what it looks for
  if (/[\u0000-\u001f\u007f-\u009f]/.test(source)) fail('the pattern contains a control character')
  if (/\s/.test(source)) fail('the pattern contains whitespace (write a space in a path as %20)')
  if (source.includes('***')) fail('`***` is not a wildcard: use `*` (one segment) or `**` (any depth)')
  if (source.includes('#')) fail('the part after `#` is never sent by browsers, so it cannot be matched')

  let rest = source
  let hasScheme = false
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(rest)
  if (scheme) {
    if (!['http', 'https'].includes((scheme[1] ?? '').toLowerCase())) fail('only http:// and https:// addresses can be matched')
    rest = rest.slice(scheme[0].length)
    hasScheme = true
  } else if (rest.startsWith('//')) {
    rest = rest.slice(2)
    hasScheme = true
  }

  const queryAt = rest.indexOf('?')
  const query = queryAt >= 0 ? rest.slice(queryAt + 1) : ''
  if (queryAt >= 0) rest = rest.slice(0, queryAt)

  let host: HostPattern | null = null
  let path = rest
  if (hasScheme || !rest.startsWith('/')) {
    const slashAt = rest.indexOf('/')
    const hostPort = slashAt >= 0 ? rest.slice(0, slashAt) : rest
    if (!hasScheme && !/[.:]/.test(hostPort) && hostPort.toLowerCase() !== 'localhost') {
      fail('start a path with `/` (as in /pricing) or give a domain (as in example.com/pricing)')
    }
    host = parseHost(hostPort)
    path = slashAt >= 0 ? rest.slice(slashAt) : '/'
  }
  return { source, host, path: parsePath(path), query: parseQuery(query) }
}

export type ParsedPattern = { ok: true; pattern: CompiledPattern } | { ok: false; reason: string }

export function parsePattern(source: string): ParsedPattern {
  try {
    return { ok: true, pattern: parse(source) }
  } catch (err) {
    if (err instanceof PatternError) return { ok: false, reason: err.message }
    throw err
  }
}

/** Why a pattern cannot be saved, or null when it is valid. For the admin API. */
export function validatePattern(source: string): string | null {
  const parsed = parsePattern(source)
  return parsed.ok ? null : parsed.reason
}

/** The compiled pattern, or null for an invalid one (which then matches nothing). */
export function compilePattern(source: string): CompiledPattern | null {
  const parsed = parsePattern(source)
  return parsed.ok ? parsed.pattern : null
}
