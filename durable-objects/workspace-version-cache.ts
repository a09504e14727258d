// What every contact object of this isolate reads per workspace and rules version (the alert
// rules, the campaign set), shared: one D1 read per workspace and version, not one per object, so
// a new contact (every identify of a new e-mail) costs none on its first event. The rules version
// the collect worker hands each object names what to read; a newer version is a new entry, and
// an older one (an edge whose site cache has not renewed yet) is served the newer entry: versions
// only grow, so edges seeing two versions for a few seconds never make it read again and again.
import { LruMap } from './rules/lru-map'

/** Workspaces kept at once; the least recently used goes first. */
const MAX_WORKSPACES = 64

export function workspaceVersionCache<T>(load: (env: Env, workspaceId: string) => Promise<T>) {
  const cache = new LruMap<string, { version: number; loading: Promise<T> }>(MAX_WORKSPACES)
  return (env: Env, workspaceId: string, version: number): Promise<T> => {
    const hit = cache.get(workspaceId)
    if (hit && hit.version >= version) return hit.loading
    const loading = load(env, workspaceId)
    // Objects asking at once share one read; a failed read is not kept.
    const entry = { version, loading }
    cache.set(workspaceId, entry)
    loading.catch(() => {
      if (cache.peek(workspaceId) === entry) cache.delete(workspaceId)
    })
    return loading
  }
}
