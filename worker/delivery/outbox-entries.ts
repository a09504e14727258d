// The two kinds of outbox entry, mapped onto their tables for `outbox-send.ts`:
//  - an alert's row in `alert_deliveries` (pending → sending → sent | failed | unknown |
//    digested, or skipped when the alert was OFF), with an outcome per recipient and every
//    attempt also a row in `delivery_attempts`;
//  - a recipient's hourly digest in `recipient_digests` (scheduled → sending → sent | failed |
//    unknown), which keeps only its last error.
// Both follow the retry schedule of `retry-schedule.ts`. Every write names the attempt count it
// saw, so an attempt never overwrites what a later one did.
import type { Db } from '../db/client'
import { changeDelivery, claimDelivery, recordAttempt, type AttemptOutcome, type DeliveryRow } from '../db/queries/deliveries'
import { changeDigest, claimDigest, type DigestRow } from '../db/queries/flood-cap'
import { INTERRUPTED_ERROR, type DeliveryOutcome, type OutboxEntry, type Settlement } from './outbox-send'
import { moved, rowError, rowStatus, stillToSend, withUpdates, type RecipientOutcome } from './recipient-outcomes'
import { HOUR_MS, nextAttemptAt, RETRY_WINDOW_MS, secondsUntil, SENDING_STALE_MS } from './retry-schedule'
import type { OutgoingMessage } from './transports/transport'

export type AlertOutboxEntry = OutboxEntry & {
  /**
   * Of the recipients resolved now, those this attempt still sends to (not yet sent, refused or
   * folded); a pending recipient no longer resolved (taken off the CC list) is dropped.
   */
  toSend(resolved: string[]): string[]
  /** These recipients are folded into their hourly digests; recorded with the claim or `close`. */
  fold(addresses: string[]): void
  /** Nothing is sent now (everyone left was folded, or nobody is left): the row takes the status its recipients give it. */
  close(outcome: 'digested' | 'skipped', detail: string): Promise<DeliveryOutcome>
  /** The alert is OFF: nothing is sent, and the row says so. */
  skip(reason: string): Promise<DeliveryOutcome>
  /** A permanent failure found before any send (nobody to send to). */
  fail(reason: string): Promise<DeliveryOutcome>
}

/** Open, in flight, interrupted or finished, from a row's status and the age of its claim. */
function stateOf(open: boolean, sending: boolean, claimedAt: number, now: number) {
  if (open) return { state: 'open' as const, staleInSeconds: 0 }
  if (!sending) return { state: 'finished' as const, staleInSeconds: 0 }
  const staleAt = claimedAt + SENDING_STALE_MS
  return now < staleAt
    ? { state: 'in-flight' as const, staleInSeconds: secondsUntil(staleAt, now) }
    : { state: 'interrupted' as const, staleInSeconds: 0 }
}

const hours = RETRY_WINDOW_MS / HOUR_MS
const gaveUp = (attempts: number, error: string) => `gave up after retrying for ${hours} h (${attempts} attempts); last error: ${error}`

const addressed = (message: OutgoingMessage) => `to ${message.to.join(', ')}${message.cc.length ? `; cc ${message.cc.join(', ')}` : ''}`

