// Queue consumer of alert jobs: one outbox row per alert key, claimed before sending, so a
// redelivered job never sends twice. Temporary failures retry with backoff; permanent ones
// are recorded as failed. After the last retry the queue moves the job to the dead-letter queue.
import type { AlertJob } from '../../durable-objects/alert-job'
import { createDb, type Db } from '../db/client'
import {
  alertForDelivery,
  claimDelivery,
  finishDelivery,
  openDelivery,
  recordAttempt,
} from '../db/queries/deliveries'
import { resolveRecipients } from './recipients'
import { renderAlert } from './render'
import { DeliveryError, type Transport } from './transport'

export type DeliveryOutcome = 'sent' | 'retry' | 'failed' | 'skipped'

/** Seconds before retry n (1-based): 2, 4, 8, ... capped at 5 minutes. */
export const backoffSeconds = (attempt: number) => Math.min(300, 2 ** attempt)

export async function consumeAlerts(batch: MessageBatch<AlertJob>, env: Env, transport: Transport): Promise<void> {
  const db = createDb(env.DB)
  for (const message of batch.messages) {
    const outcome = await deliverAlert(db, env, message.body, transport)
    if (outcome === 'retry') message.retry({ delaySeconds: backoffSeconds(message.attempts) })
    else message.ack()
  }
}

export async function deliverAlert(db: Db, env: Env, job: AlertJob, transport: Transport): Promise<DeliveryOutcome> {
  const found = await alertForDelivery(db, job.workspaceId, job.alertId)
  if (!found) return 'skipped'
  const delivery = await openDelivery(db, {
    alertKey: job.alertKey,
    workspaceId: job.workspaceId,
    alertId: job.alertId,
    contactId: job.contact.id,
    transport: transport.name,
  })
  if (!delivery) throw new Error('outbox row missing after insert')
  const attempt = delivery.attempts + 1

  if (delivery.status === 'sending') {
    // A previous attempt died between sending and recording the outcome.
    if (!transport.idempotent) {
      await finishDelivery(db, delivery.id, 'unknown', 'an earlier attempt was interrupted mid-send; not re-sent to avoid a duplicate')
      await recordAttempt(db, delivery.id, attempt, 'skipped', 'interrupted earlier attempt')
      return 'skipped'
    }
    await finishDelivery(db, delivery.id, 'pending', null)
  } else if (delivery.status !== 'pending') return 'skipped'

  const { alert, creatorEmail } = found
  const recipients = resolveRecipients({
    creator: alert.notifyCreator ? creatorEmail : null,
    owner: alert.notifyOwner ? job.contact.ownerEmail : null,
    cc: alert.cc,
  })
  const rendered = renderAlert({ job, alertName: alert.name, description: alert.description })
  if (recipients.to.length === 0) {
    await finishDelivery(db, delivery.id, 'failed', 'no reachable recipient')
    await recordAttempt(db, delivery.id, attempt, 'failed', 'no reachable recipient')
    return 'failed'
  }
  if (!(await claimDelivery(db, delivery.id, { recipients: [...recipients.to, ...recipients.cc], subject: rendered.subject })))
    return 'skipped'

  try {
    await transport.send({ alertKey: job.alertKey, from: env.MAIL_FROM, ...recipients, ...rendered, attachments: [] })
  } catch (err) {
    const error = err instanceof DeliveryError ? err : new DeliveryError(String(err), true)
    await finishDelivery(db, delivery.id, error.temporary ? 'pending' : 'failed', error.message)
    await recordAttempt(db, delivery.id, attempt, error.temporary ? 'retry' : 'failed', error.message)
    return error.temporary ? 'retry' : 'failed'
  }
  await finishDelivery(db, delivery.id, 'sent', null)
  await recordAttempt(db, delivery.id, attempt, 'sent', `to ${recipients.to.join(', ')}`)
  return 'sent'
}
