// Invitation and password-reset links (`account_links`): created with their e-mail pending,
// found by the SHA-256 of their secret, used once. The `mail_*` columns are the link's outbox
// entry for delivery (worker/delivery/deliver-account-mail.ts); every write there names the
// attempt count it saw, as the alert outbox does, so an attempt never overwrites a later one.
import { and, desc, eq, gt, inArray, isNull } from 'drizzle-orm'
import { alias } from 'drizzle-orm/sqlite-core'
import type { Db } from '../client'
import { accountLinks, users, workspaces } from '../schema'

export type AccountLinkRow = typeof accountLinks.$inferSelect
export type LinkPurpose = AccountLinkRow['purpose']
export type MailStatus = AccountLinkRow['mailStatus']

/**
 * Stores a new link and, in the same batch, deletes the user's unused links of the same purpose:
 * only the newest invitation (or reset) works, and an e-mail still queued for an older one finds
 * no link and is not sent.
 */
export async function insertAccountLink(
  db: Db,
  row: {
    id: string
    workspaceId: string
    userId: string
    purpose: LinkPurpose
    tokenHash: string
    expiresAt: number
    createdBy: string | null
    now: number
  },
): Promise<void> {
  const { now, ...values } = row
  await db.batch([
    db
      .delete(accountLinks)
      .where(and(eq(accountLinks.userId, row.userId), eq(accountLinks.purpose, row.purpose), isNull(accountLinks.usedAt))),
    db.insert(accountLinks).values({ ...values, mailUpdatedAt: now, createdAt: now }),
  ])
}

export type UsableLink = {
  id: string
  purpose: LinkPurpose
  workspaceId: string
  userId: string
  email: string
  name: string
  expiresAt: number
}

/** The unused, unexpired link with this hash and purpose, with its user's e-mail and name; null otherwise. */
export async function usableLink(db: Db, tokenHash: string, purpose: LinkPurpose, now: number): Promise<UsableLink | null> {
  const rows = await db
    .select({
      id: accountLinks.id,
      purpose: accountLinks.purpose,
      workspaceId: accountLinks.workspaceId,
      userId: accountLinks.userId,
      email: users.email,
      name: users.name,
      expiresAt: accountLinks.expiresAt,
    })
    .from(accountLinks)
    .innerJoin(users, and(eq(users.id, accountLinks.userId), eq(users.workspaceId, accountLinks.workspaceId)))
    .where(
      and(
        eq(accountLinks.tokenHash, tokenHash),
        eq(accountLinks.purpose, purpose),
        isNull(accountLinks.usedAt),
        gt(accountLinks.expiresAt, now),
      ),
    )
    .limit(1)
  return rows[0] ?? null
}

/**
 * Marks the link used, if it still is usable: one statement, so two posts of the same link
 * cannot both use it. Returns its user, or null.
 */
export async function useLink(
  db: Db,
  tokenHash: string,
  purpose: LinkPurpose,
  now: number,
): Promise<{ workspaceId: string; userId: string } | null> {
  const [row] = await db
    .update(accountLinks)
    .set({ usedAt: now })
    .where(
      and(
        eq(accountLinks.tokenHash, tokenHash),
        eq(accountLinks.purpose, purpose),
        isNull(accountLinks.usedAt),
        gt(accountLinks.expiresAt, now),
      ),
    )
    .returning({ workspaceId: accountLinks.workspaceId, userId: accountLinks.userId })
  return row ?? null
}

/** The newest invitation of each of these users, for the team list (whether it was sent, until when it works). */
export async function latestInvites(db: Db, workspaceId: string, userIds: string[]) {
  if (userIds.length === 0) return new Map<string, AccountLinkRow>()
  const rows = await db
    .select()
    .from(accountLinks)
    .where(and(eq(accountLinks.workspaceId, workspaceId), eq(accountLinks.purpose, 'invite'), inArray(accountLinks.userId, userIds)))
    .orderBy(desc(accountLinks.createdAt))
  const latest = new Map<string, AccountLinkRow>()
  for (const row of rows) if (!latest.has(row.userId)) latest.set(row.userId, row)
  return latest
}

const inviter = alias(users, 'inviter')

/** Everything the link's e-mail needs: the link, its user, the workspace's name and who invited. */
export async function linkForMail(db: Db, id: string) {
  const rows = await db
    .select({
      link: accountLinks,
      email: users.email,
      name: users.name,
      role: users.role,
      userStatus: users.status,
      workspaceName: workspaces.name,
      inviterName: inviter.name,
      inviterEmail: inviter.email,
    })
    .from(accountLinks)
    .innerJoin(users, and(eq(users.id, accountLinks.userId), eq(users.workspaceId, accountLinks.workspaceId)))
    .innerJoin(workspaces, eq(workspaces.id, accountLinks.workspaceId))
    .leftJoin(inviter, eq(inviter.id, accountLinks.createdBy))
    .where(eq(accountLinks.id, id))
    .limit(1)
  return rows[0] ?? null
}

/** Pending → sending, counting the attempt; false when another attempt claimed it first. */
export async function claimLinkMail(db: Db, id: string, seenAttempts: number, now: number): Promise<boolean> {
  const rows = await db
    .update(accountLinks)
    .set({ mailStatus: 'sending', mailAttempts: seenAttempts + 1, mailUpdatedAt: now })
    .where(and(eq(accountLinks.id, id), eq(accountLinks.mailAttempts, seenAttempts), eq(accountLinks.mailStatus, 'pending')))
    .returning({ id: accountLinks.id })
  return rows.length === 1
}

/** Changes the mail's state while it is as the attempt saw it (`attempts`, and one of `status` if given). */
export async function changeLinkMail(
  db: Db,
  id: string,
  seen: { attempts: number; status?: MailStatus[] },
  next: { status: MailStatus; error: string | null },
  now: number,
): Promise<boolean> {
  const rows = await db
    .update(accountLinks)
    .set({ mailStatus: next.status, mailError: next.error, mailUpdatedAt: now })
    .where(
      and(
        eq(accountLinks.id, id),
        eq(accountLinks.mailAttempts, seen.attempts),
        seen.status ? inArray(accountLinks.mailStatus, seen.status) : undefined,
      ),
    )
    .returning({ id: accountLinks.id })
  return rows.length === 1
}

/** The queue gave up on the mail (or never took it): failed with the reason, unless it was sent meanwhile. */
export async function failLinkMail(db: Db, id: string, reason: string, now: number): Promise<void> {
  await db
    .update(accountLinks)
    .set({ mailStatus: 'failed', mailError: reason, mailUpdatedAt: now })
    .where(and(eq(accountLinks.id, id), inArray(accountLinks.mailStatus, ['pending', 'sending'])))
}
