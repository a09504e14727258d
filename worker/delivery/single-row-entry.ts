// An outbox entry kept on a single row with no attempt log (an account link's mail, a campaign
// action): pending → sending → sent | failed | unknown, or skipped, retried on the retry schedule
// until `retryUntil`. The row's own writes are given by the caller; every one names the attempt
// count it saw, so an attempt never overwrites what a later one did.
import { INTERRUPTED_ERROR, type DeliveryOutcome, type OutboxEntry, type Settlement } from './outbox-send'
import { nextAttemptAt, secondsUntil, SENDING_STALE_MS } from './retry-schedule'

export type RowStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'unknown' | 'skipped'

export type SingleRowEntry = OutboxEntry & {
  /** Nothing is sent, and the row says why. */
  skip(reason: string): Promise<DeliveryOutcome>
  /** A permanent refusal found before any send. */
  fail(reason: string): Promise<DeliveryOutcome>
}

export type SingleRow = {
  status: RowStatus
  attempts: number
  /** When the row last changed: a claim older than SENDING_STALE_MS was interrupted. */
  updatedAt: number
  retryUntil: number
  now: number
  /** Pending → sending with `attempts + 1`, only while attempts are as seen; false otherwise. */
  claim: (seenAttempts: number) => Promise<boolean>
  /**
   * Sets status and error, only while attempts are `attempts` (and the status one of `from`, when
   * given); `dueAt` is when a row set back to `pending` is due again (null for any other status).
   */
  change: (
    from: RowStatus[] | undefined,
    attempts: number,
    status: RowStatus,
    error: string | null,
    dueAt: number | null,
  ) => Promise<boolean>
  /** The error recorded when retries run out. */
  gaveUp: (attempt: number, error: string) => string
}

export function singleRowEntry(row: SingleRow): SingleRowEntry {
  const { now, change } = row
  const seen = row.attempts
  const attempt = seen + 1
  const staleAt = row.updatedAt + SENDING_STALE_MS
  const state =
    row.status === 'pending'
      ? { state: 'open' as const, staleInSeconds: 0 }
      : row.status !== 'sending'
        ? { state: 'finished' as const, staleInSeconds: 0 }
        : now < staleAt
          ? { state: 'in-flight' as const, staleInSeconds: secondsUntil(staleAt, now) }
          : { state: 'interrupted' as const, staleInSeconds: 0 }

  return {
    ...state,
    claim: () => row.claim(seen),
    async settle({ result }: Settlement): Promise<DeliveryOutcome> {
      if (result.outcome === 'sent') {
        await change(undefined, attempt, 'sent', null, null)
        return { outcome: 'sent' }
      }
      const error = result.error?.message ?? 'not sent'
      const retryAt = result.outcome === 'retry' ? nextAttemptAt(attempt, now, row.retryUntil) : null
      if (retryAt === null) {
        await change(undefined, attempt, 'failed', result.outcome === 'retry' ? row.gaveUp(attempt, error) : error, null)
        return { outcome: 'failed' }
      }
      await change(undefined, attempt, 'pending', error, retryAt)
      return { outcome: 'retry', delaySeconds: secondsUntil(retryAt, now) }
    },
    async markUnknown() {
      await change(['sending'], seen, 'unknown', INTERRUPTED_ERROR, null)
    },
    reopen: () => change(['sending'], seen, 'pending', null, now),
    // The row keeps no attempt log: a redelivered job leaves nothing to record.
    skipFinished: async () => {},
    async skip(reason) {
      await change(['pending'], seen, 'skipped', reason, null)
      return { outcome: 'skipped' }
    },
    async fail(reason) {
      await change(['pending'], seen, 'failed', reason, null)
      return { outcome: 'failed' }
    },
  }
}
