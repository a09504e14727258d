// "Run for one contact" (POST /api/v1/campaigns/{id}/run, the admin's button): checks that the
// contact is the workspace's, that the campaign is ON and has a manual trigger, then hands the
// run to the contact's object, which starts it like any trigger would (its run limit and
// frequency apply). The answer is 202: the run itself happens in the object.
import { contactStub } from '../../durable-objects/contact-stub'
import type { StoredCampaign } from '../db/queries/campaigns'
import { contactIdsInScope } from '../db/queries/contacts'
import { createDb } from '../db/client'
import type { Checked } from './checked'

export type RunRequest = { workspaceId: string; campaign: StoredCampaign; contactId: string; at: number }

export type RunAccepted = { campaignId: string; version: number; contactId: string }

/** Why the campaign cannot be run by hand as it stands, or null. */
function notRunnable({ campaign, definition }: StoredCampaign): string | null {
  if (!campaign.active) return 'the campaign is OFF: switch it on to run it'
  if (!definition.triggers.some((t) => t.type === 'manual')) return 'the campaign has no "manual" trigger: add one to run it by hand'
  return null
}

export async function runCampaignForContact(env: Env, request: RunRequest): Promise<Checked<RunAccepted>> {
  const { workspaceId, campaign, contactId } = request
  const refused = notRunnable(campaign)
  if (refused) return { ok: false, status: 409, errors: [{ field: 'id', reason: refused }] }
  const [found] = await contactIdsInScope(createDb(env.DB), { workspaceId }, [contactId])
  if (!found) return { ok: false, status: 422, errors: [{ field: 'contactId', reason: 'no contact with this id in your workspace' }] }
  await contactStub(env, contactId).runCampaign(campaign.campaign.id)
  return { ok: true, value: { campaignId: campaign.campaign.id, version: campaign.campaign.currentVersion, contactId } }
}
