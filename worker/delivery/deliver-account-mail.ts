// Delivers an invitation or password-reset e-mail through the configured transport by the same
// outbox rules as an alert (`outbox-send.ts`): claimed just before the send, sent once, temporary
// failures retried on the retry schedule (until ten minutes before the link expires), an interrupted
// send repeated only by an idempotent transport. The link's row is the outbox entry (its
// `mail_*` columns). A link that was replaced, used, expired or whose user was deactivated
// before its turn is not sent.
import type { AccountMailJob } from '../../durable-objects/contracts/queue-job'
import type { Db } from '../db/client'
import { changeLinkMail, claimLinkMail, linkForMail, type AccountLinkRow, type MailStatus } from '../db/queries/account-links'
import { renderAccountMail } from './content/render-account-mail'
import type { DeliveryContext } from './deliver-alert'
import {
  checkEarlierAttempts,
  INTERRUPTED_ERROR,
  sendClaimed,
  type DeliveryOutcome,
  type OutboxEntry,
  type Settlement,
} from './outbox-send'
import { nextAttemptAt, RETRY_WINDOW_MS, secondsUntil, SENDING_STALE_MS } from './retry-schedule'

export async function deliverAccountMail(ctx: DeliveryContext, job: AccountMailJob): Promise<DeliveryOutcome> {
  const { db, transport } = ctx
  const now = ctx.now()
  const found = await linkForMail(db, job.linkId)
  // A newer link for the same user replaced this one, or the user was deactivated: nothing to send.
  if (!found || found.link.workspaceId !== job.workspaceId) return { outcome: 'skipped' }
  const { link } = found
  const entry = linkMailEntry(db, link, now)
  const earlier = await checkEarlierAttempts(entry, transport)
  if (earlier) return earlier
  if (link.usedAt !== null || link.expiresAt <= now) return entry.skip('the link was used or expired before its e-mail went out')
  if (found.userStatus === 'deactivated') return entry.skip('the user was deactivated')

  const rendered = await renderAccountMail({
    purpose: link.purpose,
    workspace: found.workspaceName,
    inviter: found.inviterEmail === null ? null : { name: found.inviterName ?? '', email: found.inviterEmail },
    role: found.role,
    email: found.email,
    url: job.url,
    expiresAt: link.expiresAt,
  })
  return sendClaimed(entry, transport, {
    alertKey: link.id,
    kind: 'account',
    from: ctx.config.MAIL_FROM,
    to: [found.email],
    cc: [],
    attachments: [],
    ...rendered,
  })
}

/** No retry once the link has less than this left: a link that arrives as it expires is no use. */
export const EXPIRY_MARGIN_MS = 10 * 60_000

type LinkMailEntry = OutboxEntry & { skip(reason: string): Promise<DeliveryOutcome> }

/** The link's e-mail as this attempt found it, at `now`. */
function linkMailEntry(db: Db, link: AccountLinkRow, now: number): LinkMailEntry {
  const seen = link.mailAttempts
  const attempt = seen + 1
  const retryUntil = Math.min(link.expiresAt - EXPIRY_MARGIN_MS, link.createdAt + RETRY_WINDOW_MS)
  const change = (from: MailStatus[] | undefined, attempts: number, status: MailStatus, error: string | null) =>
    changeLinkMail(db, link.id, { attempts, status: from }, { status, error }, now)
  const staleAt = link.mailUpdatedAt + SENDING_STALE_MS
  const state =
    link.mailStatus === 'pending'
      ? { state: 'open' as const, staleInSeconds: 0 }
      : link.mailStatus !== 'sending'
        ? { state: 'finished' as const, staleInSeconds: 0 }
        : now < staleAt
          ? { state: 'in-flight' as const, staleInSeconds: secondsUntil(staleAt, now) }
          : { state: 'interrupted' as const, staleInSeconds: 0 }

  return {
    ...state,
    claim: () => claimLinkMail(db, link.id, seen, now),
    async settle({ result }: Settlement): Promise<DeliveryOutcome> {
      if (result.outcome === 'sent') {
        await change(undefined, attempt, 'sent', null)
        return { outcome: 'sent' }
      }
      const error = result.error?.message ?? 'not sent'
      const retryAt = result.outcome === 'retry' ? nextAttemptAt(attempt, now, retryUntil) : null
      if (retryAt === null) {
        await change(
          undefined,
          attempt,
          'failed',
          result.outcome === 'retry' ? `gave up before the link expired; last error: ${error}` : error,
        )
        return { outcome: 'failed' }
      }
      await change(undefined, attempt, 'pending', error)
      return { outcome: 'retry', delaySeconds: secondsUntil(retryAt, now) }
    },
    async markUnknown() {
      await change(['sending'], seen, 'unknown', INTERRUPTED_ERROR)
    },
    reopen: () => change(['sending'], seen, 'pending', null),
    // The link keeps no attempt log: a redelivered job leaves nothing to record.
    skipFinished: async () => {},
    async skip(reason) {
      await change(['pending'], seen, 'skipped', reason)
      return { outcome: 'skipped' }
    },
  }
}
