// Many URL patterns compiled into one index, so that finding the patterns that match a URL
// costs about the depth of the URL rather than the number of patterns. Patterns are grouped by
// host (a map for plain hosts, a short list for wildcard hosts); each group's paths share a
// trie of segments. A segment is looked up in a map of literal children; the glob children of
// a node (`post-*`, `*.pdf`) are bucketed by their literal prefix or suffix, so only the few that
// can match are tried. Same answers as `matchesPattern` on each pattern (checked by property tests).
import {
  globMatches,
  hostMatches,
  queryMatches,
  type CompiledPattern,
  type HostPattern,
  type NormalizedUrl,
  type Part,
} from './url-pattern'

type Entry<T> = { pattern: CompiledPattern; value: T }
type GlobEdge<T> = { pieces: readonly string[]; node: TrieNode<T> }
type Bucketed<T> = { byText: Map<string, GlobEdge<T>[]>; lengths: number[] }

// Most nodes have one child and no glob, so their maps and lists stay null until needed.
class TrieNode<T> {
  ends: Entry<T>[] | null = null
  text: Map<string, TrieNode<T>> | null = null
  deep: TrieNode<T> | null = null
  /** Glob children by their source, while the trie is being built. */
  globs: Map<string, GlobEdge<T>> | null = null
  byPrefix: Bucketed<T> | null = null
  bySuffix: Bucketed<T> | null = null
  /** Globs with neither a literal prefix nor suffix, such as a lone `*`. */
  otherGlobs: GlobEdge<T>[] | null = null

  constructor(readonly id: number) {}
}

const firstPiece = (e: GlobEdge<unknown>) => e.pieces[0] ?? ''
const lastPiece = (e: GlobEdge<unknown>) => e.pieces[e.pieces.length - 1] ?? ''

function bucket<T>(edges: GlobEdge<T>[], key: (e: GlobEdge<T>) => string): Bucketed<T> | null {
  if (edges.length === 0) return null
  const byText = new Map<string, GlobEdge<T>[]>()
  for (const edge of edges) {
    const k = key(edge)
    const list = byText.get(k)
    if (list) list.push(edge)
    else byText.set(k, [edge])
  }
  return { byText, lengths: [...new Set([...byText.keys()].map((k) => k.length))].sort((a, b) => a - b) }
}

/** One match in progress: the URL's segments, what was found, and the pairs already visited. */
type Walk<T> = { segments: readonly string[]; out: Entry<T>[]; seen: Set<number> | null }

class PathTrie<T> {
  private readonly nodes: TrieNode<T>[] = []
  private readonly root = this.node()
  private hasDeep = false

  private node(): TrieNode<T> {
    const n = new TrieNode<T>(this.nodes.length)
    this.nodes.push(n)
    return n
  }

  insert(path: readonly Part[], entry: Entry<T>): void {
    let at = this.root
    for (const part of path) at = this.child(at, part)
    ;(at.ends ??= []).push(entry)
  }

  private child(at: TrieNode<T>, part: Part): TrieNode<T> {
    if (part.kind === 'deep') {
      this.hasDeep = true
      return (at.deep ??= this.node())
    }
    if (part.kind === 'text') {
      const text = (at.text ??= new Map<string, TrieNode<T>>())
      let next = text.get(part.text)
      if (!next) text.set(part.text, (next = this.node()))
      return next
    }
    const globs = (at.globs ??= new Map<string, GlobEdge<T>>())
    const key = part.pieces.join('*')
    let edge = globs.get(key)
    if (!edge) globs.set(key, (edge = { pieces: part.pieces, node: this.node() }))
    return edge.node
  }

  /** Sorts every node's glob children into their lookup buckets; call once after inserting. */
  finish(): void {
    for (const n of this.nodes) {
      if (!n.globs) continue
      const edges = [...n.globs.values()]
      n.byPrefix = bucket(
        edges.filter((e) => firstPiece(e) !== ''),
        firstPiece,
      )
      n.bySuffix = bucket(
        edges.filter((e) => firstPiece(e) === '' && lastPiece(e) !== ''),
        lastPiece,
      )
      const others = edges.filter((e) => firstPiece(e) === '' && lastPiece(e) === '')
      n.otherGlobs = others.length > 0 ? others : null
      n.globs = null
    }
  }

