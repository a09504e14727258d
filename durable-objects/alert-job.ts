// What a contact's object hands to delivery: everything the message needs, so the queue
// consumer never calls back into the object.

export type ContactSnapshot = {
  id: string
  workspaceId: string
  email: string
  name: string
  company: string
  phone: string
  ownerEmail: string | null
  ownerName: string | null
  tags: string[]
  score: number
  /** form | identify | verified-identify */
  identifiedBy: string
}

export type ActivityItem = {
  /** `contact-created`: this contact's first identification (the "contact created" signal). */
  type: 'pageview' | 'form' | 'track' | 'identify' | 'contact-created'
  at: number
  url?: string
  title?: string
  visibleMs?: number
  detail?: Record<string, string | number | boolean>
}

export type AlertJob = {
  /** Idempotency key: alert, contact, calendar period, n-th alert of that period. */
  alertKey: string
  alertId: string
  workspaceId: string
  firedAt: number
  contact: ContactSnapshot
  visit: { url: string; title: string; visibleMs: number; startedAt: number }
  recentActivity: ActivityItem[]
}
