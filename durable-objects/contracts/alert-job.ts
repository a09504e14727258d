// What a contact's object hands to delivery: everything the message needs, so the queue
// consumer never calls back into the object. Written once as valibot schemas; the types are
// inferred from them, and the queue consumer validates every message with them.
import * as v from 'valibot'

export const ContactSnapshot = v.object({
  id: v.string(),
  workspaceId: v.string(),
  email: v.string(),
  name: v.string(),
  company: v.string(),
  phone: v.string(),
  ownerEmail: v.nullable(v.string()),
  ownerName: v.nullable(v.string()),
  tags: v.array(v.string()),
  score: v.number(),
  /** form | identify | verified-identify */
  identifiedBy: v.string(),
})
export type ContactSnapshot = v.InferOutput<typeof ContactSnapshot>

export const ActivityItem = v.object({
  /** `contact-created`: this contact's first identification (the "contact created" signal). */
  type: v.picklist(['pageview', 'form', 'track', 'identify', 'contact-created']),
  at: v.number(),
  url: v.optional(v.string()),
  title: v.optional(v.string()),
  visibleMs: v.optional(v.number()),
  detail: v.optional(v.record(v.string(), v.union([v.string(), v.number(), v.boolean()]))),
})
export type ActivityItem = v.InferOutput<typeof ActivityItem>

export const AlertJob = v.object({
  kind: v.literal('alert'),
  /** Idempotency key: alert, contact, calendar period, n-th alert of that period. */
  alertKey: v.string(),
  alertId: v.string(),
  workspaceId: v.string(),
  firedAt: v.number(),
  contact: ContactSnapshot,
  visit: v.object({ url: v.string(), title: v.string(), visibleMs: v.number(), startedAt: v.number() }),
  recentActivity: v.array(ActivityItem),
})
export type AlertJob = v.InferOutput<typeof AlertJob>
