// Reads and validates one collect request body. Every failure is a status and a reason;
// nothing is stored before this returns a batch.
import * as v from 'valibot'
import { CollectBatch, FORBIDDEN_KEYS, LIMITS } from '../../sdk/wire'
import { utf8Bytes } from '../../durable-objects/rules/bounded-job'

export type ReadFailure = { ok: false; status: 400 | 413 | 415; reason: string }
export type ReadResult = { ok: true; batch: CollectBatch } | ReadFailure

const ACCEPTED_TYPES = ['text/plain', 'application/json']

// One per isolate: making a strict decoder costs more than decoding a batch with it.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false })

const fail = (status: ReadFailure['status'], reason: string): ReadFailure => ({ ok: false, status, reason })

class ForbiddenKey extends Error {}

/**
 * JSON.parse that refuses prototype keys at any depth. Needed because valibot silently skips
 * `__proto__` when it copies objects, so such a key would otherwise pass validation unseen.
 */
function parseJson(body: string): unknown {
  return JSON.parse(body, (key, value: unknown) => {
    if (FORBIDDEN_KEYS.has(key)) throw new ForbiddenKey(key)
    return value
  })
}

/** Counted before validation so a 10,000-element array is refused as too large, not walked. */
function eventCount(json: unknown): number {
  if (typeof json !== 'object' || json === null || !('events' in json)) return 0
  const events: unknown = json.events
  return Array.isArray(events) ? events.length : 0
}

/**
 * Bytes of a refused body read and thrown away so the connection stays usable. Cancelling the
 * body instead breaks the connection under `wrangler dev` (the next request on it got 503
 * "worker restarted mid-request", a 10 MB upload a reset). Reading costs wall time, not CPU;
 * past this a sender is not a browser, and its connection may be dropped.
 */
export const DRAIN_LIMIT_BYTES = 16 * 1024 * 1024

/** Reads the rest of a refused body, up to DRAIN_LIMIT_BYTES in all, then cancels what is left. */
async function drain(reader: ReadableStreamDefaultReader<Uint8Array>, alreadyRead: number): Promise<void> {
  let size = alreadyRead
  for (;;) {
    const { done, value } = await reader.read()
    if (done) return
    size += value.byteLength
    if (size > DRAIN_LIMIT_BYTES) {
      await reader.cancel()
      return
    }
  }
}

// The runtime's types say `ReadableStream<any>`; a request body is bytes.
const bodyReader = (body: ReadableStream) => (body as ReadableStream<Uint8Array>).getReader()

/**
 * A refusal decided before the body was read: the body is drained first (see DRAIN_LIMIT_BYTES),
 * unless its declared length is already past what would be drained.
 */
async function refuseUnread(req: Request, declared: number | null, failure: ReadFailure): Promise<ReadFailure> {
  if (!req.body) return failure
  if ((declared ?? 0) > DRAIN_LIMIT_BYTES) await req.body.cancel()
  else await drain(bodyReader(req.body), 0)
  return failure
}

/** The body length the request declares; null without a content-length header (a chunked body). */
function declaredLength(req: Request): number | null {
  const header = req.headers.get('content-length')
  return header === null ? null : Number(header)
}

export async function readBatch(req: Request): Promise<ReadResult> {
  const declared = declaredLength(req)
  const type = (req.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? ''
  if (!ACCEPTED_TYPES.includes(type)) return refuseUnread(req, declared, fail(415, 'send text/plain or application/json'))
  if ((declared ?? 0) > LIMITS.bodyBytes) return refuseUnread(req, declared, fail(413, `body over ${LIMITS.bodyBytes} bytes`))
  const body = await readLimited(req, declared, LIMITS.bodyBytes)
  if (body === null) return fail(413, `body over ${LIMITS.bodyBytes} bytes`)
  if (body === undefined) return fail(400, 'body is not UTF-8')

  let json: unknown
  try {
    json = parseJson(body)
  } catch (err) {
    return fail(400, err instanceof ForbiddenKey ? `forbidden key ${err.message}` : 'malformed JSON')
  }
  if (eventCount(json) > LIMITS.eventsPerBatch) return fail(413, `over ${LIMITS.eventsPerBatch} events`)

  const parsed = v.safeParse(CollectBatch, json)
  if (!parsed.success) {
    const issue = parsed.issues[0]
    const path = issue.path?.map((p) => String(p.key)).join('.') ?? ''
    return fail(400, `invalid ${path || 'batch'}: ${issue.message}`)
  }
  if (parsed.output.events.some((e) => utf8Bytes(JSON.stringify(e)) > LIMITS.eventBytes))
    return fail(413, `an event over ${LIMITS.eventBytes} bytes`)
  return { ok: true, batch: parsed.output }
}

/** The body as text; null once it grows past `max` bytes (a lying content-length included), undefined if not UTF-8. */
async function readLimited(req: Request, declared: number | null, max: number): Promise<string | null | undefined> {
  if (!req.body) return ''
  // A declared length (already checked against `max`) frames the body on the wire: the runtime
  // reads that many bytes in one call instead of a read loop (most of collect's body cost). A
  // Request built in-process can still carry more than it declares, hence the check after.
  const framed = declared !== null && Number.isSafeInteger(declared)
  const bytes = framed ? new Uint8Array(await req.arrayBuffer()) : await readChunks(req.body, max)
  if (bytes === null || bytes.byteLength > max) return null
  try {
    return utf8.decode(bytes)
  } catch {
    return undefined
  }
}

/** A body without a declared length (chunked), read up to `max` bytes; null past that. */
async function readChunks(body: ReadableStream, max: number): Promise<Uint8Array | null> {
  const reader = bodyReader(body)
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > max) {
      await drain(reader, size)
      return null
    }
    chunks.push(value)
  }
  const all = new Uint8Array(size)
  let offset = 0
  for (const chunk of chunks) {
    all.set(chunk, offset)
    offset += chunk.byteLength
  }
  return all
}
