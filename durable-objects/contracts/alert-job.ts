// What a contact's object hands to delivery: everything the message needs, so the queue
// consumer never calls back into the object. Written once as valibot schemas; the types are
// inferred from them, and the queue consumer validates every message with them.
import * as v from 'valibot'

/** How a visitor was linked to its contact: an e-mail typed into a form, an unsigned or a signed `identify`. */
export const IdentifiedBy = v.picklist(['form', 'identify', 'verified-identify'])
export type IdentifiedBy = v.InferOutput<typeof IdentifiedBy>

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
  /**
   * How the contact was first identified (form | identify | verified-identify), raised to
   * verified-identify once a signed identify claims it: the contact's, not any one visitor's.
   */
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
  /**
   * How the visitor whose visit fired was identified: what the alert must state, since the same
   * contact may be verified on one device and only claimed by a form on another. Absent in jobs
   * reserved before it was recorded.
   */
  identifiedBy: v.optional(IdentifiedBy),
  visit: v.object({ url: v.string(), title: v.string(), visibleMs: v.number(), startedAt: v.number() }),
  recentActivity: v.array(ActivityItem),
})
export type AlertJob = v.InferOutput<typeof AlertJob>
