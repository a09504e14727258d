// Sending one outbox entry (an alert's row, a recipient's digest) by the rules every kind
// shares, written once here:
//  - earlier attempts: an entry finished is never sent again. One left `sending` was claimed by
//    another attempt: while that claim is recent the attempt may still be under way, so this
//    one comes back later; once it is stale the send was interrupted, and an idempotent
//    transport (the receiver dedupes on the key) sends it again while any other marks it
//    `unknown` rather than risk a duplicate;
//  - the message is rendered before `sendClaimed` is called and the entry claimed (→ `sending`,
//    attempt counted) just before the send, so any failure before the send leaves it open, and
//    two attempts never both send it;
//  - a recipient the receiver refuses before anything is delivered (SMTP RCPT TO) is set aside
//    with its reason and the message sent to the others without it;
//  - a failed send is temporary (retried on the schedule of `retry-schedule.ts`) or permanent
//    (failed), as its DeliveryError says; anything else a transport throws counts as temporary;
//  - the outcome is saved with a few quick retries, so a D1 blip just after the send does not
//    leave the entry `sending`.
import { DeliveryError, type OutgoingMessage, type Transport } from './transports/transport'

/** What the queue does with the job: done (one of four ways), or try again after a delay. */
export type DeliveryOutcome = { outcome: 'sent' | 'failed' | 'skipped' | 'digested' } | { outcome: 'retry'; delaySeconds: number }

/** What one send did for one recipient. */
export type RecipientResult = { address: string; outcome: 'sent' | 'retry' | 'failed'; error: DeliveryError | null }

/**
 * How one send went, per recipient and overall: `retry` when anyone is to be retried, else
 * `sent` when anyone got it, else `failed`; `error` is the first reason something was not sent.
 */
export type SendResult = { outcome: 'sent' | 'retry' | 'failed'; error: DeliveryError | null; recipients: RecipientResult[] }

/** What the outbox records for a claimed send. */
export type Settlement = { result: SendResult; message: OutgoingMessage; notes: string[] }

/** One outbox entry as the send rules see it; `outbox-entries.ts` maps it onto each table. */
export type OutboxEntry = {
  /**
   * Where earlier attempts left it: open (never claimed, or back for a retry), in flight
   * (claimed recently by another attempt), interrupted (claimed long ago, never settled) or finished.
   */
  state: 'open' | 'in-flight' | 'interrupted' | 'finished'
  /** For an entry in flight: seconds until its claim counts as interrupted. */
  staleInSeconds: number
  /** Open → `sending`, counting the attempt; false when another attempt got there first. */
  claim(message: OutgoingMessage): Promise<boolean>
  /** Records the outcome of a claimed send and says what the queue should do next. */
  settle(settlement: Settlement): Promise<DeliveryOutcome>
  /** An interrupted send this transport must not repeat: its outcome is unknown. */
  markUnknown(): Promise<void>
  /** An interrupted send an idempotent transport repeats: open again; false when another attempt did it first. */
  reopen(): Promise<boolean>
  /** A redelivered job found its entry finished. */
  skipFinished(): Promise<void>
}

export const INTERRUPTED_ERROR = 'an earlier attempt was interrupted mid-send; not re-sent to avoid a duplicate'

/** Applies the rules on earlier attempts: null when this attempt may go on, else how it ends. */
export async function checkEarlierAttempts(entry: OutboxEntry, transport: Transport): Promise<DeliveryOutcome | null> {
  switch (entry.state) {
    case 'open':
      return null
    case 'finished':
      await entry.skipFinished()
      return { outcome: 'skipped' }
    case 'in-flight':
      return { outcome: 'retry', delaySeconds: entry.staleInSeconds }
    case 'interrupted':
      if (!transport.idempotent) {
        await entry.markUnknown()
        return { outcome: 'skipped' }
      }
      return (await entry.reopen()) ? null : { outcome: 'skipped' }
  }
}

/** Claims the entry, sends the message once (per recipient set) and settles the entry with the outcome. */
export async function sendClaimed(
  entry: OutboxEntry,
  transport: Transport,
  message: OutgoingMessage,
  notes: string[] = [],
): Promise<DeliveryOutcome> {
  if (!(await entry.claim(message))) return { outcome: 'skipped' }
  const result = await attemptSend(transport, message)
  return saveOutcome(() => entry.settle({ result, message, notes }))
}

/** Waits between tries to save an outcome: D1 errors are mostly momentary. */
const SAVE_RETRY_MS = [100, 400, 1_600]

async function saveOutcome<T>(save: () => Promise<T>): Promise<T> {
  for (const waitMs of SAVE_RETRY_MS) {
    try {
      return await save()
    } catch (err) {
      console.warn(`saving a delivery outcome failed; trying again in ${waitMs} ms`, err)
      await new Promise((resolve) => setTimeout(resolve, waitMs))
    }
  }
  return save()
}

/**
 * Sends through the transport with its failure classified. A recipient the receiver refused
 * before delivering (DeliveryError.recipient) is set aside and the rest sent again without it.
 * Used alone by test sends, which have no outbox entry.
 */
export async function attemptSend(transport: Transport, message: OutgoingMessage): Promise<SendResult> {
  const results: RecipientResult[] = []
  let to = message.to
  let cc = message.cc
  for (;;) {
    const error = await sendOnce(transport, { ...message, to, cc })
    const remaining = [...to, ...cc]
    const refused = error?.recipient?.toLowerCase()
    if (error === null || refused === undefined || remaining.length < 2 || !remaining.some((a) => a.toLowerCase() === refused)) {
      for (const address of remaining) results.push({ address, outcome: error ? outcomeOf(error) : 'sent', error })
      break
    }
    const isRefused = (a: string) => a.toLowerCase() === refused
    for (const address of remaining.filter(isRefused)) results.push({ address, outcome: outcomeOf(error), error })
    to = to.filter((a) => !isRefused(a))
    cc = cc.filter((a) => !isRefused(a))
    // The message keeps a To line: with the To addresses refused, the Cc list moves up.
    if (to.length === 0) [to, cc] = [cc, []]
  }
  return summarise(results)
}

const outcomeOf = (error: DeliveryError) => (error.temporary ? 'retry' : 'failed')

async function sendOnce(transport: Transport, message: OutgoingMessage): Promise<DeliveryError | null> {
  try {
    await transport.send(message)
    return null
  } catch (err) {
    return err instanceof DeliveryError ? err : new DeliveryError(String(err), true)
  }
}

function summarise(recipients: RecipientResult[]): SendResult {
  const has = (o: RecipientResult['outcome']) => recipients.some((r) => r.outcome === o)
  const outcome = has('retry') ? 'retry' : has('sent') ? 'sent' : 'failed'
  const error = recipients.find((r) => r.outcome === outcome && r.error)?.error ?? recipients.find((r) => r.error)?.error ?? null
  return { outcome, error, recipients }
}
