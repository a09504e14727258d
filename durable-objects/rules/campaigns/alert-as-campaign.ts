// A page-visit alert is a campaign with one trigger and one action: its pages as a page-visited
// trigger, a send-alert step to its recipients, run every time within its frequency. Alerts are
// not migrated yet (docs/campaigns.md); this is the mapping a migration will move them with, and
// its test shows both engines decide the same sends for the same visits.
import type { CampaignVersion, Recipients } from '../../contracts/campaign'
import type { FrequencyLimit } from '../frequency'
import type { PageRow } from '../page-rules'

/** What the alert table says of an alert that decides and addresses its sends. */
export type AlertForCampaign = {
  id: string
  name: string
  pages: PageRow[]
  limit: FrequencyLimit
  notifyCreator: boolean
  notifyOwner: boolean
  cc: string[]
  createdBy: string
}

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
    steps: [{ id: 'send', type: 'send-alert', to }],
    runLimit: { kind: 'always' },
    frequency: alert.limit,
    createdBy: alert.createdBy,
  }
}