  /** Adds to `out` the entries whose path matches `segments`. */
  collect(segments: readonly string[], out: Entry<T>[]): void {
    // Without `**` every (node, position) pair is reached at most once anyway.
    this.visit({ segments, out, seen: this.hasDeep ? new Set() : null }, this.root, 0)
  }

  private visit(walk: Walk<T>, node: TrieNode<T>, i: number): void {
    const { segments } = walk
    // Several `**` can reach one (node, position) pair by different routes; visit it once.
    if (walk.seen) {
      const key = node.id * (segments.length + 1) + i
      if (walk.seen.has(key)) return
      walk.seen.add(key)
    }
    if (node.deep) for (let j = i; j <= segments.length; j++) this.visit(walk, node.deep, j)
    const segment = segments[i]
    if (segment === undefined) {
      if (node.ends) for (const entry of node.ends) walk.out.push(entry)
      return
    }
    const literal = node.text?.get(segment)
    if (literal) this.visit(walk, literal, i + 1)
    if (node.byPrefix) {
      for (const len of node.byPrefix.lengths) {
        if (len > segment.length) break
        this.tryGlobs(walk, node.byPrefix.byText.get(segment.slice(0, len)), segment, i)
      }
    }
    if (node.bySuffix) {
      for (const len of node.bySuffix.lengths) {
        if (len > segment.length) break
        this.tryGlobs(walk, node.bySuffix.byText.get(segment.slice(segment.length - len)), segment, i)
      }
    }
    this.tryGlobs(walk, node.otherGlobs, segment, i)
  }

  private tryGlobs(walk: Walk<T>, edges: GlobEdge<T>[] | null | undefined, segment: string, i: number): void {
    if (edges) for (const e of edges) if (globMatches(e.pieces, segment)) this.visit(walk, e.node, i + 1)
  }
}

const partSource = (p: Part) => (p.kind === 'deep' ? '**' : p.kind === 'glob' ? p.pieces.join('*') : p.text)

export class PatternIndex<T> {
  private readonly anyHost = new PathTrie<T>()
  /** Plain hosts, keyed `host` (any port) or `host:port`. */
  private readonly byHost = new Map<string, PathTrie<T>>()
  private readonly wildHosts = new Map<string, { host: HostPattern; trie: PathTrie<T> }>()

  constructor(entries: Iterable<Entry<T>>) {
    for (const entry of entries) this.trieFor(entry.pattern.host).insert(entry.pattern.path, entry)
    this.anyHost.finish()
    for (const trie of this.byHost.values()) trie.finish()
    for (const { trie } of this.wildHosts.values()) trie.finish()
  }

  private trieFor(host: HostPattern | null): PathTrie<T> {
    if (host === null) return this.anyHost
    const name = host.labels.map(partSource).join('.')
    const key = host.port === null ? name : `${name}:${host.port}`
    if (host.labels.every((l) => l.kind === 'text')) {
      let trie = this.byHost.get(key)
      if (!trie) this.byHost.set(key, (trie = new PathTrie<T>()))
      return trie
    }
    let group = this.wildHosts.get(key)
    if (!group) this.wildHosts.set(key, (group = { host, trie: new PathTrie<T>() }))
    return group.trie
  }

  /** The values of all patterns matching `url`, in no particular order. */
  match(url: NormalizedUrl): T[] {
    const found: Entry<T>[] = []
    this.anyHost.collect(url.segments, found)
    this.byHost.get(url.host)?.collect(url.segments, found)
    this.byHost.get(`${url.host}:${url.port}`)?.collect(url.segments, found)
    for (const { host, trie } of this.wildHosts.values()) if (hostMatches(host, url)) trie.collect(url.segments, found)
    const values: T[] = []
    for (const { pattern, value } of found) if (queryMatches(pattern.query, url)) values.push(value)
    return values
  }
}
