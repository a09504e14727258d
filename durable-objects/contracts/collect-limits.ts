// Rate limits of the collect endpoint (per site, in the worker) and of each visitor (in the
// shard that holds it). Why these numbers: the script sends a page view, a heartbeat every
// 15 s and a beacon on leaving, so a real visitor stays far below 30 requests in 10 s; a
// site's limit only stops floods (it is per isolate, see docs/collection.md).
export const VISITOR_LIMIT = { requests: 30, windowMs: 10_000 }
export const SITE_LIMIT = { requests: 5_000, windowMs: 1_000 }
