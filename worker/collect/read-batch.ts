// Reads and validates one collect request body. Every failure is a status and a reason;
// nothing is stored before this returns a batch.
import * as v from 'valibot'
import { CollectBatch, LIMITS } from '../../sdk/wire'

export type ReadResult = { ok: true; batch: CollectBatch } | { ok: false; status: 400 | 413 | 415; reason: string }

const ACCEPTED_TYPES = ['text/plain', 'application/json']

export async function readBatch(req: Request): Promise<ReadResult> {
  const type = (req.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase()
  if (!ACCEPTED_TYPES.includes(type)) return { ok: false, status: 415, reason: 'send text/plain or application/json' }
  const declared = Number(req.headers.get('content-length') ?? '0')
  if (declared > LIMITS.bodyBytes) return { ok: false, status: 413, reason: `body over ${LIMITS.bodyBytes} bytes` }
  const body = await readLimited(req, LIMITS.bodyBytes)
  if (body === null) return { ok: false, status: 413, reason: `body over ${LIMITS.bodyBytes} bytes` }
  let json: unknown
  try {
    json = JSON.parse(body)
  } catch {
    return { ok: false, status: 400, reason: 'malformed JSON' }
  }
  const parsed = v.safeParse(CollectBatch, json)
  if (!parsed.success) {
    const issue = parsed.issues[0]
    const path = issue.path?.map((p) => String(p.key)).join('.') ?? ''
    return { ok: false, status: 400, reason: `invalid ${path || 'batch'}: ${issue.message}` }
  }
  const encoder = new TextEncoder()
  if (parsed.output.events.some((e) => encoder.encode(JSON.stringify(e)).length > LIMITS.eventBytes))
    return { ok: false, status: 413, reason: `an event over ${LIMITS.eventBytes} bytes` }
  return { ok: true, batch: parsed.output }
}

/** The body as text, or null once it grows past `max` bytes (a lying content-length included). */
async function readLimited(req: Request, max: number): Promise<string | null> {
  if (!req.body) return ''
  const reader = req.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > max) {
      await reader.cancel()
      return null
    }
    chunks.push(value)
  }
  const all = new Uint8Array(size)
  let offset = 0
  for (const c of chunks) all.set(c, offset), (offset += c.byteLength)
  return new TextDecoder().decode(all)
}
