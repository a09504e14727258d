// The API's view of campaigns, smart lists and scoring rules: the definition as it was saved
// (the same fields a POST or PUT takes, so what is read can be sent back), plus bookkeeping.
// The valibot schemas describe them in the OpenAPI document; the `*Json` functions are typed
// against them. Request bodies are the contract's own schemas, named for the document.
import * as v from 'valibot'
import { CampaignDefinition, ListDefinition, ScoringRuleDefinition } from '../../durable-objects/contracts/campaign'
import type { StoredCampaign, VersionRow } from '../db/queries/campaigns'
import type { ListRow } from '../db/queries/lists'
import type { ScoringRuleRow } from '../db/queries/scoring-rules'

const epochMs = v.pipe(v.number(), v.integer(), v.description('epoch ms'))
const bookkeeping = { createdBy: v.nullable(v.string()), createdAt: epochMs, updatedAt: epochMs }

export const CampaignBody = v.pipe(CampaignDefinition, v.metadata({ ref: 'CampaignInput' }))
export const ListBody = v.pipe(ListDefinition, v.metadata({ ref: 'SmartListInput' }))
export const ScoringRuleBody = v.pipe(ScoringRuleDefinition, v.metadata({ ref: 'ScoringRuleInput' }))

const campaignEntries = {
  id: v.string(),
  ...CampaignDefinition.entries,
  active: v.pipe(v.boolean(), v.description('ON: new runs start. OFF: none start, and runs inside stop at their next step.')),
  version: v.pipe(v.number(), v.integer(), v.description('The current version: new runs use it; runs in progress finish on theirs.')),
  ...bookkeeping,
}

export const CampaignView = v.pipe(v.object(campaignEntries), v.metadata({ ref: 'Campaign' }))

const VersionInfo = v.object({ version: v.number(), createdBy: v.nullable(v.string()), createdAt: epochMs })

export const CampaignDetailView = v.pipe(
  v.object({ ...campaignEntries, versions: v.pipe(v.array(VersionInfo), v.description('Every saved version, newest first.')) }),
  v.metadata({ ref: 'CampaignDetail' }),
)

export const CampaignVersionView = v.pipe(
  v.object({ ...VersionInfo.entries, definition: CampaignDefinition }),
  v.metadata({ ref: 'CampaignVersion' }),
)

export type CampaignJson = v.InferOutput<typeof CampaignView>

export function campaignJson({ campaign, definition }: StoredCampaign): CampaignJson {
  return {
    id: campaign.id,
    ...definition,
    active: campaign.active,
    version: campaign.currentVersion,
    createdBy: campaign.createdBy,
    createdAt: campaign.createdAt,
    updatedAt: campaign.updatedAt,
  }
}

export const versionInfo = ({ version, createdBy, createdAt }: VersionRow) => ({ version, createdBy, createdAt })

export const ListView = v.pipe(
  v.object({
    id: v.string(),
    ...ListDefinition.entries,
    version: v.pipe(v.number(), v.integer(), v.description('Goes up by one with each edit; contact objects recompute membership then.')),
    ...bookkeeping,
  }),
  v.metadata({ ref: 'SmartList' }),
)

export const listJson = (row: ListRow): v.InferOutput<typeof ListView> => ({
  id: row.id,
  ...row.definition,
  version: row.version,
  createdBy: row.createdBy,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
})

export const ScoringRuleView = v.pipe(
  v.object({ id: v.string(), ...ScoringRuleDefinition.entries, ...bookkeeping }),
  v.metadata({ ref: 'ScoringRule' }),
)

export const scoringRuleJson = (row: ScoringRuleRow): v.InferOutput<typeof ScoringRuleView> => ({
  id: row.id,
  ...row.definition,
  createdBy: row.createdBy,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
})

export const CampaignSummaryView = v.pipe(
  v.object({
    triggers: v.array(v.string()),
    conditions: v.pipe(v.array(v.string()), v.description('All must hold for a contact to run it.')),
    steps: v.pipe(v.array(v.string()), v.description("One line a step, top to bottom; a branch's steps indented by two spaces.")),
    recipients: v.pipe(v.array(v.string()), v.description('Who gets what: e-mails, new owners, webhook and chat calls.')),
    runLimit: v.string(),
  }),
  v.metadata({ ref: 'CampaignSummary' }),
)
