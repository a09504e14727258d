// A contact's timeline: its object's recent activity (pages with the visible time the server
// credited, forms with their fields, custom events, identifications) and the alerts it fired,
// named from D1 with where each stands in the outbox, and its campaign runs (started, waiting,
// done or stopped, as its object keeps them). Newest first.
import { contactStub } from '../../durable-objects/contact-stub'
import type { FiredAlert } from '../../durable-objects/contact-store'
import { createDb } from '../db/client'
import { timelineAlerts, type TimelineAlerts } from '../db/queries/contact-timeline'
import type { TimelineJson } from './contact-json'

export const TIMELINE_LIMIT = 50

function alertItem(a: FiredAlert, found: TimelineAlerts): TimelineJson {
  const delivery = found.deliveries.get(a.alertKey)
  const state = delivery ? delivery.status : a.gaveUpAt !== null ? 'gave-up' : a.queued ? 'queued' : 'reserved'
  return {
    type: 'alert',
    at: a.firedAt,
    url: a.url,
    title: a.title,
    visibleMs: a.visibleMs,
    alert: { id: a.alertId, name: found.names.get(a.alertId) ?? null, deliveryId: delivery?.id ?? null, state },
  }
}

export async function contactTimeline(
  env: Env,
  contact: { id: string; workspaceId: string },
  limit = TIMELINE_LIMIT,
): Promise<TimelineJson[]> {
  const activity = await contactStub(env, contact.id).activity(limit)
  const found = await timelineAlerts(
    createDb(env.DB),
    contact.workspaceId,
    [...new Set(activity.alerts.map((a) => a.alertId))],
    activity.alerts.map((a) => a.alertKey),
  )
  // An alert first: at the same instant it follows the page view that fired it (the sort keeps ties in order).
  const items: TimelineJson[] = [
    ...activity.alerts.map((a) => alertItem(a, found)),
    ...activity.items.map(({ type, at, url, title, visibleMs, detail }) => ({ type, at, url, title, visibleMs, detail })),
    ...activity.campaignRuns.map((r): TimelineJson => ({
      type: 'campaign',
      at: r.startedAt,
      campaign: {
        id: r.campaignId,
        name: r.campaignName,
        version: r.version,
        trigger: r.trigger,
        status: r.status,
        lastStep: r.lastStep,
        waitingUntil: r.waitingUntil,
        finishedAt: r.finishedAt,
        stopReason: r.stopReason,
      },
    })),
  ]
  return items.sort((a, b) => b.at - a.at).slice(0, limit)
}
