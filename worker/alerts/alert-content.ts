// What an alert e-mail carries besides its data — description, attachment, custom template — is
// checked the same way for an alert and for a campaign's send-alert step: a template must fit in
// 100 KB and parse as Liquid for the output it renders (an attachment's format decides how its
// values are escaped).
import { ALERT_CONTENT_LIMITS, type AttachmentFormat } from '../../durable-objects/contracts/campaign'
import { utf8Bytes } from '../../durable-objects/rules/bounded-job'
import { templateError, type OutputKind } from '../delivery/content/liquid'
import type { FieldError } from '../field-errors'

export const ATTACHMENT_OUTPUT: Record<AttachmentFormat, OutputKind> = {
  txt: 'text',
  csv: 'csv',
  html: 'html',
  json: 'json',
}

/** Why `source` cannot be used as `what` ("the template"), or null. */
export function templateRefusal(source: string, kind: OutputKind, what: string): string | null {
  if (utf8Bytes(source) > ALERT_CONTENT_LIMITS.templateBytes) return `${what} is over 100 KB`
  const reason = templateError(source, kind)
  return reason ? `${what} does not parse: ${reason}` : null
}

/** An alert's attachment, as the wizard and the alerts API name its two fields: both or neither, and a template that parses. */
export function attachmentErrors(values: { attachmentTemplate: string | null; attachmentFormat: AttachmentFormat | null }): FieldError[] {
  const { attachmentTemplate: template, attachmentFormat: format } = values
  if (template === null && format === null) return []
  if (template === null) return [{ field: 'attachmentTemplate', reason: 'an attachment needs a template as well as a format' }]
  if (format === null) return [{ field: 'attachmentFormat', reason: 'choose the attachment format (txt, csv, html or json)' }]
  const reason = templateError(template, ATTACHMENT_OUTPUT[format])
  return reason ? [{ field: 'attachmentTemplate', reason: `the attachment template does not parse: ${reason}` }] : []
}
