// What travels on the alerts queue: a union on `kind`. Alert jobs come from a contact's object;
// digest jobs are scheduled by the consumer itself (delayed to the end of an hour) for the flood
// cap; account mails (invitations, password resets) come from the admin; campaign actions
// (campaign-job.ts) come from a contact's object. The consumer validates every message with `QueueJob` before
// acting on it.
import * as v from 'valibot'
import { AlertJob } from './alert-job'
import { CampaignAlertJob, CampaignChatJob, CampaignWebhookJob, ListsRecheckJob, OwnerNoticeJob } from './campaign-job'

export const DigestJob = v.object({
  kind: v.literal('digest'),
  digestId: v.string(),
  workspaceId: v.string(),
  recipient: v.string(),
  hourStart: v.number(),
})
export type DigestJob = v.InferOutput<typeof DigestJob>

/**
 * An invitation or password-reset e-mail (worker/delivery/deliver-account-mail.ts). `url` is the
 * link with its secret: the database keeps only the secret's hash, so this message is its only
 * copy, and the sweeper cannot queue it again (the user asks for a new link instead).
 */
export const AccountMailJob = v.object({
  kind: v.literal('account-mail'),
  linkId: v.string(),
  workspaceId: v.string(),
  url: v.pipe(v.string(), v.url()),
})
export type AccountMailJob = v.InferOutput<typeof AccountMailJob>

export const QueueJob = v.variant('kind', [
  AlertJob,
  DigestJob,
  AccountMailJob,
  CampaignAlertJob,
  OwnerNoticeJob,
  CampaignWebhookJob,
  CampaignChatJob,
  ListsRecheckJob,
])
export type QueueJob = v.InferOutput<typeof QueueJob>

/** A message body as a job, or why it is not one (for the dead-letter record). */
export function parseQueueJob(body: unknown): { ok: true; job: QueueJob } | { ok: false; reason: string } {
  const parsed = v.safeParse(QueueJob, body)
  if (parsed.success) return { ok: true, job: parsed.output }
  const reason = parsed.issues
    .slice(0, 3)
    .map((issue) => {
      const path = v.getDotPath(issue)
      return path ? `${path}: ${issue.message}` : issue.message
    })
    .join('; ')
  return { ok: false, reason: `not a queue job (${reason})` }
}
