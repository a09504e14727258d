// The dead-letter path of campaign actions (send-alert, owner notice, webhook, chat), the same as
// alerts': a job whose queue retries ran out is never dropped. Its outbox row (created from the
// job when D1 was down on every try before) is left pending and due now, so the sweeper queues
// the same job again, under the same action key, once it is SWEEP_GRACE_MS overdue; only a row
// whose 24-hour retry window is over is failed.
import type { CampaignActionJob } from '../../durable-objects/contracts/campaign-job'
import type { Db } from '../db/client'
import { failOpenCampaignAction, findCampaignAction, postponeCampaignAction } from '../db/queries/campaign-runs'
import { openCampaignActionRow } from './deliver-campaign-action'

/** Hands the action's row to the sweeper, or fails it with `windowOver` when its retry window is over. */
export async function deadLetterCampaignAction(db: Db, job: CampaignActionJob, now: number, windowOver: string): Promise<void> {
  const row = await findCampaignAction(db, job.actionKey)
  if (!row) {
    // The job never reached the outbox: put it there now, due.
    await openCampaignActionRow(db, job, now)
    return
  }
  // Finished (sent, failed, unknown, skipped, or closed by an erasure): nothing left to do.
  if (row.status !== 'pending' && row.status !== 'sending') return
  if (now >= row.retryUntil) return failOpenCampaignAction(db, job.actionKey, windowOver, now)
  // A `sending` row keeps its claim: the sweeper takes it up once the claim is stale.
  await postponeCampaignAction(db, job.actionKey, now)
}