/** The row as this attempt opened it, at `now` (every timestamp it writes), to send through `transport`. */
export function alertOutboxEntry(db: Db, row: DeliveryRow, attemptOf: { now: number; transport: string }): AlertOutboxEntry {
  const { now } = attemptOf
  let status = row.status
  let outcomes: RecipientOutcome[] = row.recipientOutcomes
  const seen = row.attempts
  const attempt = seen + 1
  const retryUntil = row.retryUntil ?? row.createdAt + RETRY_WINDOW_MS
  /** Every write but the claim's: only while the row is as this attempt saw it. */
  const change = (
    from: Array<DeliveryRow['status']>,
    next: { status: DeliveryRow['status']; error: string | null; nextAttemptAt?: number | null },
    log: { outcome: AttemptOutcome; detail: string } | null,
  ) =>
    changeDelivery(db, row.id, { attempts: seen, status: from }, { ...next, recipientOutcomes: outcomes }, log && { attempt, ...log }, now)
  /** Nothing sent and nothing to retry: the status the recipients give. */
  const finish = async (outcome: 'digested' | 'skipped' | 'failed', detail: string, error: string | null): Promise<DeliveryOutcome> => {
    await change(
      ['pending'],
      { status: outcome === 'failed' ? 'failed' : rowStatus(outcomes), error, nextAttemptAt: null },
      { outcome, detail },
    )
    return { outcome: outcome === 'skipped' ? 'skipped' : outcome }
  }

  return {
    ...stateOf(status === 'pending', status === 'sending', row.updatedAt, now),
    toSend(resolved) {
      const current = new Set(resolved.map((a) => a.toLowerCase()))
      outcomes = outcomes.filter(
        (o) => o.status === 'sent' || o.status === 'failed' || o.status === 'digested' || current.has(o.address.toLowerCase()),
      )
      return stillToSend(resolved, outcomes)
    },
    fold(addresses) {
      outcomes = withUpdates(
        outcomes,
        addresses.map((address) => ({ address, status: 'digested', error: null })),
        now,
      )
    },
    close: (outcome, detail) => finish(outcome, detail, rowError(outcomes)),
    async skip(reason) {
      await change(['pending'], { status: 'skipped', error: reason, nextAttemptAt: null }, { outcome: 'skipped', detail: reason })
      return { outcome: 'skipped' }
    },
    fail: (reason) => finish('failed', reason, reason),
    async claim(message) {
      const claimed = withUpdates(
        outcomes,
        [...message.to, ...message.cc].map((address) => ({ address, status: 'sending', error: null })),
        now,
      )
      const ok = await claimDelivery(db, row.id, {
        attempts: seen,
        transport: attemptOf.transport,
        recipients: [...message.to, ...message.cc],
        subject: message.subject,
        recipientOutcomes: claimed,
        now,
      })
      if (ok) outcomes = claimed
      return ok
    },
    async settle({ result, message, notes }: Settlement) {
      outcomes = withUpdates(
        outcomes,
        result.recipients.map((r) => ({
          address: r.address,
          status: r.outcome === 'sent' ? 'sent' : r.outcome === 'retry' ? 'pending' : 'failed',
          error: r.error?.message ?? null,
        })),
        now,
      )
      let retryAt: number | null = null
      if (rowStatus(outcomes) === 'pending') {
        retryAt = nextAttemptAt(attempt, now, retryUntil)
        if (retryAt === null)
          outcomes = outcomes.map((o) => (o.status === 'pending' ? { ...o, status: 'failed', error: gaveUp(attempt, o.error ?? '') } : o))
      }
      const next = rowStatus(outcomes)
      const error = rowError(outcomes)
      const logOutcome: AttemptOutcome = result.outcome === 'sent' ? 'sent' : next === 'pending' ? 'retry' : 'failed'
      const detail =
        result.outcome === 'sent'
          ? [addressed(message), ...notes, ...(error ? [error] : [])].join('; ')
          : (error ?? result.error?.message ?? 'not sent')
      await changeDelivery(
        db,
        row.id,
        { attempts: attempt },
        { status: next, error, recipientOutcomes: outcomes, nextAttemptAt: retryAt },
        { attempt, outcome: logOutcome, detail },
        now,
      )
      if (next === 'pending' && retryAt !== null) return { outcome: 'retry', delaySeconds: secondsUntil(retryAt, now) }
      return { outcome: next === 'pending' ? 'failed' : next }
    },
    async markUnknown() {
      outcomes = moved(outcomes, ['sending'], 'unknown', now)
      await change(
        ['sending'],
        { status: 'unknown', error: INTERRUPTED_ERROR, nextAttemptAt: null },
        {
          outcome: 'skipped',
          detail: 'interrupted earlier attempt; outcome unknown, not re-sent',
        },
      )
    },
    async reopen() {
      outcomes = moved(outcomes, ['sending'], 'pending', now)
      const ok = await change(['sending'], { status: 'pending', error: null }, null)
      if (ok) status = 'pending'
      return ok
    },
    skipFinished: () => recordAttempt(db, row.id, { attempt, outcome: 'skipped', detail: `redelivered job; already ${status}` }, now),
  }
}

/** The digest as this attempt opened it, at `now`. */
export function digestOutboxEntry(db: Db, digest: DigestRow, now: number): OutboxEntry {
  const seen = digest.attempts
  const attempt = seen + 1
  // The window runs from the end of the digest's hour, when it was first due.
  const retryUntil = digest.retryUntil ?? digest.hourStart + HOUR_MS + RETRY_WINDOW_MS
  return {
    ...stateOf(digest.status === 'scheduled', digest.status === 'sending', digest.updatedAt, now),
    claim: () => claimDigest(db, digest.id, seen, now),
    async settle({ result }: Settlement) {
      if (result.outcome === 'sent') {
        await changeDigest(db, digest.id, { attempts: attempt }, { status: 'sent', error: null, nextAttemptAt: null }, now)
        return { outcome: 'sent' }
      }
      const error = result.error?.message ?? 'not sent'
      const retryAt = result.outcome === 'retry' ? nextAttemptAt(attempt, now, retryUntil) : null
      if (retryAt === null) {
        const reason = result.outcome === 'retry' ? gaveUp(attempt, error) : error
        await changeDigest(db, digest.id, { attempts: attempt }, { status: 'failed', error: reason, nextAttemptAt: null }, now)
        return { outcome: 'failed' }
      }
      await changeDigest(db, digest.id, { attempts: attempt }, { status: 'scheduled', error, nextAttemptAt: retryAt }, now)
      return { outcome: 'retry', delaySeconds: secondsUntil(retryAt, now) }
    },
    async markUnknown() {
      await changeDigest(
        db,
        digest.id,
        { attempts: seen, status: ['sending'] },
        { status: 'unknown', error: INTERRUPTED_ERROR, nextAttemptAt: null },
        now,
      )
    },
    reopen: () => changeDigest(db, digest.id, { attempts: seen, status: ['sending'] }, { status: 'scheduled', error: null }, now),
    // A digest keeps no attempt log: a redelivered digest job leaves nothing to record.
    skipFinished: async () => {},
  }
}
