// Renders an alert into the message parts: the default or imported HTML template, the plain
// text part, the attachment. The subject carries only the alert's name (marketer text), never
// visitor text, and is made header-safe.
import type { AlertJob } from '../../../durable-objects/contracts/alert-job'
import type { Attachment } from '../transports/transport'
import { renderAttachment, type AttachmentFormat } from './attachment'
import { renderTemplate } from './liquid'
import { sanitizeHtml } from './sanitize-html'
import { alertTemplateData, type AlertTemplateData } from './template-data'
import { DEFAULT_ALERT_HTML, DEFAULT_ALERT_TEXT } from './templates/default-alert'

export type AlertContent = {
  name: string
  description: string
  templateHtml: string | null
  attachmentTemplate: string | null
  attachmentFormat: AttachmentFormat | null
}

export type Rendered = {
  subject: string
  text: string
  html: string
  attachments: Attachment[]
  data: AlertTemplateData
  /** Problems that did not stop the message (a broken imported template falls back to the default). */
  warnings: string[]
}

// eslint-disable-next-line no-control-regex -- control characters are exactly what a header must not carry
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]+/g

/** Header-safe: one line, no control characters, bounded. */
export const headerText = (s: string) => s.replace(CONTROL_CHARACTERS, ' ').trim().slice(0, 150)

export async function renderAlert(job: AlertJob, alert: AlertContent, subjectPrefix = '[Pagebell]'): Promise<Rendered> {
  const data = alertTemplateData(job, alert)
  const warnings: string[] = []
  const html = await renderHtml(alert.templateHtml, data, warnings)
  const text = await renderTemplate('text', DEFAULT_ALERT_TEXT, data)
  const attachments: Attachment[] = []
  if (alert.attachmentTemplate && alert.attachmentFormat) {
    try {
      attachments.push(await renderAttachment(alert.attachmentTemplate, alert.attachmentFormat, data))
    } catch (err) {
      warnings.push(`attachment left out: ${err instanceof Error ? err.message.slice(0, 200) : String(err)}`)
    }
  }
  return { subject: headerText(`${subjectPrefix} ${alert.name}`), text, html: await sanitizeHtml(html), attachments, data, warnings }
}

async function renderHtml(imported: string | null, data: AlertTemplateData, warnings: string[]): Promise<string> {
  if (imported) {
    try {
      return await renderTemplate('html', imported, data)
    } catch (err) {
      warnings.push(`imported template failed, default used: ${err instanceof Error ? err.message.slice(0, 200) : String(err)}`)
    }
  }
  return renderTemplate('html', DEFAULT_ALERT_HTML, data)
}
