// The send-alert steps' own content, checked as the alert wizard checks an alert's: the custom
// e-mail template and the attachment template fit and parse. Each refusal names the step's field.
import type { CampaignDefinition } from '../../durable-objects/contracts/campaign'
import { ATTACHMENT_OUTPUT, templateRefusal } from '../alerts/alert-content'
import type { FieldError } from '../field-errors'
import { stepsOf } from './campaign-refs'

export function alertStepContentErrors(definition: CampaignDefinition): FieldError[] {
  const errors: FieldError[] = []
  for (const { step, field } of stepsOf(definition.steps)) {
    if (step.type !== 'send-alert') continue
    const template = step.templateHtml ? templateRefusal(step.templateHtml, 'html', 'the template') : null
    if (template) errors.push({ field: `${field}.templateHtml`, reason: template })
    const attachment =
      step.attachment && templateRefusal(step.attachment.template, ATTACHMENT_OUTPUT[step.attachment.format], 'the attachment template')
    if (attachment) errors.push({ field: `${field}.attachment.template`, reason: attachment })
  }
  return errors
}
