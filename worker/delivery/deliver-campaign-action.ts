// Delivers one campaign action job (contracts/campaign-job.ts) exactly once as far as the
// transport allows, by the outbox rules every kind shares (`outbox-send.ts`): its row in
// `campaign_action_deliveries` is opened under the action key, earlier attempts are honoured, the
// message is rendered, and only then is the row claimed and sent.
//  - campaign-alert: the alert e-mail (the alert template) to the owner, the creator, the given
//    addresses (To) and the CC list, through the configured mail transport;
//  - campaign-owner-notice: an e-mail telling the contact's new owner;
//  - campaign-webhook: a JSON POST signed with the workspace's webhook secret (HMAC-SHA256 over
//    the body, which carries the send time; `X-Pagebell-Signature`);
//  - campaign-chat: a Slack-compatible post.
import type { AlertJob, ContactSnapshot } from '../../durable-objects/contracts/alert-job'
import type { CampaignActionJob, CampaignAlertJob, OwnerNoticeJob } from '../../durable-objects/contracts/campaign-job'
import type { QueueJob } from '../../durable-objects/contracts/queue-job'
import { findSendAlertStep } from '../../durable-objects/rules/campaigns/find-step'
import type { Db } from '../db/client'
import { campaignNowAndAt } from '../db/queries/campaigns'
import {
  activeUserAddresses,
  changeCampaignAction,
  claimCampaignAction,
  openCampaignAction,
  workspaceWebhookSecret,
  type CampaignActionRow,
} from '../db/queries/campaign-runs'
import { campaignTargetRefusal } from './campaign-target'
import { renderAlert } from './content/render-alert'
import { formatTime } from './content/template-data'
import type { DeliveryContext } from './deliver-alert'
import { checkEarlierAttempts, sendClaimed, type DeliveryOutcome } from './outbox-send'
import { isDeliverableAddress } from './recipients'
import { RETRY_WINDOW_MS } from './retry-schedule'
import { singleRowEntry, type SingleRowEntry } from './single-row-entry'
import { chatTransport } from './transports/chat'
import type { OutgoingMessage, Transport } from './transports/transport'
import { webhookTransport } from './transports/webhook'

/** Why a queued action went out as nothing: switching a campaign OFF stops what it still had to send, as for alerts. */
export const CAMPAIGN_OFF = 'not sent: the campaign was switched OFF (or deleted) before this action went out'

/** Each campaign action job's kind, and the step kind its outbox row records. */
const KINDS = {
  'campaign-alert': 'send-alert',
  'campaign-owner-notice': 'notify-owner',
  'campaign-webhook': 'webhook',
  'campaign-chat': 'chat',
} as const

/** True for the queue jobs that are campaign actions (the sweeper re-queues their outbox rows). */
export const isCampaignActionKind = (kind: QueueJob['kind']): boolean => Object.hasOwn(KINDS, kind)

/** The action's outbox row, opened from the job (due now, retried for 24 h) unless it exists. */
export function openCampaignActionRow(db: Db, job: CampaignActionJob, now: number): Promise<CampaignActionRow | null> {
  return openCampaignAction(
    db,
    {
      id: crypto.randomUUID(),
      workspaceId: job.workspaceId,
      campaignId: job.campaignId,
      stepId: job.stepId,
      contactId: job.contact.id,
      actionKey: job.actionKey,
      kind: KINDS[job.kind],
      target: job.kind === 'campaign-webhook' || job.kind === 'campaign-chat' ? job.url : '',
      job,
    },
    { now, retryUntil: now + RETRY_WINDOW_MS },
  )
}

export async function deliverCampaignAction(ctx: DeliveryContext, job: CampaignActionJob): Promise<DeliveryOutcome> {
  const { db } = ctx
  const now = ctx.now()
  const row = await openCampaignActionRow(db, job, now)
  if (!row) throw new Error('campaign outbox row missing after insert')
  const entry = campaignActionEntry(db, row, now)
  // An owner notice tells of an assignment already made; the other actions are the campaign's own
  // messages, sent only while it is ON (switching it OFF stops them, as for alerts).
  const campaign = job.kind === 'campaign-owner-notice' ? null : await campaignNowAndAt(db, job.workspaceId, job.campaignId, job.version)
  switch (job.kind) {
    case 'campaign-alert':
      return mail(ctx, entry, job, await alertAddresses(ctx, job), campaign)
    case 'campaign-owner-notice': {
      const owner = (await activeUserAddresses(db, job.workspaceId, [job.ownerId])).get(job.ownerId)
      return mail(ctx, entry, job, owner ? { to: [owner.email], cc: [] } : { to: [], cc: [] }, null)
    }
    case 'campaign-webhook': {
      const secret = await workspaceWebhookSecret(db, job.workspaceId)
      const transport = secret === null ? null : webhookTransport({ url: job.url, secret })
      return post(ctx, entry, job, campaign, transport, 'the workspace has no webhook secret yet')
    }
    case 'campaign-chat':
      return post(ctx, entry, job, campaign, chatTransport({ url: job.url }), '')
  }
}

/** The action's row as this attempt found it, at `now`. */
function campaignActionEntry(db: Db, row: CampaignActionRow, now: number): SingleRowEntry {
  return singleRowEntry({
    ...row,
    now,
    claim: (seen) => claimCampaignAction(db, row.id, seen, now),
    change: (from, attempts, status, error, dueAt) =>
      changeCampaignAction(db, row.id, { attempts, status: from }, { status, error, nextAttemptAt: dueAt }, now),
    gaveUp: (attempt, error) => `gave up after ${attempt} attempts; last error: ${error}`,
  })
}

