// Delivers one alert job exactly once as far as the transport allows. The job goes into its
// outbox row first (unique alert key; the row keeps the job, so the sweeper and "Re-send" can
// queue it again), then: earlier attempts are honoured (`outbox-send.ts`), an alert switched
// OFF meanwhile is recorded `skipped`, the recipients not yet served are resolved, the content
// rendered and the flood cap applied, and only then is the row claimed and the message sent.
// Anything that fails before the claim leaves the row pending for the retry.
import type { AlertJob } from '../../durable-objects/contracts/alert-job'
import type { QueueJob } from '../../durable-objects/contracts/queue-job'
import type { Db } from '../db/client'
import { alertForDelivery, openDelivery } from '../db/queries/deliveries'
import type { DeliveryConfig } from './config'
import { renderAlert } from './content/render-alert'
import { applyFloodCap, secondsUntilHourEnds } from './flood-cap'
import { alertOutboxEntry } from './outbox-entries'
import { checkEarlierAttempts, sendClaimed, type DeliveryOutcome } from './outbox-send'
import { resolveRecipients, type Recipients } from './recipients'
import { RETRY_WINDOW_MS } from './retry-schedule'
import type { Transport } from './transports/transport'

export type DeliveryContext = {
  db: Db
  config: DeliveryConfig
  transport: Transport
  /** Where digest jobs are scheduled: the alerts queue itself (only sendBatch is needed). */
  queue: { sendBatch(messages: Iterable<MessageSendRequest<QueueJob>>): Promise<unknown> }
  now: () => number
  /** The worker's bindings, for jobs that reach contact objects (the lists recheck); absent in tests of other jobs. */
  env?: Env
}

export const ALERT_OFF = 'the alert is OFF; nothing sent'

export async function deliverAlert(ctx: DeliveryContext, job: AlertJob): Promise<DeliveryOutcome> {
  const { db, transport } = ctx
  const now = ctx.now()
  const found = await alertForDelivery(db, job.workspaceId, job.alertId)
  if (!found) {
    // Deleting an alert deletes its outbox history, so there is no row to record this on.
    console.warn(`alert ${job.alertId} no longer exists; job ${job.alertKey} dropped`)
    return { outcome: 'skipped' }
  }
  const row = await openDelivery(
    db,
    {
      alertKey: job.alertKey,
      workspaceId: job.workspaceId,
      alertId: job.alertId,
      contactId: job.contact.id,
      transport: transport.name,
      job,
    },
    { now, retryUntil: now + RETRY_WINDOW_MS },
  )
  if (!row) throw new Error('outbox row missing after insert')
  const entry = alertOutboxEntry(db, row, { now, transport: transport.name })
  const earlier = await checkEarlierAttempts(entry, transport)
  if (earlier) return earlier

  const { alert, creatorEmail } = found
  if (!alert.active) return entry.skip(ALERT_OFF)
  const recipients = resolveRecipients({
    creator: alert.notifyCreator ? creatorEmail : null,
    owner: alert.notifyOwner ? job.contact.ownerEmail : null,
    cc: alert.cc,
  })
  const notes = [...recipients.dropped]
  if (recipients.to.length === 0) return entry.fail(['no reachable recipient', ...notes].join('; '))
  // A retry or a re-send goes only to those not yet served.
  const pending = entry.toSend([...recipients.to, ...recipients.cc])
  if (pending.length === 0) return entry.close('skipped', 'nothing left to send: every recipient was served')

  const rendered = await renderAlert(job, alert)
  notes.push(...rendered.warnings)
  const flood = await applyFloodCap(db, {
    job,
    deliveryId: row.id,
    recipients: pending,
    cap: ctx.config.ALERTS_PER_RECIPIENT_HOUR,
    data: rendered.data,
    now,
  })
  if (flood.digests.length) {
    const delaySeconds = secondsUntilHourEnds(flood.digests[0]!.hourStart, now)
    await ctx.queue.sendBatch(flood.digests.map((body) => ({ body, delaySeconds })))
    entry.fold(flood.folded)
    notes.push(`folded into the hourly digest for ${flood.folded.join(', ')}`)
  }
  if (flood.now.length === 0) return entry.close('digested', notes.join('; '))
  const to = only(recipients, flood.now)
  return sendClaimed(entry, transport, { alertKey: job.alertKey, kind: 'alert', from: ctx.config.MAIL_FROM, ...to, ...rendered }, notes)
}

/** Keeps the To/Cc roles of the recipients still to be sent to now; Cc moves up if To is empty. */
function only(recipients: Recipients, keep: string[]): { to: string[]; cc: string[] } {
  const set = new Set(keep)
  const to = recipients.to.filter((a) => set.has(a))
  const cc = recipients.cc.filter((a) => set.has(a))
  return to.length ? { to, cc } : { to: cc, cc: [] }
}
