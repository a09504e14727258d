// Delivers an invitation or password-reset e-mail through the configured transport by the same
// outbox rules as an alert (`outbox-send.ts`): claimed just before the send, sent once, temporary
// failures retried on the retry schedule (until ten minutes before the link expires), an interrupted
// send repeated only by an idempotent transport. The link's row is the outbox entry (its
// `mail_*` columns). A link that was replaced, used, expired or whose user was deactivated
// before its turn is not sent.
import type { AccountMailJob } from '../../durable-objects/contracts/queue-job'
import type { Db } from '../db/client'
import { changeLinkMail, claimLinkMail, linkForMail, type AccountLinkRow } from '../db/queries/account-links'
import { renderAccountMail } from './content/render-account-mail'
import type { DeliveryContext } from './deliver-alert'
import { checkEarlierAttempts, sendClaimed, type DeliveryOutcome } from './outbox-send'
import { RETRY_WINDOW_MS } from './retry-schedule'
import { singleRowEntry, type SingleRowEntry } from './single-row-entry'

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

/** The link's e-mail as this attempt found it, at `now`. */
function linkMailEntry(db: Db, link: AccountLinkRow, now: number): SingleRowEntry {
  return singleRowEntry({
    status: link.mailStatus,
    attempts: link.mailAttempts,
    updatedAt: link.mailUpdatedAt,
    retryUntil: Math.min(link.expiresAt - EXPIRY_MARGIN_MS, link.createdAt + RETRY_WINDOW_MS),
    now,
    claim: (seen) => claimLinkMail(db, link.id, seen, now),
    change: (from, attempts, status, error) => changeLinkMail(db, link.id, { attempts, status: from }, { status, error }, now),
    gaveUp: (_attempt, error) => `gave up before the link expired; last error: ${error}`,
  })
}
