// The URL pattern language of page rules (SPEC §3 B). Pure; compiled once per rule set.
//   `*`  matches within one path segment      `/blog/*/post` ~ /blog/2024/post
//   `**` matches any depth, the page itself included   `/pricing/**` ~ /pricing, /pricing/team/a
// Patterns without a host apply to the site's own domains. Matching ignores case, a trailing
// slash, the fragment, a leading `www.`, and the query string unless the pattern has one.

export type CompiledPattern = {
  source: string
  host: RegExp | null
  path: RegExp
  /** Query parameters the URL must carry (name → value regex); empty = query ignored. */
  query: Array<[string, RegExp]>
}

const escapeRegex = (s: string) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')

const stripTrailingSlash = (path: string) => (path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path)

/** Regex source for one path or host with `*` (one segment) and `**` (any depth). */
function wildcardSource(text: string, segmentChar: string): string {
  let out = ''
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!
    if (ch === '*' && text[i + 1] === '*') {
      i++
      // `/**` may also match nothing at all, so `/pricing/**` covers `/pricing` itself.
      if (out.endsWith('/')) {
        out = out.slice(0, -1) + `(?:/.*)?`
        if (text[i + 1] === '/') i++, (out += '/')
      } else out += '.*'
    } else if (ch === '*') out += `[^${segmentChar}]*`
    else out += escapeRegex(ch)
  }
  return out
}

function splitPattern(pattern: string): { host: string | null; path: string; query: string } {
  let rest = pattern.trim().toLowerCase().replace(/^[a-z]+:\/\//, '')
  const hashAt = rest.indexOf('#')
  if (hashAt >= 0) rest = rest.slice(0, hashAt)
  const queryAt = rest.indexOf('?')
  const query = queryAt >= 0 ? rest.slice(queryAt + 1) : ''
  if (queryAt >= 0) rest = rest.slice(0, queryAt)
  if (rest.startsWith('/')) return { host: null, path: rest, query }
  const slashAt = rest.indexOf('/')
  const host = slashAt >= 0 ? rest.slice(0, slashAt) : rest
  const path = slashAt >= 0 ? rest.slice(slashAt) : '/'
  return { host: host.replace(/^www\./, ''), path, query }
}

export function compilePattern(source: string): CompiledPattern {
  const { host, path, query } = splitPattern(source)
  const pathSource = wildcardSource(stripTrailingSlash(path || '/'), '/')
  return {
    source,
    host: host === null ? null : new RegExp(`^${wildcardSource(host, '.')}$`),
    path: new RegExp(`^${pathSource}/?$`),
    query: [...new URLSearchParams(query)].map(([name, value]) => [
      name,
      new RegExp(`^${wildcardSource(value, '&')}$`),
    ]),
  }
}

export type NormalizedUrl = { host: string; path: string; query: URLSearchParams }

export function normalizeUrl(url: string): NormalizedUrl | null {
  if (!URL.canParse(url)) return null
  const u = new URL(url)
  return {
    host: u.hostname.toLowerCase().replace(/^www\./, ''),
    path: stripTrailingSlash(decodeURIComponentSafe(u.pathname).toLowerCase()),
    query: new URLSearchParams(u.search.toLowerCase()),
  }
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s)
  } catch {
    return s
  }
}

export function matchesPattern(pattern: CompiledPattern, url: NormalizedUrl): boolean {
  if (pattern.host && !pattern.host.test(url.host)) return false
  if (!pattern.path.test(url.path)) return false
  return pattern.query.every(([name, value]) => url.query.getAll(name).some((v) => value.test(v)))
}
