// Delivers one alert job exactly once as far as the transport allows: opens its outbox row
// (unique alert key), resolves the recipients, renders the content, applies the flood cap, then
// sends by the outbox rules of `outbox-send.ts` (claim before the send; a redelivered job whose
// key was sent, failed or folded sends nothing; an interrupted send is repeated only by an
// idempotent transport).
import type { AlertJob } from '../../durable-objects/contracts/alert-job'
import type { QueueJob } from '../../durable-objects/contracts/queue-job'
import type { Db } from '../db/client'
import { alertForDelivery, openDelivery } from '../db/queries/deliveries'
import type { DeliveryConfig } from './config'
import { renderAlert } from './content/render-alert'
import { applyFloodCap, secondsUntilHourEnds } from './flood-cap'
import { alertOutboxEntry } from './outbox-entries'
import { readyToSend, sendClaimed } from './outbox-send'
import { resolveRecipients, type Recipients } from './recipients'
import { DeliveryError, type Transport } from './transports/transport'

export type DeliveryOutcome = 'sent' | 'retry' | 'failed' | 'skipped' | 'digested'

export type DeliveryContext = {
  db: Db
  config: DeliveryConfig
  transport: Transport
  /** Where digest jobs are scheduled: the alerts queue itself (only sendBatch is needed). */
  queue: { sendBatch(messages: Iterable<MessageSendRequest<QueueJob>>): Promise<unknown> }
  now: () => number
}

export async function deliverAlert(ctx: DeliveryContext, job: AlertJob): Promise<DeliveryOutcome> {
  const { db, transport } = ctx
  const found = await alertForDelivery(db, job.workspaceId, job.alertId)
  if (!found) {
    // The outbox row references the alert, so a deleted alert cannot be recorded there.
    console.warn(`alert ${job.alertId} no longer exists; job ${job.alertKey} dropped`)
    return 'skipped'
  }
  const delivery = await openDelivery(db, {
    alertKey: job.alertKey,
    workspaceId: job.workspaceId,
    alertId: job.alertId,
    contactId: job.contact.id,
    transport: transport.name,
  })
  if (!delivery) throw new Error('outbox row missing after insert')
  const entry = alertOutboxEntry(db, delivery)
  if (!(await readyToSend(entry, transport))) return 'skipped'

  const { alert, creatorEmail } = found
  const recipients = resolveRecipients({
    creator: alert.notifyCreator ? creatorEmail : null,
    owner: alert.notifyOwner ? job.contact.ownerEmail : null,
    cc: alert.cc,
  })
  const notes = [...recipients.dropped]
  if (recipients.to.length === 0) {
    const reason = ['no reachable recipient', ...notes].join('; ')
    await entry.settle({ outcome: 'failed', error: new DeliveryError(reason, false) })
    return 'failed'
  }
  const rendered = await renderAlert(job, alert)
  notes.push(...rendered.warnings)

  const flood = await applyFloodCap(db, {
    job,
    deliveryId: delivery.id,
    recipients: [...recipients.to, ...recipients.cc],
    cap: ctx.config.ALERTS_PER_RECIPIENT_HOUR,
    data: rendered.data,
    now: ctx.now(),
  })
  if (flood.digests.length) {
    const delaySeconds = secondsUntilHourEnds(flood.digests[0]!.hourStart, ctx.now())
    await ctx.queue.sendBatch(flood.digests.map((body) => ({ body, delaySeconds })))
    notes.push(`folded into the hourly digest for ${flood.folded.join(', ')}`)
  }
  if (flood.now.length === 0) {
    await entry.digested(notes.join('; '))
    return 'digested'
  }
  const to = only(recipients, flood.now)
  const sent = await sendClaimed(
    entry,
    transport,
    { alertKey: job.alertKey, kind: 'alert', from: ctx.config.MAIL_FROM, ...to, ...rendered },
    notes,
  )
  return sent.outcome
}

/** Keeps the To/Cc roles of the recipients still to be sent to now; Cc moves up if To is empty. */
function only(recipients: Recipients, keep: string[]): { to: string[]; cc: string[] } {
  const set = new Set(keep)
  const to = recipients.to.filter((a) => set.has(a))
  const cc = recipients.cc.filter((a) => set.has(a))
  return to.length ? { to, cc } : { to: cc, cc: [] }
}
