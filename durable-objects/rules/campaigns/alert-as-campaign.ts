// A page-visit alert is a campaign with one trigger and one action: its pages as a page-visited
// trigger, a send-alert step to its recipients carrying its content, run every time within its
// frequency. This is the one mapping: the alerts are stored as these campaigns
// (worker/db/queries/alert-shape.ts, migration 0019), and its property test shows the alert
// engine and the campaign engine decide the same sends for the same visits.
import type { CampaignVersion, Recipients, SendAlertStep } from '../../contracts/campaign'
import type { FrequencyLimit } from '../frequency'
import type { PageRow } from '../page-rules'

/** What decides and addresses an alert's sends, and what its e-mail carries. */
export type AlertForCampaign = {
  id: string
  name: string
  pages: PageRow[]
  limit: FrequencyLimit
  notifyCreator: boolean
  notifyOwner: boolean
  cc: string[]
  createdBy: string
  content?: Pick<SendAlertStep, 'description' | 'attachment' | 'templateHtml'>
}

/** The id of an alert's one step. */
const ALERT_STEP_ID = 'send'

/** The alert as the campaign it is: same id, so its run keys and counters stay the alert's. */
export function alertAsCampaign(alert: AlertForCampaign): CampaignVersion {
  const to: Recipients = { owner: alert.notifyOwner, creator: alert.notifyCreator, addresses: [], cc: alert.cc }
  return {
    id: alert.id,
    version: 1,
    name: alert.name,
    category: 'alert',
    triggers: [{ type: 'page-visited', pages: alert.pages }],
    conditions: [],
    steps: [{ id: ALERT_STEP_ID, type: 'send-alert', to, ...alert.content }],
    runLimit: { kind: 'always' },
    frequency: alert.limit,
    createdBy: alert.createdBy,
  }
}
