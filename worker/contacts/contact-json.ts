// The API's view of a contact, of a page of contacts and of a contact's timeline, as valibot
// schemas (for the OpenAPI document) and the functions that build them.
import * as v from 'valibot'
import { IdentifiedBy } from '../../durable-objects/contracts/alert-job'
import type { ContactWithOwner } from '../db/queries/contacts'
import { alertDeliveries, users } from '../db/schema'

const epochMs = v.pipe(v.number(), v.integer(), v.description('epoch ms'))

export const OwnerView = v.pipe(
  v.nullable(
    v.object({
      id: v.string(),
      email: v.string(),
      name: v.string(),
      status: v.pipe(
        v.picklist(users.status.enumValues),
        v.description('A deactivated owner stays until another is chosen; a deactivated user cannot be made an owner.'),
      ),
    }),
  ),
  v.description('Who gets alerts sent to "the contact\'s owner"; null = nobody.'),
)

export const ContactView = v.pipe(
  v.object({
    id: v.string(),
    email: v.pipe(v.string(), v.description('The identity: a later form or identify with this e-mail is this contact.')),
    name: v.string(),
    company: v.string(),
    phone: v.string(),
    owner: OwnerView,
    tags: v.array(v.string()),
    score: v.number(),
    customFields: v.pipe(
      v.record(v.string(), v.string()),
      v.description(
        'Custom fields by key, as campaigns set them (a set-field step on `custom.<key>`); campaign conditions read them as `custom.<key>`.',
      ),
    ),
    identifiedBy: v.pipe(
      IdentifiedBy,
      v.description(
        'How the contact was first identified: an e-mail typed into a form, an identify call, or a signed identify (verified).',
      ),
    ),
    createdAt: v.pipe(epochMs, v.description('When the contact was identified (became a contact).')),
    updatedAt: epochMs,
  }),
  v.metadata({ ref: 'Contact' }),
)

export type ContactJson = v.InferOutput<typeof ContactView>

const identifiedBy = (value: string): ContactJson['identifiedBy'] =>
  value === 'identify' || value === 'verified-identify' ? value : 'form'

export const contactJson = (c: ContactWithOwner): ContactJson => ({
  id: c.id,
  email: c.email,
  name: c.name,
  company: c.company,
  phone: c.phone,
  owner: c.owner,
  tags: c.tags,
  score: c.score,
  customFields: c.customFields,
  identifiedBy: identifiedBy(c.identifiedBy),
  createdAt: c.createdAt,
  updatedAt: c.updatedAt,
})

export const ContactPage = v.pipe(
  v.object({
    contacts: v.array(ContactView),
    nextCursor: v.pipe(
      v.nullable(v.string()),
      v.description('Pass as ?cursor= (with the same filters) for the next page; null on the last.'),
    ),
  }),
  v.metadata({ ref: 'ContactPage' }),
)

/** Where an alert the contact fired stands: its outbox status, or how far it got before the outbox. */
export const ALERT_STATES = [...alertDeliveries.status.enumValues, 'reserved', 'queued', 'gave-up'] as const

export const TimelineItem = v.pipe(
  v.object({
    type: v.picklist(['pageview', 'form', 'track', 'identify', 'contact-created', 'alert', 'campaign']),
    at: epochMs,
    url: v.optional(v.string()),
    title: v.pipe(v.optional(v.string()), v.description('A page title, or the name of a custom event (track).')),
    visibleMs: v.pipe(
      v.optional(v.number()),
      v.description('Time the page was visible, as the server credited it (a page still open: up to now).'),
    ),
    detail: v.pipe(
      v.optional(v.record(v.string(), v.union([v.string(), v.number(), v.boolean()]))),
      v.description(
        'A form: its id/name/action and the fields sent (never passwords, card or id numbers); a custom event: its properties.',
      ),
    ),
    alert: v.optional(
      v.object({
        id: v.string(),
        name: v.pipe(v.nullable(v.string()), v.description('null when the alert was deleted since')),
        deliveryId: v.pipe(v.nullable(v.string()), v.description('Its outbox row, once delivery has it')),
        state: v.pipe(
          v.picklist(ALERT_STATES),
          v.description(
            'The outbox status; before the outbox: reserved (not yet queued), queued, gave-up (the queue refused it too often).',
          ),
        ),
      }),
    ),
    campaign: v.pipe(
      v.optional(
        v.object({
          id: v.string(),
          name: v.pipe(v.string(), v.description('As the version the run started on names the campaign')),
          version: v.number(),
          trigger: v.pipe(v.string(), v.description('The trigger type that started the run')),
          status: v.picklist(['running', 'waiting', 'done', 'stopped']),
          lastStep: v.pipe(v.nullable(v.string()), v.description('The id of the last step the run reached')),
          waitingUntil: v.pipe(v.nullable(epochMs), v.description('While waiting: when the run goes on')),
          finishedAt: v.nullable(epochMs),
          stopReason: v.nullable(v.string()),
        }),
      ),
      v.description('A campaign run of this contact (type campaign), `at` being when it started'),
    ),
  }),
  v.metadata({ ref: 'TimelineItem' }),
)

export type TimelineJson = v.InferOutput<typeof TimelineItem>

export const Timeline = v.pipe(
  v.object({
    contactId: v.string(),
    items: v.pipe(v.array(TimelineItem), v.description('Newest first')),
  }),
  v.metadata({ ref: 'Timeline' }),
)
