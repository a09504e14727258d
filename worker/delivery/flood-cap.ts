// Per-recipient flood cap: a recipient gets at most N alerts per clock hour (UTC); the rest of
// that hour's alerts for them are folded into one digest, sent when the hour ends by a queue
// message delayed until then. The hour is taken from the moment the alert fired, so a retried
// job falls in the same hour and takes the same decision.
import type { AlertJob } from '../../durable-objects/contracts/alert-job'
import type { DigestJob } from '../../durable-objects/contracts/queue-job'
import type { Db } from '../db/client'
import { openDigest, takeSlot } from '../db/queries/flood-cap'
import type { AlertTemplateData } from './content/template-data'
import { HOUR_MS, RETRY_WINDOW_MS } from './retry-schedule'

export { HOUR_MS }

export const hourStartOf = (ms: number) => Math.floor(ms / HOUR_MS) * HOUR_MS

export type FloodDecision = { now: string[]; folded: string[]; digests: DigestJob[] }

export async function applyFloodCap(
  db: Db,
  input: { job: AlertJob; deliveryId: string; recipients: string[]; cap: number; data: AlertTemplateData; now: number },
): Promise<FloodDecision> {
  const hourStart = hourStartOf(input.job.firedAt)
  const decision: FloodDecision = { now: [], folded: [], digests: [] }
  // An alert retried after its hour is over is sent: that hour's digest may be gone already.
  if (input.now >= hourStart + HOUR_MS) return { ...decision, now: input.recipients }
  const { data } = input
  const line = {
    alert: data.alert.name,
    contact: data.contact.name || data.contact.email,
    email: data.contact.email,
    page: data.visit.title,
    url: data.visit.url,
    seconds: data.visit.seconds,
    at: data.fired_at,
  }
  for (const recipient of input.recipients) {
    const key = { workspaceId: input.job.workspaceId, recipient, hourStart }
    const slot = await takeSlot(db, key, input.deliveryId, input.cap, line)
    if (!slot.folded) {
      decision.now.push(recipient)
      continue
    }
    decision.folded.push(recipient)
    // Due when the hour ends, then retried like an alert for a day.
    const digestId = await openDigest(db, key, { dueAt: hourStart + HOUR_MS, retryUntil: hourStart + HOUR_MS + RETRY_WINDOW_MS })
    decision.digests.push({ kind: 'digest', digestId, ...key, recipient: recipient.toLowerCase() })
  }
  return decision
}

/** Seconds until the digest of that hour is due (the queue caps delays at 12 hours). */
export const secondsUntilHourEnds = (hourStart: number, now: number) => Math.max(0, Math.ceil((hourStart + HOUR_MS - now) / 1000))
