// Campaign actions (an alert e-mail, a notice to a new owner, a signed webhook, a chat post) are
// never lost, as alerts are not: when the queue gives up on an action's job during an outage (its
// dead letter), the row is handed to the outbox sweeper instead of being failed, and once the
// receiver is back the sweeper queues the same job again, delivered exactly once under the same
// action key. The clock is driven and the sweeper run by hand; the last test runs the cron
// trigger with the real queue. And an action whose campaign was switched OFF before it went out
// is recorded `skipped` and sends nothing, as an alert's does.
import { createScheduledController, env } from 'cloudflare:test'
import { beforeAll, describe, expect, it } from 'vitest'
import type { CampaignActionJob } from '../../../durable-objects/contracts/campaign-job'
import type { QueueJob } from '../../../durable-objects/contracts/queue-job'
import { claimCampaignAction, findCampaignAction } from '../../../worker/db/queries/campaign-runs'
import { DEAD_LETTER_QUEUE } from '../../../worker/delivery/consumer'
import { recordDeadLetters } from '../../../worker/delivery/dead-letter'
import { setCampaignActive } from '../../../worker/db/queries/campaigns'
import { CAMPAIGN_OFF, deliverCampaignAction, openCampaignActionRow } from '../../../worker/delivery/deliver-campaign-action'
import { sweepOutbox } from '../../../worker/delivery/outbox-sweeper'
import { RETRY_WINDOW_MS, SENDING_STALE_MS, SWEEP_GRACE_MS } from '../../../worker/delivery/retry-schedule'
import { smtpTransport } from '../../../worker/delivery/transports/smtp'
import worker from '../../../worker/index'
import type { ReceivedRequest } from '../../support/received-request'
import { campaignShop, type CampaignShop } from '../campaigns/object-fixture'
import {
  crashingAfterSend,
  db,
  deliverAt,
  deliveryContext,
  httpFault,
  httpRequests,
  mailsFor,
  newId,
  oneMessageBatch,
  smtp,
  testClock,
} from './support'

const DOWN = 'smtp://127.0.0.1:9'
const SECRET = 'whsec_sweeper_test'

let shop: CampaignShop
/** The campaign the actions come from: ON, started by hand only, so nothing here runs it. */
let campaignId: string

beforeAll(async () => {
  shop = await campaignShop({ webhookSecret: SECRET })
  campaignId = await shop.addCampaign({
    name: 'Hot leads',
    triggers: [{ type: 'manual' }],
    steps: [{ id: 'act', type: 'add-tag', tag: 'x' }],
  })
})

/** An action job as a contact's object hands it to the queue. */
function actionJob<K extends CampaignActionJob['kind']>(
  kind: K,
  extra: Omit<Extract<CampaignActionJob, { kind: K }>, keyof Base | 'kind'>,
) {
  const contactId = newId('c')
  const base: Base = {
    actionKey: `${newId('cmp')}:${contactId}:1:${kind.replace('campaign-', '')}`,
    workspaceId: shop.workspaceId,
    campaignId,
    campaignName: 'Hot leads',
    version: 1,
    stepId: 'act',
    firedAt: Date.now(),
    contact: {
      id: contactId,
      workspaceId: shop.workspaceId,
      email: `${contactId}@buyer.test`,
      name: 'Dana Buyer',
      company: 'Buyer Inc',
      phone: '',
      ownerEmail: `owner-${contactId}@shop.test`,
      ownerName: 'Olivia Owner',
      tags: ['hot'],
      score: 60,
      identifiedBy: 'form',
    },
  }
  return { kind, ...base, ...extra } as Extract<CampaignActionJob, { kind: K }>
}
type Base = Omit<CampaignActionJob, 'kind' | 'to' | 'subject' | 'creatorId' | 'visit' | 'recentActivity' | 'ownerId' | 'url'>

/**
 * One action of each kind with its receiver: `down()` makes the next attempt fail as an outage
 * would (SMTP not listening; the HTTP receiver answering 503) and gives the delivery context for
 * it; `up()` the context once the receiver is back; `received()` the action keys it got.
 */
