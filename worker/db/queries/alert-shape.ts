// A page alert is a campaign (docs/campaigns.md): category `alert`, one page-visited trigger, no
// entry condition, one send-alert step, run every time within its calendar frequency. This is the
// mapping between that campaign and the alert as its API, wizard and delivery read it; a campaign
// edited into any other shape in the builder is no longer an alert, only a campaign.
import type { AttachmentFormat, CampaignDefinition, SendAlertStep } from '../../../durable-objects/contracts/campaign'
import { alertAsCampaign } from '../../../durable-objects/rules/campaigns/alert-as-campaign'
import type { AlertPageRow, FrequencyPeriod } from '../schema'

export const ALERT_CATEGORY = 'alert'

/** An alert as the API, the wizard and delivery read it. */
export type AlertRow = {
  id: string
  workspaceId: string
  name: string
  /** The alert fires when any row matches: a URL pattern and a minimum visible time. */
  pages: AlertPageRow[]
  /** At most `frequencyCount` alerts per contact per calendar `frequencyPeriod`. */
  frequencyCount: number
  frequencyPeriod: FrequencyPeriod
  notifyCreator: boolean
  notifyOwner: boolean
  /** ", "-separated, each address validated. */
  cc: string
  description: string
  attachmentTemplate: string | null
  attachmentFormat: AttachmentFormat | null
  /** Imported HTML template; null = the default template. */
  templateHtml: string | null
  active: boolean
  createdBy: string
  createdAt: number
  updatedAt: number
}

/** What an alert is made of: the fields a marketer sets (the rest is bookkeeping). */
export type AlertValues = Omit<AlertRow, 'id' | 'workspaceId' | 'createdBy' | 'createdAt' | 'updatedAt'>

type PageAlertShape = { pages: AlertPageRow[]; step: SendAlertStep }

/** The trigger's pages and the step of a campaign that is a page alert; null for any other campaign. */
export function pageAlertShape(definition: CampaignDefinition, category: string): PageAlertShape | null {
  const [trigger] = definition.triggers
  const [step] = definition.steps
  if (category !== ALERT_CATEGORY || definition.triggers.length !== 1 || definition.steps.length !== 1) return null
  if (trigger?.type !== 'page-visited' || step?.type !== 'send-alert' || definition.conditions.length > 0) return null
  if (definition.runLimit.kind !== 'always' || !definition.frequency) return null
  return { pages: trigger.pages, step }
}

type CampaignFields = { id: string; workspaceId: string; active: boolean; createdBy: string | null; createdAt: number; updatedAt: number }

/** The alert a page-alert campaign is; null when the campaign is not one. */
export function alertOf(campaign: CampaignFields, definition: CampaignDefinition, category: string): AlertRow | null {
  const shape = pageAlertShape(definition, category)
  if (!shape || !definition.frequency) return null
  const { step } = shape
  return {
    id: campaign.id,
    workspaceId: campaign.workspaceId,
    name: definition.name,
    pages: shape.pages,
    frequencyCount: definition.frequency.count,
    frequencyPeriod: definition.frequency.period,
    notifyCreator: step.to.creator,
    notifyOwner: step.to.owner,
    cc: step.to.cc.join(', '),
    description: step.description ?? '',
    attachmentTemplate: step.attachment?.template ?? null,
    attachmentFormat: step.attachment?.format ?? null,
    templateHtml: step.templateHtml ?? null,
    active: campaign.active,
    createdBy: campaign.createdBy ?? '',
    createdAt: campaign.createdAt,
    updatedAt: campaign.updatedAt,
  }
}

/** What an alert's e-mail carries besides the visit, as its send-alert step holds it. */
export function alertContent(
  values: Pick<AlertValues, 'description' | 'attachmentFormat' | 'attachmentTemplate' | 'templateHtml'>,
): Pick<SendAlertStep, 'description' | 'attachment' | 'templateHtml'> {
  const { attachmentFormat: format, attachmentTemplate: template } = values
  return {
    description: values.description,
    attachment: format && template !== null ? { format, template } : null,
    templateHtml: values.templateHtml,
  }
}

/** The campaign definition an alert's values make (checked by the alert's own rules, alert-input.ts). */
export function alertDefinition(values: AlertValues): CampaignDefinition {
  const cc = values.cc
    .split(',')
    .map((a) => a.trim())
    .filter(Boolean)
  const {
    id: _id,
    version: _version,
    createdBy: _createdBy,
    ...definition
  } = alertAsCampaign({
    id: '',
    name: values.name,
    pages: values.pages,
    limit: { count: values.frequencyCount, period: values.frequencyPeriod },
    notifyCreator: values.notifyCreator,
    notifyOwner: values.notifyOwner,
    cc,
    createdBy: '',
    content: alertContent(values),
  })
  return definition
}
