// The workspace's active alert rules, shared by every contact object of this isolate: one D1
// read per workspace and rules version, not one per object. Without it every new contact (every
// identify of a new e-mail) read the alerts from D1 on its first event, on the collect path. The
// rules version the collect worker hands each object names the rules; a newer version is a new
// entry (as campaign-set-cache.ts does for the campaign set).
import { createDb } from '../worker/db/client'
import { listPageRules } from '../worker/db/queries/rules'
import type { PageRule } from './rules/page-rules'

/** Workspaces kept at once; the least recently used goes first. */
const MAX_WORKSPACES = 64

const cache = new Map<string, { version: number; loading: Promise<PageRule[]> }>()

export function alertRulesFor(env: Env, workspaceId: string, version: number): Promise<PageRule[]> {
  const hit = cache.get(workspaceId)
  if (hit?.version === version) {
    // Re-inserted: Map order is the recency order.
    cache.delete(workspaceId)
    cache.set(workspaceId, hit)
    return hit.loading
  }
  const loading = listPageRules(createDb(env.DB), workspaceId)
  // Objects asking at once share one read; a failed read is not kept.
  const entry = { version, loading }
  cache.set(workspaceId, entry)
  loading.catch(() => {
    if (cache.get(workspaceId) === entry) cache.delete(workspaceId)
  })
  if (cache.size > MAX_WORKSPACES) cache.delete(cache.keys().next().value!)
  return loading
}
