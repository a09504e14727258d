// What contacts' campaign runs leave in D1: the contact's row as its object mirrors it (tags,
// score, custom fields, owner, fields set by steps), the outbox of their outside actions
// (`campaign_action_deliveries`, one row per action key), the per-step counts their objects
// report (`campaign_step_counts`), and the few things delivery reads to perform an action (the
// workspace's webhook secret, users' addresses).
import { and, asc, eq, gt, inArray, sql } from 'drizzle-orm'
import type { Db } from '../client'
import { campaignActionDeliveries, campaignStepCounts, contacts, users, workspaces } from '../schema'
import { contactSearchText } from './contact-search-text'
import { laterUpdatedAt } from './contacts'

/** The contact's row as campaigns read and write it, with its owner's address. */
export type CampaignContactRow = {
  email: string
  name: string
  company: string
  phone: string
  ownerId: string | null
  ownerEmail: string | null
  ownerName: string | null
  tags: string[]
  score: number
  customFields: Record<string, string>
  updatedAt: number
}

export async function campaignContactRow(db: Db, workspaceId: string, contactId: string): Promise<CampaignContactRow | null> {
  const [row] = await db
    .select({
      email: contacts.email,
      name: contacts.name,
      company: contacts.company,
      phone: contacts.phone,
      ownerId: contacts.ownerId,
      ownerEmail: users.email,
      ownerName: users.name,
      tags: contacts.tags,
      score: contacts.score,
      customFields: contacts.customFields,
      updatedAt: contacts.updatedAt,
    })
    .from(contacts)
    .leftJoin(users, eq(users.id, contacts.ownerId))
    .where(and(eq(contacts.workspaceId, workspaceId), eq(contacts.id, contactId)))
    .limit(1)
  return row ?? null
}

export type CampaignContactWrite = Pick<CampaignContactRow, 'name' | 'company' | 'phone' | 'ownerId' | 'tags' | 'score' | 'customFields'>

/**
 * Writes the object's values over the row (the search text follows name and company; `email`
 * is the row's, never changed here), only while the row is as it was read (`updatedAt`):
 * not when someone changed it meanwhile (the object reads it again and merges). An owner who is
 * not an active user of the workspace is not written (the row keeps its owner). Answers the row's
 * new `updated_at`, or null when it was not written.
 */
export async function writeCampaignContact(
  db: Db,
  workspaceId: string,
  contactId: string,
  expectUpdatedAt: number,
  email: string,
  values: CampaignContactWrite,
  now: number,
): Promise<number | null> {
  const ownerOk = sql`(${values.ownerId} IS NULL OR EXISTS (SELECT 1 FROM ${users} WHERE ${users.id} = ${values.ownerId}
    AND ${users.workspaceId} = ${workspaceId} AND ${users.status} = 'active'))`
  const rows = await db
    .update(contacts)
    .set({
      ...values,
      ownerId: sql`CASE WHEN ${ownerOk} THEN ${values.ownerId} ELSE ${contacts.ownerId} END`,
      searchText: contactSearchText({ email, name: values.name, company: values.company }),
      updatedAt: laterUpdatedAt(now),
    })
    .where(and(eq(contacts.workspaceId, workspaceId), eq(contacts.id, contactId), eq(contacts.updatedAt, expectUpdatedAt)))
    .returning({ updatedAt: contacts.updatedAt })
  return rows[0]?.updatedAt ?? null
}

export type CampaignActionRow = typeof campaignActionDeliveries.$inferSelect
export type CampaignActionStatus = CampaignActionRow['status']

/** The action's outbox row, created on its first delivery (the key is unique: a redelivered job finds the same row). */
export async function openCampaignAction(
  db: Db,
  row: Pick<CampaignActionRow, 'id' | 'workspaceId' | 'campaignId' | 'stepId' | 'contactId' | 'actionKey' | 'kind' | 'target' | 'job'>,
  at: { now: number; retryUntil: number },
): Promise<CampaignActionRow | null> {
  await db
    .insert(campaignActionDeliveries)
    .values({ ...row, status: 'pending', nextAttemptAt: at.now, retryUntil: at.retryUntil, createdAt: at.now, updatedAt: at.now })
    .onConflictDoNothing({ target: campaignActionDeliveries.actionKey })
  const [found] = await db.select().from(campaignActionDeliveries).where(eq(campaignActionDeliveries.actionKey, row.actionKey)).limit(1)
  return found ?? null
}

/** Pending → sending, counting the attempt; false when another attempt claimed it first. */
export async function claimCampaignAction(db: Db, id: string, seenAttempts: number, now: number): Promise<boolean> {
  const claimed = await db
    .update(campaignActionDeliveries)
    .set({ status: 'sending', attempts: seenAttempts + 1, updatedAt: now })
    .where(
      and(
        eq(campaignActionDeliveries.id, id),
        eq(campaignActionDeliveries.status, 'pending'),
        eq(campaignActionDeliveries.attempts, seenAttempts),
      ),
    )
    .returning({ id: campaignActionDeliveries.id })
  return claimed.length === 1
}

