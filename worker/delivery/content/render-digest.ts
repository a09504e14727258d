// Renders the hourly digest a flooded recipient gets: the alerts the flood cap folded for them,
// in the digest templates, with the same escaping and HTML sanitising as an alert.
import type { DigestLine } from '../../db/schema'
import { renderTemplate } from './liquid'
import { headerText } from './render-alert'
import { sanitizeHtml } from './sanitize-html'
import { formatTime } from './template-data'
import { DIGEST_HTML, DIGEST_TEXT } from './templates/default-digest'

export type DigestTemplateData = { count: number; hour: string; alerts: DigestLine[] }

export type RenderedDigest = { subject: string; text: string; html: string; data: DigestTemplateData }

export async function renderDigest(hourStart: number, alerts: DigestLine[]): Promise<RenderedDigest> {
  const data = { count: alerts.length, hour: formatTime(hourStart), alerts }
  const subject = headerText(`[Pagebell] ${alerts.length} more alert${alerts.length === 1 ? '' : 's'} this hour`)
  const html = await sanitizeHtml(await renderTemplate('html', DIGEST_HTML, data))
  const text = await renderTemplate('text', DIGEST_TEXT, data)
  return { subject, text, html, data }
}