async function action(kind: CampaignActionJob['kind']) {
  const mailTo = (job: CampaignActionJob, address: string) => ({
    job,
    down: () => Promise.resolve(smtpTransport(DOWN)),
    received: async () => (await mailsFor(address)).map((m) => m.headers['x-pagebell-alert-key']),
  })
  const postTo = (make: (url: string) => CampaignActionJob) => {
    const path = `/${kind}/${newId('p')}`
    return {
      job: make(`${env.HTTP_SINK_URL}${path}`),
      down: async () => {
        await httpFault(503, path, 1)
        return smtp()
      },
      received: async () => (await httpRequests(path)).filter((r) => r.status === 200).map(postedKey),
    }
  }
  switch (kind) {
    case 'campaign-alert': {
      const job = actionJob('campaign-alert', {
        to: { owner: true, creator: false, addresses: [], cc: [] },
        creatorId: shop.ownerId,
        recentActivity: [],
      })
      return mailTo(job, job.contact.ownerEmail!)
    }
    case 'campaign-owner-notice': {
      const rep = await shop.addRep('Ann')
      return mailTo(actionJob('campaign-owner-notice', { ownerId: rep, recentActivity: [] }), `${rep}@shop.test`)
    }
    case 'campaign-webhook':
      return postTo((url) => actionJob('campaign-webhook', { url }))
    case 'campaign-chat':
      return postTo((url) => actionJob('campaign-chat', { url }))
  }
}

/** The action key a post carries: the webhook's header, or the chat message's context line ("alert <key>"). */
function postedKey(request: ReceivedRequest): string | undefined {
  const header = request.headers['x-pagebell-alert-key']
  if (header) return header
  return /"alert ([^"]+)"/.exec(request.body)?.[1]
}

/** What a sweep at `now` queues for this action. */
async function sweptFor(actionKey: string, now: number): Promise<QueueJob[]> {
  const sent: QueueJob[] = []
  await sweepOutbox({ db: db(), queue: { send: (body: QueueJob) => Promise.resolve(void sent.push(body)) }, now })
  return sent.filter((j) => 'actionKey' in j && j.actionKey === actionKey)
}

/** The dead-letter consumer receives the job at `now`: the queue's own retries ran out. */
async function deadLetter(job: CampaignActionJob, now: number) {
  const { batch, outcome } = oneMessageBatch(DEAD_LETTER_QUEUE, job, 1)
  await recordDeadLetters({ db: db(), now: () => now }, batch)
  return outcome
}

const row = async (actionKey: string) => {
  const found = await findCampaignAction(db(), actionKey)
  if (!found) throw new Error(`no action row for ${actionKey}`)
  return found
}

const KINDS = ['campaign-alert', 'campaign-owner-notice', 'campaign-webhook', 'campaign-chat'] as const

