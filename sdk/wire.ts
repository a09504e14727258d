// The one wire contract between the tracking script and the collect endpoint.
// The SDK imports it as types only (no validator ships to browsers); the worker
// validates every batch with `CollectBatch` at runtime.
import * as v from 'valibot'

export const LIMITS = {
  bodyBytes: 64 * 1024,
  eventBytes: 32 * 1024,
  eventsPerBatch: 20,
  fieldsPerForm: 50,
  text: 1024,
  url: 2048,
  // One visit cannot be visible for longer than a day.
  visibleMs: 86_400_000,
} as const

/** Keys that could reach an object's prototype; refused anywhere in a batch (see read-batch). */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype'])

// Stringified nothing from a careless caller (`String(undefined)`), never a real id.
const PLACEHOLDER_IDS = new Set(['null', 'undefined', 'nan', 'none', 'false', 'true'])

// Rejects C0 controls (CR/LF, NUL, ...) and lone surrogates in untrusted text.
const hasOnlySafeChars = (s: string): boolean =>
  // eslint-disable-next-line no-control-regex -- control characters are what this refuses
  !/[\u0000-\u001f\u007f]/.test(s) && s.isWellFormed()

const text = (max: number = LIMITS.text) =>
  v.pipe(v.string(), v.maxLength(max), v.check(hasOnlySafeChars, 'control characters or lone surrogates'))

/** Ids made by the script: visitor, visit and event ids. */
export const Id = v.pipe(
  v.string(),
  v.regex(/^[A-Za-z0-9_-]{8,64}$/, 'an id is 8-64 url-safe characters'),
  v.check((s) => !PLACEHOLDER_IDS.has(s.toLowerCase()), 'a placeholder, not an id'),
)

const isHttpUrl = (s: string): boolean => {
  if (!URL.canParse(s)) return false
  const { protocol } = new URL(s)
  return protocol === 'http:' || protocol === 'https:'
}

export const HttpUrl = v.pipe(text(LIMITS.url), v.check(isHttpUrl, 'only http(s) URLs'))

const EmptyOrHttpUrl = v.union([v.literal(''), HttpUrl])

export const Email = v.pipe(text(254), v.trim(), v.toLowerCase(), v.email('not an e-mail address'))

const Props = v.pipe(
  v.record(
    v.pipe(
      text(64),
      v.check((k) => !FORBIDDEN_KEYS.has(k), 'forbidden key'),
    ),
    v.union([text(), v.number(), v.boolean()]),
  ),
  v.check((r) => Object.keys(r).length <= LIMITS.fieldsPerForm, 'too many properties'),
)

const Ms = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(LIMITS.visibleMs))

const base = { id: Id }

export const PageviewEvent = v.strictObject({
  ...base,
  type: v.literal('pageview'),
  visit: Id,
  url: HttpUrl,
  title: v.optional(text(), ''),
  referrer: v.optional(EmptyOrHttpUrl, ''),
})

/** A visibility signal of an open visit; `visibleMs` is the visit's total visible time so far. */
export const EngageEvent = v.strictObject({
  ...base,
  type: v.literal('engage'),
  visit: Id,
  state: v.picklist(['visible', 'hidden', 'heartbeat', 'leave']),
  visibleMs: Ms,
  /** The deepest point of the page the visitor has scrolled to so far, in % of its height. */
  scroll: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(100))),
})

export const FormEvent = v.strictObject({
  ...base,
  type: v.literal('form'),
  visit: Id,
  form: v.strictObject({
    id: v.optional(text(256), ''),
    name: v.optional(text(256), ''),
    action: v.optional(text(LIMITS.url), ''),
  }),
  fields: Props,
})

export const IdentifyEvent = v.strictObject({
  ...base,
  type: v.literal('identify'),
  email: Email,
  traits: v.optional(Props, {}),
  /** Hex HMAC-SHA256 of the e-mail with the site's identity secret. */
  sig: v.optional(v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/, 'a hex HMAC-SHA256'))),
})

export const TrackEvent = v.strictObject({
  ...base,
  type: v.literal('track'),
  name: text(128),
  props: v.optional(Props, {}),
})

export const CollectEvent = v.variant('type', [PageviewEvent, EngageEvent, FormEvent, IdentifyEvent, TrackEvent])

export const CollectBatch = v.strictObject({
  site: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{4,64}$/, 'a site key')),
  visitor: Id,
  events: v.pipe(v.array(CollectEvent), v.minLength(1), v.maxLength(LIMITS.eventsPerBatch)),
})

export type CollectEvent = v.InferOutput<typeof CollectEvent>
export type CollectBatch = v.InferOutput<typeof CollectBatch>
export type PageviewEvent = v.InferOutput<typeof PageviewEvent>
export type EngageEvent = v.InferOutput<typeof EngageEvent>
export type FormEvent = v.InferOutput<typeof FormEvent>
export type IdentifyEvent = v.InferOutput<typeof IdentifyEvent>
export type TrackEvent = v.InferOutput<typeof TrackEvent>
/** What the script builds before sending: every event minus the fields the worker fills in defaults for. */
export type OutgoingEvent = v.InferInput<typeof CollectEvent>
export type OutgoingBatch = v.InferInput<typeof CollectBatch>
