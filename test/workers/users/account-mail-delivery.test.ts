// Account e-mails go through the delivery path of the alerts: the queue job is validated by the
// consumer, the link's row is the outbox entry (claimed before the send, settled after), a
// temporary SMTP failure is retried and then delivered exactly once, a permanent one is recorded
// with its reason, a replaced or used link is not sent, and the dead-letter path marks the mail
// failed (its secret is only in the message, so nothing can queue it again).
import { env } from 'cloudflare:test'
import { beforeAll, describe, expect, it } from 'vitest'
import type { AccountMailJob } from '../../../durable-objects/contracts/queue-job'
import { createDb } from '../../../worker/db/client'
import { insertAccountLink } from '../../../worker/db/queries/account-links'
import { DEAD_LETTER_QUEUE } from '../../../worker/delivery/consumer'
import { recordDeadLetters } from '../../../worker/delivery/dead-letter'
import { deliverOnce, deliveryContext, mailsFor, oneMessageBatch, smtp, smtpFault } from '../delivery/support'
import { BASE, createAdminWorkspace, newId, type AdminFixture } from './users-fixture'

let ws: AdminFixture

beforeAll(async () => {
  ws = await createAdminWorkspace()
})

const db = () => createDb(env.DB)

/** A new user's invitation link and the job that mails it, made as the team service makes them. */
async function invitation(options: { expiresIn?: number } = {}) {
  const userId = newId('usr')
  const email = `${userId}@invitee.test`
  await env.DB.prepare("INSERT INTO users (id, workspace_id, email, role, status) VALUES (?, ?, ?, 'sales', 'invited')")
    .bind(userId, ws.shop.workspaceId, email)
    .run()
  const linkId = newId('acl')
  const now = Date.now()
  await insertAccountLink(db(), {
    id: linkId,
    workspaceId: ws.shop.workspaceId,
    userId,
    purpose: 'invite',
    tokenHash: newId('hash'),
    expiresAt: now + (options.expiresIn ?? 3_600_000),
    createdBy: ws.admin.id,
    now,
  })
  const job: AccountMailJob = {
    kind: 'account-mail',
    linkId,
    workspaceId: ws.shop.workspaceId,
    url: `${BASE}/admin/invite/pbl_${'x'.repeat(43)}`,
  }
  return { userId, email, linkId, job, createdAt: now }
}

const mailState = (linkId: string) =>
  env.DB.prepare('SELECT mail_status AS status, mail_attempts AS attempts, mail_error AS error FROM account_links WHERE id = ?')
    .bind(linkId)
    .first<{ status: string; attempts: number; error: string | null }>()

describe('account e-mails: delivery', () => {
  it('retries an SMTP 451 and then delivers exactly once, the outbox entry saying so', async () => {
    const { email, linkId, job } = await invitation()
    await smtpFault(451, email)
    const ctx = deliveryContext(smtp())
    expect(await deliverOnce(ctx, job, 1)).toEqual({ acked: false, retried: true })
    expect(await mailState(linkId)).toMatchObject({ status: 'pending', attempts: 1, error: expect.stringContaining('451') as unknown })
    expect(await mailsFor(email)).toHaveLength(0)

    expect(await deliverOnce(ctx, job, 2)).toEqual({ acked: true, retried: false })
    // A duplicate of the message finds the mail sent and sends nothing.
    expect(await deliverOnce(ctx, job, 1)).toEqual({ acked: true, retried: false })
    const mails = await mailsFor(email)
    expect(mails).toHaveLength(1)
    expect(mails[0]?.headers['x-pagebell-alert-key']).toBe(linkId)
    expect(await mailState(linkId)).toEqual({ status: 'sent', attempts: 2, error: null })
  })

  it('records a refused recipient (550) as failed with its reason, without retrying', async () => {
    const { linkId, job } = await invitation()
    await env.DB.prepare("UPDATE users SET email = 'reject-' || email WHERE id = (SELECT user_id FROM account_links WHERE id = ?)")
      .bind(linkId)
      .run()
    expect(await deliverOnce(deliveryContext(smtp()), job)).toEqual({ acked: true, retried: false })
    expect(await mailState(linkId)).toMatchObject({ status: 'failed', error: expect.stringMatching(/550/) as unknown })
  })

  it('sends nothing for a link replaced by a newer one, or already used', async () => {
    const replaced = await invitation()
    await insertAccountLink(db(), {
      id: newId('acl'),
      workspaceId: ws.shop.workspaceId,
      userId: replaced.userId,
      purpose: 'invite',
      tokenHash: newId('hash'),
      expiresAt: Date.now() + 3_600_000,
      createdBy: ws.admin.id,
      now: Date.now(),
    })
    expect(await deliverOnce(deliveryContext(smtp()), replaced.job)).toEqual({ acked: true, retried: false })

    const used = await invitation()
    await env.DB.prepare('UPDATE account_links SET used_at = ? WHERE id = ?').bind(Date.now(), used.linkId).run()
    expect(await deliverOnce(deliveryContext(smtp()), used.job)).toEqual({ acked: true, retried: false })
    expect(await mailState(used.linkId)).toMatchObject({ status: 'skipped' })
    for (const { email } of [replaced, used]) expect(await mailsFor(email)).toHaveLength(0)
  })

  it('stops retrying ten minutes before the link expires: the failure is final then', async () => {
    const minute = 60_000
    const { linkId, job, email, createdAt } = await invitation({ expiresIn: 20 * minute })
    await smtpFault(451, email)
    expect(await deliverOnce(deliveryContext(smtp(), { now: () => createdAt + 9 * minute }), job)).toEqual({ acked: false, retried: true })
    await smtpFault(451, email)
    const tooLate = deliveryContext(smtp(), { now: () => createdAt + 10 * minute })
    expect(await deliverOnce(tooLate, job, 2)).toEqual({ acked: true, retried: false })
    expect(await mailState(linkId)).toMatchObject({ status: 'failed', error: expect.stringContaining('gave up') as unknown })
    expect(await mailsFor(email)).toHaveLength(0)
  })

  it('does not send a link that expired while its mail waited', async () => {
    const { linkId, job, email, createdAt } = await invitation({ expiresIn: 60_000 })
    expect(await deliverOnce(deliveryContext(smtp(), { now: () => createdAt + 60_000 }), job)).toEqual({ acked: true, retried: false })
    expect(await mailState(linkId)).toMatchObject({ status: 'skipped' })
    expect(await mailsFor(email)).toHaveLength(0)
  })

  it('the dead-letter path marks the mail failed, asking for a new link', async () => {
    const { linkId, job } = await invitation()
    const { batch, outcome } = oneMessageBatch(DEAD_LETTER_QUEUE, job)
    await recordDeadLetters({ db: db(), now: Date.now }, batch)
    expect(outcome.acked).toBe(true)
    expect(await mailState(linkId)).toMatchObject({ status: 'failed', error: expect.stringContaining('send a new link') as unknown })
  })

  it('refuses a malformed account-mail message at the consumer, sending nothing', async () => {
    const { job, email } = await invitation()
    expect(await deliverOnce(deliveryContext(smtp()), { ...job, url: 'not a url' })).toEqual({
      acked: true,
      retried: false,
    })
    expect(await mailsFor(email)).toHaveLength(0)
  })
})
