// Sends the hourly digest of alerts folded by the flood cap, once, by the same outbox rules as
// an alert (`outbox-send.ts`): rendered first, claimed just before the send (so a failure while
// rendering leaves it scheduled for the retry), an interrupted send repeated only by an
// idempotent transport, temporary failures retried for a day.
import type { DigestJob } from '../../durable-objects/contracts/queue-job'
import { findDigest, foldedLines } from '../db/queries/flood-cap'
import { renderDigest } from './content/render-digest'
import type { DeliveryContext } from './deliver-alert'
import { digestOutboxEntry } from './outbox-entries'
import { checkEarlierAttempts, sendClaimed, type DeliveryOutcome } from './outbox-send'
import type { OutgoingMessage } from './transports/transport'

export async function deliverDigest(ctx: DeliveryContext, job: DigestJob): Promise<DeliveryOutcome> {
  const { db, transport } = ctx
  const digest = await findDigest(db, job.digestId)
  if (!digest) return { outcome: 'skipped' }
  const entry = digestOutboxEntry(db, digest, ctx.now())
  const earlier = await checkEarlierAttempts(entry, transport)
  if (earlier) return earlier

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
  return sendClaimed(entry, transport, message)
}
