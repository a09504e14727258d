// Limits of collection: the request rate of each visitor (in the shard that holds it), what a
// shard keeps of anonymous history, and how many new contacts a site may create. (A site's
// request quota is its own object's, durable-objects/site-quota.ts.) Why these numbers: the
// script sends a page view, a heartbeat every 15 s and a beacon on leaving, so a real visitor
// stays far below 30 requests in 10 s.
export const VISITOR_LIMIT = { requests: 30, windowMs: 10_000 }

/**
 * Anonymous history a visitor shard keeps until the visitor is identified; past any bound the
 * oldest events go first and are counted. A real visitor's 200 events are about 50 KB; the shard
 * bound caps a site at 64 shards × 16 MiB however many visitor ids it is sent.
 */
export const PENDING_LIMITS = {
  eventsPerVisitor: 200,
  bytesPerVisitor: 256 * 1024,
  bytesPerShard: 16 * 1024 * 1024,
}

/** New contacts a site may create per clock hour; past it an identity stays anonymous (drop reason `contact-cap`). */
export const NEW_CONTACTS_PER_SITE_HOUR = 1_000
