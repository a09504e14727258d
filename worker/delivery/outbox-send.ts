// Sending one outbox entry (an alert's row, a recipient's digest) by the rules every kind
// shares, written once here:
//  - an entry an earlier attempt left `sending` was interrupted during or after its send: an
//    idempotent transport (the receiver dedupes on the key) sends it again; any other marks it
//    `unknown` rather than risk a duplicate. A finished entry is never sent again;
//  - the entry is claimed (→ `sending`, attempt counted) just before the send, so two attempts
//    never both send it;
//  - a failed send is temporary (retried with backoff) or permanent (recorded failed), as its
//    DeliveryError says; anything else a transport throws counts as temporary.
// The message is built before `sendClaimed` is called, so nothing but the send itself runs
// while an entry is `sending`.
import { DeliveryError, type OutgoingMessage, type Transport } from './transports/transport'

/** How one send went. */
export type SendResult = { outcome: 'sent' } | { outcome: 'retry' | 'failed'; error: DeliveryError }

/** What the outbox records for a settled entry: the message and notes when sent, else the error. */
export type Settlement =
  { outcome: 'sent'; message: OutgoingMessage; notes: string[] } | { outcome: 'retry' | 'failed'; error: DeliveryError }

/** One outbox entry as the send rules see it; `outbox-entries.ts` maps it onto each table. */
export type OutboxEntry = {
  /** Where earlier attempts left it: open (never claimed, or back for a retry), interrupted (`sending`) or finished. */
  state: 'open' | 'interrupted' | 'finished'
  /** Open → `sending`, counting the attempt; false when another attempt got there first. */
  claim(message: OutgoingMessage): Promise<boolean>
  /** Records the outcome of a claimed send: sent, back to open for a retry, or failed. */
  settle(settlement: Settlement): Promise<void>
  /** An interrupted send this transport must not repeat: its outcome is unknown. */
  markUnknown(): Promise<void>
  /** An interrupted send an idempotent transport repeats: open again. */
  reopen(): Promise<void>
  /** A redelivered job found its entry finished. */
  skipFinished(): Promise<void>
}

export const INTERRUPTED_ERROR = 'an earlier attempt was interrupted mid-send; not re-sent to avoid a duplicate'

/** Applies the interrupted-send rule; true when this attempt may go on and send the entry. */
export async function readyToSend(entry: OutboxEntry, transport: Transport): Promise<boolean> {
  if (entry.state === 'open') return true
  if (entry.state === 'finished') {
    await entry.skipFinished()
    return false
  }
  if (!transport.idempotent) {
    await entry.markUnknown()
    return false
  }
  await entry.reopen()
  return true
}

/** Claims the entry, sends the message once and settles the entry with the outcome. */
export async function sendClaimed(
  entry: OutboxEntry,
  transport: Transport,
  message: OutgoingMessage,
  notes: string[] = [],
): Promise<SendResult | { outcome: 'skipped' }> {
  if (!(await entry.claim(message))) return { outcome: 'skipped' }
  const result = await attemptSend(transport, message)
  await entry.settle(result.outcome === 'sent' ? { outcome: 'sent', message, notes } : result)
  return result
}

/** One send through the transport, its failure classified; used alone by test sends, which have no outbox entry. */
export async function attemptSend(transport: Transport, message: OutgoingMessage): Promise<SendResult> {
  try {
    await transport.send(message)
  } catch (err) {
    const error = err instanceof DeliveryError ? err : new DeliveryError(String(err), true)
    return { outcome: error.temporary ? 'retry' : 'failed', error }
  }
  return { outcome: 'sent' }
}
