// Every change to a campaign goes through here (REST, later the builder): the definition is
// checked (the contract's schema at the edge, then the shape rules, then the users, lists and
// URLs it names, then, when it is or goes ON, a webhook secret for its webhook steps and
// bsport's one-campaign-per-channel rule on a list edge), written as a new version, and the
// rules version is bumped when the set the contact objects evaluate changes (an OFF campaign's
// save changes nothing there and bumps nothing). A refusal writes nothing.
import type { CampaignDefinition } from '../../durable-objects/contracts/campaign'
import { createDb, type Db } from '../db/client'
import type { AuthUser } from '../db/queries/auth'
import {
  deleteCampaign,
  insertCampaign,
  insertCampaignVersion,
  listCampaigns,
  setCampaignActive,
  type StoredCampaign,
} from '../db/queries/campaigns'
import { alertStepContentErrors } from './alert-step-checks'
import { campaignRefs, campaignShapeErrors } from './campaign-refs'
import { referenceRefusals, unsignedWebhookRefusals } from './campaign-checks'
import { firstRefusal, type Checked, type Refusal } from './checked'
import { summarizeCampaign, type CampaignSummary } from './campaign-summary'
import { campaignNames } from './campaign-words'
import { listEdgeConflicts } from './list-edge-conflicts'
import { rulesChanged } from './rules-changed'

export const newCampaignId = () => `cmp_${crypto.randomUUID().replace(/-/g, '')}`

/** The refusal of `definition` for the campaign `id`, which is ON or about to be when `active`. */
async function definitionRefusal(
  env: Env,
  db: Db,
  workspaceId: string,
  campaign: { id: string; active: boolean },
  definition: CampaignDefinition,
): Promise<Refusal | null> {
  return firstRefusal([
    { status: 400, errors: () => [...campaignShapeErrors(definition), ...alertStepContentErrors(definition)] },
    { status: 422, errors: () => referenceRefusals(env, db, workspaceId, campaignRefs(definition)) },
    { status: 422, errors: () => (campaign.active ? unsignedWebhookRefusals(db, workspaceId, campaignRefs(definition)) : []) },
    {
      status: 422,
      errors: async () => {
        if (!campaign.active) return []
        const on = (await listCampaigns(db, workspaceId)).filter((row) => row.campaign.active)
        const others = on.map((row) => ({ id: row.campaign.id, name: row.campaign.name, definition: row.definition }))
        return listEdgeConflicts({ id: campaign.id, name: definition.name, definition }, others)
      },
    },
  ])
}

/** A new campaign, OFF, at version 1 (switching it on is its own step, with a summary). */
export async function createCampaign(env: Env, user: AuthUser, definition: CampaignDefinition): Promise<Checked<StoredCampaign>> {
  const db = createDb(env.DB)
  const id = newCampaignId()
  const refused = await definitionRefusal(env, db, user.workspaceId, { id, active: false }, definition)
  if (refused) return refused
  return { ok: true, value: await insertCampaign(db, { id, workspaceId: user.workspaceId, createdBy: user.id, definition }) }
}

/**
 * Saves `definition` as the next version of `current`. Runs in progress finish on the version
 * they started; new runs take this one. Null when the campaign went away meanwhile.
 */
export async function saveCampaign(
  env: Env,
  user: AuthUser,
  current: StoredCampaign,
  definition: CampaignDefinition,
): Promise<Checked<StoredCampaign> | null> {
  const db = createDb(env.DB)
  const { id, active } = current.campaign
  const refused = await definitionRefusal(env, db, user.workspaceId, { id, active }, definition)
  if (refused) return refused
  const saved = await insertCampaignVersion(db, { id, workspaceId: user.workspaceId, createdBy: user.id, definition })
  if (saved?.campaign.active) await rulesChanged(db, user.workspaceId)
  return saved && { ok: true, value: saved }
}

/**
 * Switches the campaign ON (after checking its current version again: a user it names may have
 * been deactivated since, another campaign may have taken its list edge) or OFF (new runs stop;
 * runs inside it stop at their next step). Null when the campaign went away meanwhile.
 */
export async function switchCampaign(
  env: Env,
  workspaceId: string,
  current: StoredCampaign,
  active: boolean,
): Promise<Checked<StoredCampaign> | null> {
  const db = createDb(env.DB)
  if (active) {
    const refused = await definitionRefusal(env, db, workspaceId, { id: current.campaign.id, active }, current.definition)
    if (refused) return refused
  }
  const campaign = await setCampaignActive(db, workspaceId, current.campaign.id, active)
  if (!campaign) return null
  if (campaign.active !== current.campaign.active) await rulesChanged(db, workspaceId)
  return { ok: true, value: { campaign, definition: current.definition } }
}

/** Deletes the campaign (its versions stay while runs may use them); false when there is none. */
export async function removeCampaign(env: Env, workspaceId: string, id: string): Promise<boolean> {
  const db = createDb(env.DB)
  const removed = await deleteCampaign(db, workspaceId, id)
  if (removed) await rulesChanged(db, workspaceId)
  return removed
}

/** The campaign in words, users and lists by their names (the activation's answer). */
export async function describeCampaign(env: Env, workspaceId: string, definition: CampaignDefinition): Promise<CampaignSummary> {
  return summarizeCampaign(definition, await campaignNames(env, workspaceId))
}
