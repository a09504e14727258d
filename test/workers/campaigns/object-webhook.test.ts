// A campaign's webhook step reaches a real local HTTP server, signed with the workspace's
// webhook secret (HMAC-SHA256 over the exact body, which carries the send time); its chat step
// posts Slack-compatible JSON. Each goes out once, under the step's idempotency key.
import { env } from 'cloudflare:test'
import * as v from 'valibot'
import { beforeAll, describe, expect, it } from 'vitest'
import { newId } from '../support/collect'
import { httpRequests } from '../delivery/support'
import { act, actionRows, campaignShop, eventually, newContact, track, type CampaignShop } from './object-fixture'

const SECRET = 'whsec_test_campaigns'
let shop: CampaignShop
let campaignId: string
const hookPath = `/hook/${newId('p')}`
const chatPath = `/chat/${newId('p')}`

beforeAll(async () => {
  shop = await campaignShop({ webhookSecret: SECRET })
  campaignId = await shop.addCampaign({
    name: 'Signup to CRM',
    triggers: [{ type: 'custom-event', name: 'signup' }],
    steps: [
      { id: 'score', type: 'change-score', by: 30 },
      { id: 'crm', type: 'webhook', url: `${env.HTTP_SINK_URL}${hookPath}` },
      { id: 'room', type: 'chat', url: `${env.HTTP_SINK_URL}${chatPath}` },
    ],
  })
})

async function validSignature(secret: string, body: string, header: string | undefined): Promise<boolean> {
  const hex = /^sha256=([0-9a-f]{64})$/.exec(header ?? '')?.[1]
  if (!hex) return false
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify'])
  const mac = new Uint8Array(hex.match(/../g)!.map((b) => parseInt(b, 16)))
  return crypto.subtle.verify('HMAC', key, mac, new TextEncoder().encode(body))
}

const Posted = v.object({
  alert_key: v.string(),
  sent_at: v.string(),
  data: v.object({
    event: v.string(),
    campaign: v.object({ id: v.string(), version: v.number() }),
    step: v.object({ id: v.string() }),
    contact: v.object({ email: v.string(), score: v.number() }),
  }),
})

describe('contact object: webhook and chat steps', () => {
  it('posts the signed webhook to the real HTTP server once, and the chat message', async () => {
    const contact = await newContact(shop)
    await act(shop, contact, [track('signup')])

    const [hook] = await eventually(async () => {
      const found = await httpRequests(hookPath)
      return found.length ? found : undefined
    })
    expect(await validSignature(SECRET, hook!.body, hook!.headers['x-pagebell-signature'])).toBe(true)
    expect(await validSignature('another secret', hook!.body, hook!.headers['x-pagebell-signature'])).toBe(false)
    const body = v.parse(Posted, JSON.parse(hook!.body))
    const runKey = `${campaignId}:${contact.contact.id}:1`
    expect(body.alert_key).toBe(`${runKey}:crm`)
    expect(hook!.headers['x-pagebell-alert-key']).toBe(`${runKey}:crm`)
    expect(body.data).toMatchObject({
      event: 'campaign.step',
      campaign: { id: campaignId, version: 1 },
      step: { id: 'crm' },
      contact: { email: contact.email, score: 30 },
    })

    const [chat] = await eventually(async () => {
      const found = await httpRequests(chatPath)
      return found.length ? found : undefined
    })
    expect(chat!.body).toContain('Signup to CRM')
    const rows = await eventually(async () => {
      const found = await actionRows(contact.contact.id)
      return found.filter((r) => r.status === 'sent').length === 2 ? found : undefined
    })
    expect(rows.map((r) => [r.kind, r.actionKey]).sort()).toEqual([
      ['chat', `${runKey}:room`],
      ['webhook', `${runKey}:crm`],
    ])
    expect(await httpRequests(hookPath)).toHaveLength(1)
  })
})
