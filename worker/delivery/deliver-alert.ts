// Delivers one alert job exactly once as far as the transport allows. The outbox row (unique
// alert key) is claimed pending → sending before the send, so:
//  - a redelivered job whose key was sent, failed or folded sends nothing;
//  - a job found in `sending` was interrupted after or during a send: a non-idempotent transport
//    (SMTP, chat, send_email) marks it `unknown` rather than risk a duplicate; an idempotent one
//    (HTTP API with Idempotency-Key, webhook deduped on the key) sends again with the same key.
import type { AlertJob } from '../../durable-objects/alert-job'
import type { Db } from '../db/client'
import { alertForDelivery, claimDelivery, finishDelivery, openDelivery, recordAttempt, settleDelivery, type AttemptOutcome, type DeliveryStatus } from '../db/queries/deliveries'
import type { DeliveryConfig } from './config'
import type { DeliveryJob } from './delivery-job'
import { applyFloodCap, secondsUntilHourEnds } from './flood-cap'
import { resolveRecipients, type Recipients } from './recipients'
import { renderAlert } from './render'
import { DeliveryError, type Transport } from './transport'

export type DeliveryOutcome = 'sent' | 'retry' | 'failed' | 'skipped' | 'digested'

export type DeliveryContext = {
  db: Db
  config: DeliveryConfig
  transport: Transport
  /** Where digest jobs are scheduled: the alerts queue itself (only sendBatch is needed). */
  queue: { sendBatch(messages: Iterable<MessageSendRequest<DeliveryJob>>): Promise<unknown> }
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
  const attempt = delivery.attempts + 1
  const record = (outcome: AttemptOutcome, detail: string) => recordAttempt(db, delivery.id, { attempt, outcome, detail })
  /** The row's outcome and this attempt, in one round trip. */
  const settle = (status: DeliveryStatus, error: string | null, outcome: AttemptOutcome, detail: string) =>
    settleDelivery(db, delivery.id, status, error, { attempt, outcome, detail })

  if (delivery.status === 'sending') {
    if (!transport.idempotent) {
      await settle('unknown', 'an earlier attempt was interrupted mid-send; not re-sent to avoid a duplicate', 'skipped', 'interrupted earlier attempt; outcome unknown, not re-sent')
      return 'skipped'
    }
    await finishDelivery(db, delivery.id, 'pending', null)
  } else if (delivery.status !== 'pending') {
    await record('skipped', `redelivered job; already ${delivery.status}`)
    return 'skipped'
  }

  const { alert, creatorEmail } = found
  const recipients = resolveRecipients({
    creator: alert.notifyCreator ? creatorEmail : null,
    owner: alert.notifyOwner ? job.contact.ownerEmail : null,
    cc: alert.cc,
  })
  const notes = [...recipients.dropped]
  if (recipients.to.length === 0) {
    const reason = ['no reachable recipient', ...notes].join('; ')
    await settle('failed', reason, 'failed', reason)
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
    await settle('digested', null, 'digested', notes.join('; '))
    return 'digested'
  }
  const to = only(recipients, flood.now)

  if (!(await claimDelivery(db, delivery.id, { recipients: [...to.to, ...to.cc], subject: rendered.subject }))) return 'skipped'
  try {
    await transport.send({ alertKey: job.alertKey, kind: 'alert', from: ctx.config.MAIL_FROM, ...to, ...rendered })
  } catch (err) {
    const error = err instanceof DeliveryError ? err : new DeliveryError(String(err), true)
    await settle(error.temporary ? 'pending' : 'failed', error.message, error.temporary ? 'retry' : 'failed', error.message)
    return error.temporary ? 'retry' : 'failed'
  }
  await settle('sent', null, 'sent', [`to ${to.to.join(', ')}${to.cc.length ? `; cc ${to.cc.join(', ')}` : ''}`, ...notes].join('; '))
  return 'sent'
}

/** Keeps the To/Cc roles of the recipients still to be sent to now; Cc moves up if To is empty. */
function only(recipients: Recipients, keep: string[]): { to: string[]; cc: string[] } {
  const set = new Set(keep)
  const to = recipients.to.filter((a) => set.has(a))
  const cc = recipients.cc.filter((a) => set.has(a))
  return to.length ? { to, cc } : { to: cc, cc: [] }
}
