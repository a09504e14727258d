// Sends the hourly digest of alerts folded by the flood cap, once, by the same outbox rules as
// an alert (`outbox-send.ts`): claimed before the send, an interrupted send repeated only by an
// idempotent transport.
import type { DigestJob } from '../../durable-objects/contracts/queue-job'
import { findDigest, foldedLines } from '../db/queries/flood-cap'
import { renderDigest } from './content/render-digest'
import type { DeliveryContext, DeliveryOutcome } from './deliver-alert'
import { digestOutboxEntry } from './outbox-entries'
import { readyToSend, sendClaimed } from './outbox-send'
import type { OutgoingMessage } from './transports/transport'

export async function deliverDigest(ctx: DeliveryContext, job: DigestJob): Promise<DeliveryOutcome> {
  const { db, transport } = ctx
  const digest = await findDigest(db, job.digestId)
  if (!digest) return 'skipped'
  const entry = digestOutboxEntry(db, digest)
  if (!(await readyToSend(entry, transport))) return 'skipped'

  const { subject, text, html, data } = await renderDigest(digest.hourStart, await foldedLines(db, digest))
  const message: OutgoingMessage = {
    alertKey: digest.id,
    kind: 'digest',
    from: ctx.config.MAIL_FROM,
    to: [digest.recipient],
    cc: [],
    subject,
    text,
    html,
    attachments: [],
    data,
  }
  const sent = await sendClaimed(entry, transport, message)
  return sent.outcome
}