/** Owner, creator and given addresses in To, the CC list in Cc; an address once, invalid ones left out. */
async function alertAddresses(ctx: DeliveryContext, job: CampaignAlertJob): Promise<{ to: string[]; cc: string[] }> {
  const creator =
    job.to.creator && job.creatorId ? (await activeUserAddresses(ctx.db, job.workspaceId, [job.creatorId])).get(job.creatorId) : undefined
  const seen = new Set<string>()
  const keep = (list: Array<string | null | undefined>) =>
    list.filter((a): a is string => {
      if (!a || !isDeliverableAddress(a) || seen.has(a.toLowerCase())) return false
      seen.add(a.toLowerCase())
      return true
    })
  const to = keep([job.to.owner ? job.contact.ownerEmail : null, creator?.email, ...job.to.addresses])
  const cc = keep(job.to.cc)
  return to.length ? { to, cc } : { to: cc, cc: [] }
}

/** The job in the shape the alert template reads: the same variables, the campaign's name as the alert's. */
function asAlertJob(job: CampaignAlertJob | OwnerNoticeJob): AlertJob {
  return {
    kind: 'alert',
    alertKey: job.actionKey,
    alertId: job.campaignId,
    workspaceId: job.workspaceId,
    firedAt: job.firedAt,
    contact: job.contact,
    visit: (job.kind === 'campaign-alert' ? job.visit : undefined) ?? { url: '', title: '', visibleMs: 0, startedAt: job.firedAt },
    recentActivity: job.recentActivity,
  }
}

/** The campaign as delivery reads it: ON now, and the version the run started on. Null for an owner notice. */
type CampaignNow = Awaited<ReturnType<typeof campaignNowAndAt>> | null

async function mail(
  ctx: DeliveryContext,
  entry: SingleRowEntry,
  job: CampaignAlertJob | OwnerNoticeJob,
  to: { to: string[]; cc: string[] },
  campaign: CampaignNow,
): Promise<DeliveryOutcome> {
  const earlier = await checkEarlierAttempts(entry, ctx.transport)
  if (earlier) return earlier
  if (campaign && !campaign.on) return entry.skip(CAMPAIGN_OFF)
  if (to.to.length === 0) return entry.fail('no reachable recipient')
  // The subject carries only marketer text (the step's subject or the campaign's name), never the contact's.
  const name =
    job.kind === 'campaign-alert' ? job.subject || job.campaignName : `A contact was assigned to you (campaign ${job.campaignName})`
  // The send-alert step's description, attachment and template, from the run's version (templates
  // are too large to ride in the queue message); the default content when the step is gone.
  const content = campaign?.definition ? findSendAlertStep(campaign.definition.steps, job.stepId) : null
  const rendered = await renderAlert(asAlertJob(job), {
    name,
    description: content?.description || `Campaign: ${job.campaignName}`,
    templateHtml: content?.templateHtml ?? null,
    attachmentTemplate: content?.attachment?.template ?? null,
    attachmentFormat: content?.attachment?.format ?? null,
  })
  return sendClaimed(
    entry,
    ctx.transport,
    { alertKey: job.actionKey, kind: 'alert', from: ctx.config.MAIL_FROM, ...to, ...rendered },
    rendered.warnings,
  )
}

async function post(
  ctx: DeliveryContext,
  entry: SingleRowEntry,
  job: Extract<CampaignActionJob, { url: string }>,
  campaign: CampaignNow,
  transport: Transport | null,
  missing: string,
): Promise<DeliveryOutcome> {
  if (!transport) return entry.fail(missing)
  const earlier = await checkEarlierAttempts(entry, transport)
  if (earlier) return earlier
  if (!campaign?.on) return entry.skip(CAMPAIGN_OFF)
  const refused = campaignTargetRefusal(job.url, ctx.config.ALLOW_PRIVATE_WEBHOOKS)
  if (refused) return entry.fail(`not called: ${refused}`)
  return sendClaimed(entry, transport, postMessage(job, ctx.config.MAIL_FROM))
}

/** What a webhook or chat receives: the campaign, the step and the contact, as plain values. */
function postMessage(job: Extract<CampaignActionJob, { url: string }>, from: string): OutgoingMessage {
  const c = job.contact
  const data = {
    event: 'campaign.step',
    campaign: { id: job.campaignId, name: job.campaignName, version: job.version },
    step: { id: job.stepId },
    contact: contactData(c),
    fired_at: new Date(job.firedAt).toISOString(),
  }
  const lines = [
    `Contact: ${c.name || c.email} <${c.email}>`,
    ...(c.company ? [`Company: ${c.company}`] : []),
    `Owner: ${c.ownerName || c.ownerEmail || 'nobody'}`,
    `Tags: ${c.tags.join(', ')}`,
    `Score: ${c.score}`,
    `At: ${formatTime(job.firedAt)}`,
  ]
  return {
    alertKey: job.actionKey,
    kind: 'alert',
    from,
    // The one recipient is the URL: the send rules report per recipient, and a post has one.
    to: [job.url],
    cc: [],
    subject: `[Pagebell] ${job.campaignName}`.slice(0, 150),
    text: lines.join('\n'),
    html: '',
    attachments: [],
    data,
  }
}

const contactData = (c: ContactSnapshot) => ({
  id: c.id,
  email: c.email,
  name: c.name,
  company: c.company,
  phone: c.phone,
  owner_email: c.ownerEmail,
  tags: c.tags,
  score: c.score,
})