describe('outbox sweeper: campaign actions', () => {
  it.each(KINDS)('%s: an outage longer than the queue retries, then recovery: delivered once, same key', async (kind) => {
    const { job, down, received } = await action(kind)
    const clock = testClock()
    // The outage: three attempts on the retry schedule fail, then the queue gives up on the message.
    for (let attempt = 1; attempt <= 3; attempt++) {
      const failed = await deliverAt(deliveryContext(await down(), { now: clock.now }), job, attempt)
      expect(failed).toMatchObject({ retried: true })
      clock.advance(failed.delaySeconds! * 1000)
    }
    expect(await row(job.actionKey)).toMatchObject({ status: 'pending', attempts: 3, nextAttemptAt: clock.now() })
    expect(await deadLetter(job, clock.now())).toMatchObject({ acked: true })
    // Handed to the sweeper, not failed: pending and due now.
    expect(await row(job.actionKey)).toMatchObject({ status: 'pending', nextAttemptAt: clock.now() })

    // Within the grace the sweeper leaves it (a queued copy may still come); then it queues the same job once.
    expect(await sweptFor(job.actionKey, clock.now() + SWEEP_GRACE_MS - 1)).toEqual([])
    clock.advance(SWEEP_GRACE_MS)
    const [again, ...more] = await sweptFor(job.actionKey, clock.now())
    expect(more).toEqual([])
    expect(again).toEqual(job)
    expect(await sweptFor(job.actionKey, clock.now())).toEqual([])

    // The receiver is back.
    expect(await deliverAt(deliveryContext(smtp(), { now: clock.now }), again!)).toMatchObject({ acked: true })
    expect(await row(job.actionKey)).toMatchObject({ status: 'sent', attempts: 4, nextAttemptAt: null })
    // A duplicate of the message, and later sweeps, send nothing more.
    expect(await deliverAt(deliveryContext(smtp(), { now: clock.now }), job)).toMatchObject({ acked: true })
    expect(await sweptFor(job.actionKey, clock.now() + 3 * SWEEP_GRACE_MS)).toEqual([])
    expect(await received()).toEqual([job.actionKey])
  })

  it('puts an action whose job never reached the outbox (D1 down on every try) into it, due, and the sweeper delivers it', async () => {
    const { job, received } = await action('campaign-webhook')
    const now = Date.now()
    expect(await deadLetter(job, now)).toMatchObject({ acked: true })
    expect(await row(job.actionKey)).toMatchObject({
      status: 'pending',
      attempts: 0,
      job,
      nextAttemptAt: now,
      retryUntil: now + RETRY_WINDOW_MS,
    })

    const [swept] = await sweptFor(job.actionKey, now + SWEEP_GRACE_MS)
    expect(swept).toEqual(job)
    expect(await deliverAt(deliveryContext(smtp()), swept!)).toMatchObject({ acked: true })
    expect(await received()).toEqual([job.actionKey])
  })

  it('fails a dead-lettered action only once its 24-hour window is over, keeping the last error', async () => {
    const { job, down } = await action('campaign-alert')
    const clock = testClock()
    expect(await deliverAt(deliveryContext(await down(), { now: clock.now }), job)).toMatchObject({ retried: true })
    clock.advance(RETRY_WINDOW_MS)
    expect(await deadLetter(job, clock.now())).toMatchObject({ acked: true })
    const failed = await row(job.actionKey)
    expect(failed).toMatchObject({ status: 'failed', nextAttemptAt: null })
    expect(failed.error).toMatch(
      /^gave up: the queue's retries ran out \(dead-letter queue\) after the retry window ended; last error: smtp:/,
    )
    expect(await sweptFor(job.actionKey, clock.now() + SWEEP_GRACE_MS)).toEqual([])
  })

  it('queues an action left sending by an attempt that died: the webhook is called under the same key', async () => {
    const { job, received } = await action('campaign-webhook')
    const clock = testClock()
    // An attempt opened the row and claimed it, then died (its message never came back).
    const opened = await openCampaignActionRow(db(), job, clock.now())
    expect(await claimCampaignAction(db(), opened!.id, 0, clock.now())).toBe(true)

    expect(await sweptFor(job.actionKey, clock.now() + SENDING_STALE_MS)).toEqual([])
    clock.advance(SENDING_STALE_MS + SWEEP_GRACE_MS)
    const [again] = await sweptFor(job.actionKey, clock.now())
    expect(again).toEqual(job)
    expect(await deliverAt(deliveryContext(smtp(), { now: clock.now }), again!)).toMatchObject({ acked: true })
    // A webhook is idempotent: sent (again, had the dead attempt reached it) with the same key, for the receiver to dedupe.
    expect(await received()).toEqual([job.actionKey])
    expect(await row(job.actionKey)).toMatchObject({ status: 'sent' })
  })

  it('marks an e-mail action left sending by a dead attempt unknown rather than mail it twice', async () => {
    const { job, received } = await action('campaign-alert')
    const clock = testClock()
    void deliverCampaignAction(deliveryContext(crashingAfterSend(smtp()), { now: clock.now }), job)
    await expect.poll(received, { timeout: 5_000 }).toHaveLength(1)

    clock.advance(SENDING_STALE_MS + SWEEP_GRACE_MS)
    const [again] = await sweptFor(job.actionKey, clock.now())
    expect(again).toEqual(job)
    expect(await deliverAt(deliveryContext(smtp(), { now: clock.now }), again!)).toMatchObject({ acked: true })
    expect(await received()).toEqual([job.actionKey])
    expect(await row(job.actionKey)).toMatchObject({ status: 'unknown' })
  })

  it('runs from the cron trigger, and the real queue delivers the action it queued', async () => {
    const { job, down, received } = await action('campaign-chat')
    const start = Date.now()
    expect(await deliverAt(deliveryContext(await down(), { now: () => start }), job)).toMatchObject({ retried: true })
    expect(await deadLetter(job, start + 60_000)).toMatchObject({ acked: true })
    const controller = createScheduledController({ scheduledTime: new Date(start + 60_000 + SWEEP_GRACE_MS), cron: '* * * * *' })
    await worker.scheduled(controller, env)
    await expect.poll(received, { timeout: 10_000 }).toEqual([job.actionKey])
    await expect.poll(async () => (await row(job.actionKey)).status, { timeout: 5_000 }).toBe('sent')
  })
})

describe('campaign actions of a campaign switched OFF', () => {
  it('records the alert, webhook and chat post skipped and sends nothing; the notice of an assignment made still goes', async () => {
    const off = await shop.addCampaign({
      name: 'Stopped',
      triggers: [{ type: 'manual' }],
      steps: [{ id: 'act', type: 'add-tag', tag: 'x' }],
    })
    await setCampaignActive(db(), shop.workspaceId, off, false)
    const kinds = ['campaign-alert', 'campaign-webhook', 'campaign-chat', 'campaign-owner-notice'] as const
    for (const kind of kinds) {
      const sent = await action(kind)
      const job = { ...sent.job, campaignId: off }
      await deliverAt(deliveryContext(smtp()), job)
      const { status, error } = await row(job.actionKey)
      if (kind === 'campaign-owner-notice') {
        expect(status).toBe('sent')
        continue
      }
      expect(status, kind).toBe('skipped')
      expect(error).toBe(CAMPAIGN_OFF)
      expect(await sent.received()).toEqual([])
    }
  })
})
