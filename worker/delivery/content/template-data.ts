// The variables an alert template sees (documented in docs/delivery.md). Built once from the
// job so every template — default, imported, attachment — gets the same safe values: URLs are
// kept only when http(s), times are pre-formatted, form fields are flattened to name/value, and
// `identified_by` says how the visitor whose visit fired was identified, never more than that.
import type { ActivityItem, AlertJob, IdentifiedBy } from '../../../durable-objects/contracts/alert-job'

export type AlertTemplateData = {
  alert: { name: string; description: string; key: string }
  contact: {
    name: string
    email: string
    company: string
    phone: string
    owner: string
    owner_email: string
    tags: string[]
    score: number
    identified_by: string
  }
  visit: { url: string; title: string; seconds: number; started_at: string }
  activity: Array<{
    type: string
    at: string
    url: string
    title: string
    seconds: number | null
    fields: Array<{ name: string; value: string }>
  }>
  fired_at: string
}

/** Only absolute http(s) URLs survive; anything else (javascript:, data:, relative) becomes ''. */
export function safeUrl(raw: string | undefined): string {
  if (!raw) return ''
  // eslint-disable-next-line no-control-regex -- browsers ignore control characters in URLs; so must this check
  const trimmed = raw.replace(/[\u0000-\u0020\u007f]+/g, '')
  if (!/^https?:\/\//i.test(trimmed)) return ''
  try {
    return new URL(trimmed).href
  } catch {
    return ''
  }
}

/** "2026-11-23 14:03 UTC": readable and unambiguous without the reader's time zone. */
export const formatTime = (ms: number) => `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`

const IDENTIFIED_BY: Record<IdentifiedBy, string> = {
  form: 'form submission (e-mail not verified)',
  identify: 'identify call without signature (not verified)',
  'verified-identify': 'signed identify call (verified)',
}

/**
 * How this alert's visitor was identified. A job reserved before visits carried it has only the
 * contact's own method, which may be "verified" because of another device: then nothing is
 * claimed rather than too much. A contact that is not verified had no verified visitor, so its
 * own method claims no more than this visitor had.
 */
function identifiedBy(job: AlertJob): string {
  if (job.identifiedBy) return IDENTIFIED_BY[job.identifiedBy]
  const contactLevel = job.contact.identifiedBy
  if (contactLevel === 'form' || contactLevel === 'identify') return IDENTIFIED_BY[contactLevel]
  return 'not recorded for this visitor'
}

function activityItem(a: ActivityItem): AlertTemplateData['activity'][number] {
  return {
    type: a.type,
    at: formatTime(a.at),
    url: safeUrl(a.url),
    title: a.title ?? '',
    seconds: a.visibleMs === undefined ? null : Math.round(a.visibleMs / 1000),
    fields: Object.entries(a.detail ?? {}).map(([name, value]) => ({ name, value: String(value) })),
  }
}

export function alertTemplateData(job: AlertJob, alert: { name: string; description: string }): AlertTemplateData {
  const c = job.contact
  return {
    alert: { name: alert.name, description: alert.description, key: job.alertKey },
    contact: {
      name: c.name,
      email: c.email,
      company: c.company,
      phone: c.phone,
      owner: c.ownerName || c.ownerEmail || '',
      owner_email: c.ownerEmail ?? '',
      tags: c.tags,
      score: c.score,
      identified_by: identifiedBy(job),
    },
    visit: {
      url: safeUrl(job.visit.url),
      title: job.visit.title,
      seconds: Math.round(job.visit.visibleMs / 1000),
      started_at: formatTime(job.visit.startedAt),
    },
    activity: job.recentActivity.map(activityItem),
    fired_at: formatTime(job.firedAt),
  }
}