/**
 * Changes the row only while it is as the attempt saw it (its attempts, and status when given).
 * `nextAttemptAt` is when a pending row is due again (the sweeper's mark); a finished row has none.
 */
export async function changeCampaignAction(
  db: Db,
  id: string,
  expect: { attempts: number; status?: CampaignActionStatus[] },
  change: { status: CampaignActionStatus; error: string | null; nextAttemptAt: number | null },
  now: number,
): Promise<boolean> {
  const changed = await db
    .update(campaignActionDeliveries)
    .set({
      ...change,
      nextAttemptAt: change.status === 'pending' ? change.nextAttemptAt : null,
      error: change.error?.slice(0, 1_000) ?? null,
      updatedAt: now,
      ...(change.status === 'sent' ? { sentAt: now } : {}),
    })
    .where(
      and(
        eq(campaignActionDeliveries.id, id),
        eq(campaignActionDeliveries.attempts, expect.attempts),
        expect.status ? inArray(campaignActionDeliveries.status, expect.status) : undefined,
      ),
    )
    .returning({ id: campaignActionDeliveries.id })
  return changed.length === 1
}

/** An action the erased contact's object had handed to the queue: its key and where it came from. */
export type QueuedAction = Pick<CampaignActionRow, 'actionKey' | 'campaignId' | 'stepId' | 'kind'>

export const CONTACT_ERASED = 'the contact was erased; nothing sent'

/**
 * Erasing a contact: its action rows keep their numbers but lose the job (the contact's copy)
 * and target, unfinished ones are closed, and a closed row is written for each action its object
 * had queued, so a copy still on the queue finds it finished and sends nothing.
 */
export async function closeCampaignActionsOf(
  db: Db,
  workspaceId: string,
  contactId: string,
  queued: QueuedAction[],
  now: number,
): Promise<void> {
  await db.batch([
    db
      .update(campaignActionDeliveries)
      .set({
        job: null,
        target: '',
        status: sql`CASE WHEN ${campaignActionDeliveries.status} IN ('pending', 'sending') THEN 'skipped' ELSE ${campaignActionDeliveries.status} END`,
        error: sql`CASE WHEN ${campaignActionDeliveries.status} IN ('pending', 'sending') THEN ${CONTACT_ERASED} ELSE ${campaignActionDeliveries.error} END`,
        updatedAt: now,
      })
      .where(and(eq(campaignActionDeliveries.workspaceId, workspaceId), eq(campaignActionDeliveries.contactId, contactId))),
    ...queued.map((q) =>
      db
        .insert(campaignActionDeliveries)
        .values({
          ...q,
          id: crypto.randomUUID(),
          workspaceId,
          contactId,
          status: 'skipped',
          error: CONTACT_ERASED,
          retryUntil: now,
          createdAt: now,
          updatedAt: now,
        })
        .onConflictDoNothing({ target: campaignActionDeliveries.actionKey }),
    ),
  ])
}

/** Gives up on an open row: failed with `reason`, before it the last error (kept). */
export async function failOpenCampaignAction(db: Db, actionKey: string, reason: string, now: number): Promise<void> {
  await db
    .update(campaignActionDeliveries)
    .set({
      status: 'failed',
      error: sql`substr(${reason} || coalesce('; last error: ' || ${campaignActionDeliveries.error}, ''), 1, 1000)`,
      nextAttemptAt: null,
      updatedAt: now,
    })
    .where(and(eq(campaignActionDeliveries.actionKey, actionKey), inArray(campaignActionDeliveries.status, ['pending', 'sending'])))
}

/**
 * Records when a pending row is next due: the queue carries that attempt (the consumer's own
 * retry), or nobody does and the sweeper should (`at` = now, from the dead-letter consumer).
 */
export async function postponeCampaignAction(db: Db, actionKey: string, at: number): Promise<void> {
  await db
    .update(campaignActionDeliveries)
    .set({ nextAttemptAt: at })
    .where(and(eq(campaignActionDeliveries.actionKey, actionKey), eq(campaignActionDeliveries.status, 'pending')))
}

export async function findCampaignAction(db: Db, actionKey: string): Promise<CampaignActionRow | null> {
  const [row] = await db.select().from(campaignActionDeliveries).where(eq(campaignActionDeliveries.actionKey, actionKey)).limit(1)
  return row ?? null
}

/** A page of the workspace's contact ids, in id order, after `after` (null = from the first). */
export async function contactIdsAfter(db: Db, workspaceId: string, after: string | null, limit: number): Promise<string[]> {
  const rows = await db
    .select({ id: contacts.id })
    .from(contacts)
    .where(and(eq(contacts.workspaceId, workspaceId), after === null ? undefined : gt(contacts.id, after)))
    .orderBy(asc(contacts.id))
    .limit(limit)
  return rows.map((r) => r.id)
}

