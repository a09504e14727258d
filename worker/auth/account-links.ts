// Invitation and password-reset links: a random secret in a URL, mailed to the user through the
// queue and the delivery rules of the alerts (worker/delivery/deliver-account-mail.ts); only its
// SHA-256 is stored. A link works once and until it expires (an invitation 72 hours, a reset one
// hour); sending a new one of the same kind to a user cancels the older one. Using it sets the
// user's password: an invitation also makes the user active, a reset ends every session the
// user had (whoever knew the old password is out).
import type { AccountMailJob } from '../../durable-objects/contracts/queue-job'
import { createDb } from '../db/client'
import { failLinkMail, insertAccountLink, usableLink, useLink, type LinkPurpose, type UsableLink } from '../db/queries/account-links'
import type { AuthUser } from '../db/queries/auth'
import { setPassword } from '../db/queries/users'
import { hashPassword } from './password'
import { newSecret, secretHash } from './secret-token'
import { revokeUserSessions } from './sessions'

const HOUR_MS = 3_600_000

export const LINK_LIFETIME_MS: Record<LinkPurpose, number> = { invite: 72 * HOUR_MS, reset: HOUR_MS }

/** The page a link opens: /admin/invite/<secret> or /admin/reset/<secret>. */
export const LINK_PATHS: Record<LinkPurpose, string> = { invite: '/admin/invite/', reset: '/admin/reset/' }

const SECRET_SHAPE = /^pbl_[A-Za-z0-9_-]{43}$/

const newLinkId = () => `acl_${crypto.randomUUID().replace(/-/g, '').slice(0, 20)}`

/**
 * Makes a link for the user and queues its e-mail. When the queue refuses the message, the
 * link's mail is marked failed at once (the team screen offers to send it again) rather than
 * left pending.
 */
export async function sendAccountLink(
  env: Env,
  link: { user: { id: string; workspaceId: string }; purpose: LinkPurpose; createdBy: string | null; origin: string; now: number },
): Promise<{ linkId: string; queued: boolean }> {
  const db = createDb(env.DB)
  const secret = newSecret('pbl_')
  const id = newLinkId()
  await insertAccountLink(db, {
    id,
    workspaceId: link.user.workspaceId,
    userId: link.user.id,
    purpose: link.purpose,
    tokenHash: await secretHash(secret),
    expiresAt: link.now + LINK_LIFETIME_MS[link.purpose],
    createdBy: link.createdBy,
    now: link.now,
  })
  const job: AccountMailJob = {
    kind: 'account-mail',
    linkId: id,
    workspaceId: link.user.workspaceId,
    url: `${link.origin}${LINK_PATHS[link.purpose]}${secret}`,
  }
  try {
    await env.ALERTS.send(job)
    return { linkId: id, queued: true }
  } catch (err) {
    console.error('account mail not queued', err)
    await failLinkMail(db, id, 'the e-mail could not be queued; send it again', link.now)
    return { linkId: id, queued: false }
  }
}

/** The link's user and expiry while the link can still be used, else null (unknown, used, expired or replaced). */
export async function openLink(env: Env, secret: string, purpose: LinkPurpose, now = Date.now()): Promise<UsableLink | null> {
  if (!SECRET_SHAPE.test(secret)) return null
  return usableLink(createDb(env.DB), await secretHash(secret), purpose, now)
}

/**
 * Uses the link to set the user's password (and, for an invitation, the name typed). Null when
 * the link is not usable any more, or its user is no longer invited (for an invitation) or
 * active (for a reset). The link is claimed by one statement, so it works once even when posted
 * twice at the same moment.
 */
export async function useAccountLink(
  env: Env,
  secret: string,
  purpose: LinkPurpose,
  input: { password: string; name?: string },
  now = Date.now(),
): Promise<AuthUser | null> {
  if (!SECRET_SHAPE.test(secret)) return null
  const db = createDb(env.DB)
  // Hashed before the link is claimed, so nothing that can fail remains between the claim and the write.
  const passwordHash = await hashPassword(input.password)
  const claimed = await useLink(db, await secretHash(secret), purpose, now)
  if (!claimed) return null
  const user = await setPassword(db, {
    workspaceId: claimed.workspaceId,
    id: claimed.userId,
    passwordHash,
    from: purpose === 'invite' ? 'invited' : 'active',
    name: input.name,
  })
  if (!user) return null
  if (purpose === 'reset') await revokeUserSessions(env, user.workspaceId, user.id)
  return { id: user.id, workspaceId: user.workspaceId, email: user.email, name: user.name, role: user.role }
}
