// Sends the hourly digest of alerts folded by the flood cap, once, with the same claim and
// interrupted-send rules as an alert (see deliver-alert.ts).
import { claimDigest, findDigest, finishDigest, foldedLines } from '../db/queries/flood-cap'
import type { DeliveryOutcome, DeliveryContext } from './deliver-alert'
import type { DigestJob } from './delivery-job'
import { liquid } from './liquid'
import { headerText } from './render'
import { sanitizeHtml } from './sanitize-html'
import { formatTime } from './template-data'
import { DeliveryError } from './transport'
import { DIGEST_HTML, DIGEST_TEXT } from './templates/default-digest'

export async function deliverDigest(ctx: DeliveryContext, job: DigestJob): Promise<DeliveryOutcome> {
  const { db, transport } = ctx
  const digest = await findDigest(db, job.digestId)
  if (!digest) return 'skipped'
  if (digest.status === 'sending' && !transport.idempotent) {
    await finishDigest(db, digest.id, 'unknown', 'an earlier attempt was interrupted mid-send; not re-sent to avoid a duplicate')
    return 'skipped'
  }
  if (!(await claimDigest(db, digest.id, digest.status === 'sending' ? 'sending' : 'scheduled'))) return 'skipped'

  const alerts = await foldedLines(db, digest)
  const data = { count: alerts.length, hour: formatTime(digest.hourStart), alerts }
  const subject = headerText(`[Pagebell] ${alerts.length} more alert${alerts.length === 1 ? '' : 's'} this hour`)
  const html = await sanitizeHtml(await liquid('html').parseAndRender(DIGEST_HTML, data))
  const text = await liquid('text').parseAndRender(DIGEST_TEXT, data)
  try {
    await transport.send({ alertKey: digest.id, kind: 'digest', from: ctx.config.MAIL_FROM, to: [digest.recipient], cc: [], subject, text, html, attachments: [], data })
  } catch (err) {
    const error = err instanceof DeliveryError ? err : new DeliveryError(String(err), true)
    await finishDigest(db, digest.id, error.temporary ? 'scheduled' : 'failed', error.message)
    return error.temporary ? 'retry' : 'failed'
  }
  await finishDigest(db, digest.id, 'sent', null)
  return 'sent'
}