/** The workspace's webhook signing key, or null when none was made yet. */
export async function workspaceWebhookSecret(db: Db, workspaceId: string): Promise<string | null> {
  const [row] = await db.select({ secret: workspaces.webhookSecret }).from(workspaces).where(eq(workspaces.id, workspaceId)).limit(1)
  return row?.secret ?? null
}

/** Addresses of the workspace's active users among `ids` (an invited or deactivated one gets nothing). */
export async function activeUserAddresses(
  db: Db,
  workspaceId: string,
  ids: string[],
): Promise<Map<string, { email: string; name: string }>> {
  if (ids.length === 0) return new Map()
  const rows = await db
    .select({ id: users.id, email: users.email, name: users.name })
    .from(users)
    .where(and(eq(users.workspaceId, workspaceId), inArray(users.id, ids), eq(users.status, 'active')))
  return new Map(rows.map((r) => [r.id, { email: r.email, name: r.name }]))
}

/** How many times one contact's runs reached a step of a campaign version, so far. */
export type StepCount = { campaignId: string; version: number; stepId: string; reached: number }

/** Step id of the count of runs started, and of runs finished (never a real step id: those match [A-Za-z0-9_-]). */
export const RUNS_STARTED = '@start'
export const RUNS_FINISHED = '@done'
/**
 * Step ids of the count of runs held back (triggered, conditions met, but not started) by the run
 * limit and by the calendar frequency: kept, written and summed like the step counts.
 */
export const RUNS_HELD = { 'run-limit': '@held-run-limit', frequency: '@held-frequency' } as const

/**
 * The write of one contact's numbers, one statement (its rows as one JSON value) for the caller's
 * batch; a number only ever raises its row (`max`), so a write repeated after an unclear failure
 * counts nothing twice.
 */
export function stepCountsWrite(db: Db, workspaceId: string, contactId: string, counts: StepCount[]) {
  const json = JSON.stringify(counts.map((c) => ({ c: c.campaignId, v: c.version, s: c.stepId, r: c.reached })))
  return (
    db
      .insert(campaignStepCounts)
      // Every column, in the table's order; WHERE true keeps SQLite from reading ON CONFLICT as a join's ON.
      .select(
        sql`SELECT json_extract(value, '$.c'), json_extract(value, '$.v'), json_extract(value, '$.s'), ${contactId}, ${workspaceId},
          json_extract(value, '$.r') FROM json_each(${json}) WHERE true`,
      )
      .onConflictDoUpdate({
        target: [campaignStepCounts.campaignId, campaignStepCounts.version, campaignStepCounts.stepId, campaignStepCounts.contactId],
        set: { reached: sql`max(${campaignStepCounts.reached}, excluded.reached)` },
      })
  )
}

/** Runs started and finished per campaign of the workspace, all versions, in one read (the campaigns list). */
export async function campaignRunTotals(db: Db, workspaceId: string): Promise<Map<string, { started: number; finished: number }>> {
  const rows = await db
    .select({
      campaignId: campaignStepCounts.campaignId,
      stepId: campaignStepCounts.stepId,
      reached: sql<number>`sum(${campaignStepCounts.reached})`,
    })
    .from(campaignStepCounts)
    .where(and(eq(campaignStepCounts.workspaceId, workspaceId), inArray(campaignStepCounts.stepId, [RUNS_STARTED, RUNS_FINISHED])))
    .groupBy(campaignStepCounts.campaignId, campaignStepCounts.stepId)
  const totals = new Map<string, { started: number; finished: number }>()
  for (const { campaignId, stepId, reached } of rows) {
    const entry = totals.get(campaignId) ?? { started: 0, finished: 0 }
    entry[stepId === RUNS_STARTED ? 'started' : 'finished'] = reached
    totals.set(campaignId, entry)
  }
  return totals
}

/** A campaign's counts per version and step, all contacts together (the campaign's report). */
export async function campaignStepTotals(
  db: Db,
  workspaceId: string,
  campaignId: string,
): Promise<Array<{ version: number; stepId: string; reached: number; contacts: number }>> {
  return db
    .select({
      version: campaignStepCounts.version,
      stepId: campaignStepCounts.stepId,
      reached: sql<number>`sum(${campaignStepCounts.reached})`,
      contacts: sql<number>`count(*)`,
    })
    .from(campaignStepCounts)
    .where(and(eq(campaignStepCounts.workspaceId, workspaceId), eq(campaignStepCounts.campaignId, campaignId)))
    .groupBy(campaignStepCounts.version, campaignStepCounts.stepId)
    .orderBy(campaignStepCounts.version, campaignStepCounts.stepId)
}
