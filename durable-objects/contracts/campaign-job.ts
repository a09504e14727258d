// What a contact's object hands delivery when a campaign step talks to the outside world: an
// alert mail, a notice to a newly assigned owner, a signed webhook call, a chat post. One queue
// job kind each; every one carries its idempotency key (run key + step id), the campaign and
// step it comes from and the contact as the object had it at that step, so the consumer never
// calls back into the object.
import * as v from 'valibot'
import { ActivityItem, ContactSnapshot } from './alert-job'
import { Recipients } from './campaign'

const Base = {
  /** Idempotency key: the run's key and the step's id. One outbox row per key. */
  actionKey: v.string(),
  workspaceId: v.string(),
  campaignId: v.string(),
  /** The campaign's name as the version the run started on had it. */
  campaignName: v.string(),
  version: v.number(),
  stepId: v.string(),
  firedAt: v.number(),
  contact: ContactSnapshot,
}

/** The page the contact was on when the step ran, if any. */
const Visit = v.object({ url: v.string(), title: v.string(), visibleMs: v.number(), startedAt: v.number() })

export const CampaignAlertJob = v.object({
  kind: v.literal('campaign-alert'),
  ...Base,
  to: Recipients,
  subject: v.optional(v.string()),
  /** The campaign's creator ("me"), resolved to an address by delivery. */
  creatorId: v.nullable(v.string()),
  visit: v.optional(Visit),
  recentActivity: v.array(ActivityItem),
})
export type CampaignAlertJob = v.InferOutput<typeof CampaignAlertJob>

/** The contact's new owner is told (assign-owner / assign-round-robin with `notify`). */
export const OwnerNoticeJob = v.object({
  kind: v.literal('campaign-owner-notice'),
  ...Base,
  ownerId: v.string(),
  recentActivity: v.array(ActivityItem),
})
export type OwnerNoticeJob = v.InferOutput<typeof OwnerNoticeJob>

export const CampaignWebhookJob = v.object({ kind: v.literal('campaign-webhook'), ...Base, url: v.string() })
export type CampaignWebhookJob = v.InferOutput<typeof CampaignWebhookJob>

export const CampaignChatJob = v.object({ kind: v.literal('campaign-chat'), ...Base, url: v.string() })
export type CampaignChatJob = v.InferOutput<typeof CampaignChatJob>

/**
 * A list was edited: every contact of the workspace recomputes its memberships, a page of
 * contacts per message (after the contact id `after`), each message queueing the next page.
 */
export const ListsRecheckJob = v.object({
  kind: v.literal('lists-recheck'),
  workspaceId: v.string(),
  after: v.nullable(v.string()),
})
export type ListsRecheckJob = v.InferOutput<typeof ListsRecheckJob>

export type CampaignActionJob = CampaignAlertJob | OwnerNoticeJob | CampaignWebhookJob | CampaignChatJob
