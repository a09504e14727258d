// The RPC contracts of the two objects: what the collect worker hands a visitor shard, and
// what a shard hands a contact's object.
import type { CollectEvent } from '../../sdk/wire'
import type { ContactSnapshot, IdentifiedBy } from './alert-job'
import type { SiteContext } from './site-context'

/** An identity a batch claims (form e-mail or `identify`), already checked against the site's policy. */
export type ClaimedIdentity = {
  /** The event that made the claim: a replayed batch repeats it and the visitor object ignores it. */
  eventId: string
  email: string
  identifiedBy: IdentifiedBy
  traits: { name?: string; company?: string; phone?: string; custom?: Record<string, string> }
}

export type ReceivedEvent = CollectEvent & { receivedAt: number }

/** `VisitorObject.recordEvents` */
export type RecordInput = {
  site: SiteContext
  visitorId: string
  /** Owner given to a contact this batch creates. */
  defaultOwnerId: string | null
  events: CollectEvent[]
  receivedAt: number
  claim: ClaimedIdentity | null
}

/** Why part of a stored batch was not acted on (counted in `site_drops` by the shard). */
export type RecordDrop = 'contact-cap'

export type RecordResult =
  | {
      status: 'stored'
      accepted: number
      duplicates: number
      /** `contact-cap`: the batch's identity would have made a new contact past the site's hourly cap; it stays anonymous. */
      dropped?: RecordDrop
    }
  | { status: 'limited'; retryAfterSeconds: number }

/** `ContactObject.recordEvents` */
export type ContactRecordInput = {
  site: SiteContext
  events: ReceivedEvent[]
  /** How the visitor who sent these events was identified; its visits carry it into their alerts. */
  identifiedBy: IdentifiedBy
  identity?: ContactSnapshot
  /** The custom fields the identification claimed (its `identify` traits beyond name, company, phone). */
  customTraits?: Record<string, string>
  /** Set when this batch created the contact: recorded as the "contact created" signal. */
  createdAt?: number
}
