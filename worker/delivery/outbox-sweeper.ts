// The outbox sweeper, run by the cron trigger (`[triggers] crons` in wrangler.toml, every
// minute). The queue carries every attempt of a job, and its retries; the sweeper is the
// backstop for what the queue lost: a pending row (an alert's, a digest, a campaign action's)
// whose next attempt is more than SWEEP_GRACE_MS overdue, or a row left `sending` by an attempt
// that died and was never redelivered, is queued again from the job stored on it. Leasing moves
// the row's next attempt to now first, so it is queued once per grace period at most; the
// consumer's outbox rules make a duplicate message harmless. `now` is the trigger's scheduled
// time, so tests and the local `/cdn-cgi/handler/scheduled?time=` endpoint can drive it.
import { parseQueueJob, type QueueJob } from '../../durable-objects/contracts/queue-job'
import { createDb, type Db } from '../db/client'
import { leaseCampaignAction, overdueCampaignActions } from '../db/queries/campaign-action-sweep'
import { failOpenCampaignAction } from '../db/queries/campaign-runs'
import { failOpenDelivery } from '../db/queries/deliveries'
import { leaseDelivery, leaseDigest, overdueDeliveries, overdueDigests } from '../db/queries/outbox-sweep'
import { isCampaignActionKind } from './deliver-campaign-action'
import { SENDING_STALE_MS, SWEEP_GRACE_MS } from './retry-schedule'

/** Rows of each kind queued per run; a backlog drains over the next runs. */
export const SWEEP_LIMIT = 100

export type SweepDeps = { db: Db; queue: { send(body: QueueJob): Promise<unknown> }; now: number }
export type SweepReport = { alerts: number; digests: number; campaignActions: number; unreadable: number; notQueued: number }

const unreadableJob = (reason: string) => `the sweeper cannot read the job stored on this row (${reason}); not re-sent`

export async function sweepOutbox({ db, queue, now }: SweepDeps): Promise<SweepReport> {
  const window = { overdueBefore: now - SWEEP_GRACE_MS, claimedBefore: now - SENDING_STALE_MS - SWEEP_GRACE_MS, limit: SWEEP_LIMIT }
  const report: SweepReport = { alerts: 0, digests: 0, campaignActions: 0, unreadable: 0, notQueued: 0 }
  const requeue = async (job: QueueJob) => {
    try {
      await queue.send(job)
      return true
    } catch (err) {
      // The lease stands, so the row comes up again after the grace period.
      console.error('outbox sweep: could not queue a job', err)
      report.notQueued++
      return false
    }
  }

  for (const row of await overdueDeliveries(db, window)) {
    const parsed = parseQueueJob(row.job)
    if (!parsed.ok || parsed.job.kind !== 'alert') {
      const reason = parsed.ok ? 'not an alert job' : parsed.reason
      await failOpenDelivery(db, row.alertKey, unreadableJob(reason), now)
      report.unreadable++
      continue
    }
    if (row.nextAttemptAt === null || !(await leaseDelivery(db, row.id, row.nextAttemptAt, now))) continue
    if (await requeue(parsed.job)) report.alerts++
  }
  for (const digest of await overdueDigests(db, window)) {
    if (digest.nextAttemptAt === null || !(await leaseDigest(db, digest.id, digest.nextAttemptAt, now))) continue
    const job: QueueJob = {
      kind: 'digest',
      digestId: digest.id,
      workspaceId: digest.workspaceId,
      recipient: digest.recipient,
      hourStart: digest.hourStart,
    }
    if (await requeue(job)) report.digests++
  }
  for (const row of await overdueCampaignActions(db, window)) {
    const parsed = parseQueueJob(row.job)
    if (!parsed.ok || !isCampaignActionKind(parsed.job.kind)) {
      await failOpenCampaignAction(db, row.actionKey, unreadableJob(parsed.ok ? 'not a campaign action job' : parsed.reason), now)
      report.unreadable++
      continue
    }
    if (row.nextAttemptAt === null || !(await leaseCampaignAction(db, row.id, row.nextAttemptAt, now))) continue
    if (await requeue(parsed.job)) report.campaignActions++
  }
  return report
}

/** The `scheduled` handler: one sweep at the trigger's time. */
export async function sweepOnSchedule(controller: ScheduledController, env: Env): Promise<void> {
  const report = await sweepOutbox({ db: createDb(env.DB), queue: env.ALERTS, now: controller.scheduledTime })
  if (Object.values(report).some((n) => n > 0)) console.log(`outbox sweep: ${JSON.stringify(report)}`)
}
