// The isolate-wide cache per workspace and rules version: a newer version is read, an older one
// (an edge whose site cache has not renewed yet) is served the newer entry without a read.
import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { workspaceVersionCache } from '../../../durable-objects/workspace-version-cache'

function countingCache() {
  const reads: string[] = []
  let content = 0
  const cache = workspaceVersionCache((_env, workspaceId) => {
    reads.push(workspaceId)
    return Promise.resolve(++content)
  })
  return { reads, get: (workspaceId: string, version: number) => cache(env, workspaceId, version) }
}

describe('workspace version cache', () => {
  it('reads once per workspace and newer version', async () => {
    const { reads, get } = countingCache()
    expect(await get('ws_a', 1)).toBe(1)
    expect(await get('ws_a', 1)).toBe(1)
    expect(await get('ws_a', 2)).toBe(2)
    expect(await get('ws_b', 1)).toBe(3)
    expect(reads).toEqual(['ws_a', 'ws_a', 'ws_b'])
  })

  it('serves an older version the newer entry, so two versions alternating read nothing more', async () => {
    const { reads, get } = countingCache()
    expect(await get('ws_a', 5)).toBe(1)
    for (const version of [4, 5, 4, 3, 5]) expect(await get('ws_a', version)).toBe(1)
    expect(reads).toEqual(['ws_a'])
  })
})
