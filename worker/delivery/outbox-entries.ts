// The two kinds of outbox entry, mapped onto their tables for `outbox-send.ts`:
//  - an alert's row in `alert_deliveries` (pending → sending → sent | failed | unknown |
//    digested), where every attempt is also a row in `delivery_attempts`;
//  - a recipient's hourly digest in `recipient_digests` (scheduled → sending → sent | failed |
//    unknown), which keeps only its last error.
import type { Db } from '../db/client'
import {
  claimDelivery,
  finishDelivery,
  recordAttempt,
  settleDelivery,
  type AttemptOutcome,
  type DeliveryStatus,
} from '../db/queries/deliveries'
import { claimDigest, finishDigest, type DigestStatus } from '../db/queries/flood-cap'
import { INTERRUPTED_ERROR, type OutboxEntry, type Settlement } from './outbox-send'
import type { OutgoingMessage } from './transports/transport'

export type AlertOutboxEntry = OutboxEntry & {
  /** The flood cap folded every recipient into their digests: nothing is sent now. */
  digested(detail: string): Promise<void>
}

/** `delivery` as opened for this attempt; the attempt number follows the ones it already counts. */
export function alertOutboxEntry(db: Db, delivery: { id: string; status: DeliveryStatus; attempts: number }): AlertOutboxEntry {
  const attempt = delivery.attempts + 1
  /** The row's outcome and this attempt, in one round trip. */
  const settle = (status: DeliveryStatus, error: string | null, outcome: AttemptOutcome, detail: string) =>
    settleDelivery(db, delivery.id, status, error, { attempt, outcome, detail })
  return {
    state: delivery.status === 'pending' ? 'open' : delivery.status === 'sending' ? 'interrupted' : 'finished',
    claim: (message) => claimDelivery(db, delivery.id, { recipients: [...message.to, ...message.cc], subject: message.subject }),
    async settle(settlement: Settlement) {
      if (settlement.outcome === 'sent') {
        await settle('sent', null, 'sent', [addressed(settlement.message), ...settlement.notes].join('; '))
        return
      }
      const { message } = settlement.error
      await settle(settlement.outcome === 'retry' ? 'pending' : 'failed', message, settlement.outcome, message)
    },
    markUnknown: () => settle('unknown', INTERRUPTED_ERROR, 'skipped', 'interrupted earlier attempt; outcome unknown, not re-sent'),
    reopen: () => finishDelivery(db, delivery.id, 'pending', null),
    skipFinished: () =>
      recordAttempt(db, delivery.id, { attempt, outcome: 'skipped', detail: `redelivered job; already ${delivery.status}` }),
    digested: (detail) => settle('digested', null, 'digested', detail),
  }
}

const addressed = (message: OutgoingMessage) => `to ${message.to.join(', ')}${message.cc.length ? `; cc ${message.cc.join(', ')}` : ''}`

export function digestOutboxEntry(db: Db, digest: { id: string; status: DigestStatus }): OutboxEntry {
  return {
    state: digest.status === 'scheduled' ? 'open' : digest.status === 'sending' ? 'interrupted' : 'finished',
    claim: () => claimDigest(db, digest.id),
    async settle(settlement: Settlement) {
      if (settlement.outcome === 'sent') await finishDigest(db, digest.id, 'sent', null)
      else await finishDigest(db, digest.id, settlement.outcome === 'retry' ? 'scheduled' : 'failed', settlement.error.message)
    },
    markUnknown: () => finishDigest(db, digest.id, 'unknown', INTERRUPTED_ERROR),
    reopen: () => finishDigest(db, digest.id, 'scheduled', null),
    // A digest keeps no attempt log: a redelivered digest job leaves nothing to record.
    skipFinished: async () => {},
  }
}
