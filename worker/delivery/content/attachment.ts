// The optional attachment of an alert: its content is a Liquid template rendered with the
// same variables as the message, escaped for its format (CSV formula cells neutralised,
// JSON string content escaped, HTML escaped and sanitised).
import type { AttachmentFormat } from '../../../durable-objects/contracts/campaign'
import type { Attachment } from '../transports/transport'
import { renderTemplate, type OutputKind } from './liquid'
import { sanitizeHtml } from './sanitize-html'
import type { AlertTemplateData } from './template-data'

export type { AttachmentFormat }

const FORMATS: Record<AttachmentFormat, { kind: OutputKind; mimeType: string }> = {
  txt: { kind: 'text', mimeType: 'text/plain' },
  csv: { kind: 'csv', mimeType: 'text/csv' },
  html: { kind: 'html', mimeType: 'text/html' },
  json: { kind: 'json', mimeType: 'application/json' },
}

export async function renderAttachment(template: string, format: AttachmentFormat, data: AlertTemplateData): Promise<Attachment> {
  const { kind, mimeType } = FORMATS[format]
  const rendered = await renderTemplate(kind, template, data)
  const content = format === 'html' ? await sanitizeHtml(rendered) : rendered
  return { filename: `${slug(data.alert.name)}.${format}`, content, mimeType }
}

const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60) || 'alert'
