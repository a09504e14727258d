// The only way to reach a contact's Durable Object or the shard that holds an anonymous visitor.
export const contactStub = (env: Env, contactId: string) => env.CONTACTS.get(env.CONTACTS.idFromName(`contact:${contactId}`))

/**
 * Anonymous visitors of a site live in this many objects, so the objects stay warm instead of
 * one being created per visitor. One object serves roughly a thousand requests per second;
 * 64 of them leave a site far more headroom than its request quota (site-quota.ts) lets through.
 * Changing it moves visitors to other shards (their ledgers and links stay behind): never
 * change it once deployed without moving the data.
 */
export const VISITOR_SHARDS = 64

/** FNV-1a over the id's UTF-16 code units: stable across isolates and releases, no async crypto. */
export function visitorShard(visitorId: string): number {
  let hash = 0x811c9dc5
  for (let i = 0; i < visitorId.length; i++) hash = Math.imul(hash ^ visitorId.charCodeAt(i), 0x01000193)
  return (hash >>> 0) % VISITOR_SHARDS
}

export const visitorStub = (env: Env, siteId: string, visitorId: string) =>
  env.VISITORS.get(env.VISITORS.idFromName(`visitors:${siteId}:${visitorShard(visitorId)}`))
