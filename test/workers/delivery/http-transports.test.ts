// The HTTP transports against a real local HTTP server: the e-mail API (Resend-compatible,
// Idempotency-Key), the signed webhook, and the Slack-compatible chat webhook.
import { env } from 'cloudflare:test'
import * as v from 'valibot'
import { describe, expect, it } from 'vitest'
import { chatTransport } from '../../../worker/delivery/transports/chat'
import { deliverAlert } from '../../../worker/delivery/deliver-alert'
import { httpApiTransport } from '../../../worker/delivery/transports/http-api'
import { webhookTransport } from '../../../worker/delivery/transports/webhook'
import { SENDING_STALE_MS } from '../../../worker/delivery/retry-schedule'
import {
  crashingAfterSend,
  deliverOnce,
  deliveryContext,
  httpFault,
  httpRequests,
  jobFor,
  newId,
  outbox,
  seedAlert,
  testClock,
} from './support'

const ACKED = { acked: true, retried: false }
const RETRIED = { acked: false, retried: true }

// The parts of each posted body that the tests read field by field.
const EmailApiBody = v.object({ html: v.string(), text: v.string() })
const ChatBody = v.object({ text: v.string(), blocks: v.tuple([v.unknown(), v.object({ text: v.object({ text: v.string() }) })]) })

const path = (name: string) => `/${name}/${newId('p')}`
const apiAt = (p: string) => httpApiTransport({ url: `${env.HTTP_SINK_URL}${p}`, apiKey: 're_test_key' })

async function verifySignature(secret: string, body: string, header: string): Promise<boolean> {
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify'])
  const hex = /^sha256=([0-9a-f]{64})$/.exec(header)?.[1]
  if (!hex) return false
  const mac = new Uint8Array(hex.match(/../g)!.map((b) => parseInt(b, 16)))
  return crypto.subtle.verify('HMAC', key, mac, new TextEncoder().encode(body))
}

describe('HTTP e-mail API transport', () => {
  it('delivers once after a 500 then a 200, with the alert key as Idempotency-Key', async () => {
    const p = path('emails')
    const alert = await seedAlert({ cc: 'sales@acme.test' })
    const job = jobFor(alert.id)
    await httpFault(500, p)
    const ctx = deliveryContext(apiAt(p))

    expect(await deliverOnce(ctx, job, 1)).toEqual(RETRIED)
    expect(await deliverOnce(ctx, job, 2)).toEqual(ACKED)
    const requests = await httpRequests(p)
    expect(requests.map((r) => r.status)).toEqual([500, 200])
    const delivered = requests[1]!
    expect(delivered.headers['idempotency-key']).toBe(job.alertKey)
    expect(delivered.headers.authorization).toBe('Bearer re_test_key')
    const body: unknown = JSON.parse(delivered.body)
    expect(body).toMatchObject({
      to: [job.contact.ownerEmail],
      cc: ['sales@acme.test'],
      subject: '[Pagebell] Pricing interest',
      headers: { 'X-Pagebell-Alert-Key': job.alertKey },
    })
    const { html, text } = v.parse(EmailApiBody, body)
    expect(html).toContain('Dana Buyer')
    expect(text).toContain('Dana Buyer')
    expect(await outbox(job.alertKey)).toMatchObject({ status: 'sent', attempts: 2 })
  })

  it('re-sends an interrupted alert with the same key, which the provider delivers only once', async () => {
    const p = path('emails')
    const alert = await seedAlert()
    const job = jobFor(alert.id)
    const clock = testClock()
    const crashing = crashingAfterSend(apiAt(p))
    void deliverAlert(deliveryContext(crashing, { now: clock.now }), job)
    await expect.poll(() => httpRequests(p), { timeout: 5_000 }).toHaveLength(1)

    // Once the claim is stale the send counts as interrupted, and this transport may repeat it.
    clock.advance(SENDING_STALE_MS)
    expect(await deliverOnce(deliveryContext(apiAt(p), { now: clock.now }), job, 2)).toEqual(ACKED)
    const requests = await httpRequests(p)
    expect(requests.map((r) => [r.headers['idempotency-key'], r.replay])).toEqual([
      [job.alertKey, false],
      [job.alertKey, true],
    ])
    expect(await outbox(job.alertKey)).toMatchObject({ status: 'sent' })
  })

  it('retries 429 and records any other 4xx as failed', async () => {
    const alert = await seedAlert()
    const p = path('emails')
    const job = jobFor(alert.id)
    await httpFault(429, p)
    expect(await deliverOnce(deliveryContext(apiAt(p)), job)).toEqual(RETRIED)
    await httpFault(422, p)
    expect(await deliverOnce(deliveryContext(apiAt(p)), job, 2)).toEqual(ACKED)
    const row = await outbox(job.alertKey)
    expect(row).toMatchObject({ status: 'failed' })
    expect(row.error).toContain('HTTP 422')
  })

  it('retries when nothing listens at the API address', async () => {
    const alert = await seedAlert()
    const job = jobFor(alert.id)
    const refused = httpApiTransport({ url: 'http://127.0.0.1:9/emails', apiKey: 'k' })
    expect(await deliverOnce(deliveryContext(refused), job)).toEqual(RETRIED)
  })
})

describe('webhook transport', () => {
  it('posts the alert as JSON with an HMAC-SHA256 signature of the body that verifies', async () => {
    const p = path('hook')
    const secret = 'whsec_test_secret'
    const alert = await seedAlert()
    const job = jobFor(alert.id)
    expect(await deliverOnce(deliveryContext(webhookTransport({ url: `${env.HTTP_SINK_URL}${p}`, secret })), job)).toEqual(ACKED)

    const [request] = await httpRequests(p)
    expect(await verifySignature(secret, request!.body, request!.headers['x-pagebell-signature']!)).toBe(true)
    expect(await verifySignature('another secret', request!.body, request!.headers['x-pagebell-signature']!)).toBe(false)
    expect(request!.headers['x-pagebell-alert-key']).toBe(job.alertKey)
    const body: unknown = JSON.parse(request!.body)
    expect(body).toMatchObject({
      type: 'alert',
      alert_key: job.alertKey,
      to: [job.contact.ownerEmail],
      data: {
        contact: { name: 'Dana Buyer', email: job.contact.email, score: 70 },
        visit: { url: 'https://shop.test/pricing/plans', seconds: 12 },
      },
    })
  })
})

describe('chat transport', () => {
  it('posts Slack-compatible {text, blocks} with visitor text escaped', async () => {
    const p = path('chat')
    const alert = await seedAlert()
    const base = jobFor(alert.id)
    const job = { ...base, contact: { ...base.contact, name: '<!channel> <https://evil.test|click>' } }
    expect(await deliverOnce(deliveryContext(chatTransport({ url: `${env.HTTP_SINK_URL}${p}` })), job)).toEqual(ACKED)
    const body = v.parse(ChatBody, JSON.parse((await httpRequests(p))[0]!.body))
    expect(body.text).toBe('[Pagebell] Pricing interest')
    expect(body.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: '[Pagebell] Pricing interest' } })
    const section = body.blocks[1].text.text
    expect(section).toContain('&lt;!channel&gt; &lt;https://evil.test|click&gt;')
    expect(section).not.toContain('<!channel>')
  })
})
