// "Send test" from the alert wizard: renders the alert as saved — template, description,
// attachment — for a sample contact (or a chosen one) and sends it to one address. It goes
// through the configured transport (its failure classified like any send, `attemptSend`) but
// not the outbox, the flood cap or the frequency limit.
import type { AlertJob, ContactSnapshot } from '../../durable-objects/contracts/alert-job'
import { createDb } from '../db/client'
import { alertForDelivery } from '../db/queries/deliveries'
import { deliveryConfig } from './config'
import { renderAlert } from './content/render-alert'
import { attemptSend } from './outbox-send'
import { isDeliverableAddress } from './recipients'
import type { OutgoingMessage, Transport } from './transports/transport'
import { transportFromConfig } from './transports/transport-from-config'

export type SendTestInput = { workspaceId: string; alertId: string; to: string; contact?: ContactSnapshot }
export type SendTestResult = { ok: true; alertKey: string } | { ok: false; reason: string; temporary: boolean }

export async function sendTestAlert(env: Env, input: SendTestInput, transport?: Transport): Promise<SendTestResult> {
  if (!isDeliverableAddress(input.to)) return { ok: false, reason: 'not an e-mail address', temporary: false }
  const db = createDb(env.DB)
  const found = await alertForDelivery(db, input.workspaceId, input.alertId)
  if (!found) return { ok: false, reason: 'no such alert', temporary: false }
  const config = deliveryConfig(env)
  const job = sampleJob(input, found.alert.pages[0]?.pattern ?? '/')
  const rendered = await renderAlert(job, found.alert, '[Pagebell test]')
  const message: OutgoingMessage = { alertKey: job.alertKey, kind: 'test', from: config.MAIL_FROM, to: [input.to], cc: [], ...rendered }
  const result = await attemptSend(transport ?? transportFromConfig(config), message)
  if (result.outcome !== 'sent') return { ok: false, reason: result.error?.message ?? 'not sent', temporary: result.outcome === 'retry' }
  return { ok: true, alertKey: job.alertKey }
}

export const SAMPLE_CONTACT: Omit<ContactSnapshot, 'workspaceId'> = {
  id: 'sample-contact',
  email: 'jane.sample@example.com',
  name: 'Jane Sample',
  company: 'Example Corp',
  phone: '+1 555 0100',
  ownerEmail: 'owner@example.com',
  ownerName: 'Sam Owner',
  tags: ['trial', 'enterprise'],
  score: 42,
  identifiedBy: 'form',
}

/** A plausible job for the alert: the sample contact reading a page its first row matches. */
function sampleJob(input: SendTestInput, pattern: string): AlertJob {
  const now = Date.now()
  const path = pattern.replace(/\*+/g, 'example').replace(/^(?!\/|https?:)/, '/')
  const url = /^https?:/i.test(path) ? path : `https://www.example.com${path}`
  return {
    kind: 'alert',
    alertKey: `test:${input.alertId}:${crypto.randomUUID()}`,
    alertId: input.alertId,
    workspaceId: input.workspaceId,
    firedAt: now,
    contact: input.contact ?? { ...SAMPLE_CONTACT, workspaceId: input.workspaceId },
    visit: { url, title: 'Pricing', visibleMs: 125_000, startedAt: now - 125_000 },
    recentActivity: [
      { type: 'pageview', at: now - 600_000, url: 'https://www.example.com/', title: 'Home', visibleMs: 40_000 },
      {
        type: 'form',
        at: now - 300_000,
        url: 'https://www.example.com/contact',
        detail: { id: 'contact-form', email: 'jane.sample@example.com' },
      },
      { type: 'pageview', at: now - 125_000, url, title: 'Pricing', visibleMs: 125_000 },
    ],
  }
}
