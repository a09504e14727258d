// Picks the transport named by configuration (MAIL_TRANSPORT) and checks it has what it needs.
// A deployment missing a setting still runs: its mail transport fails every send as a temporary
// failure naming the setting, so the outbox shows why, the jobs wait for the fix, and the jobs
// that need no mail (webhooks, chat posts, list rechecks) go on.
import type { DeliveryConfig } from '../config'
import { chatTransport } from './chat'
import { httpApiTransport } from './http-api'
import { sendEmailTransport } from './send-email'
import { smtpTransport } from './smtp'
import { DeliveryError, type Transport } from './transport'
import { webhookTransport } from './webhook'

export function transportFromConfig(config: DeliveryConfig): Transport {
  try {
    return configuredTransport(config)
  } catch (err) {
    if (!(err instanceof MissingSetting)) throw err
    return unconfiguredTransport(config.MAIL_TRANSPORT, err.message)
  }
}

class MissingSetting extends Error {}

/** Sends nothing: every attempt is a temporary failure saying which setting is missing. */
function unconfiguredTransport(name: string, reason: string): Transport {
  return {
    name,
    idempotent: true,
    send: () => Promise.reject(new DeliveryError(`mail is not set up on this server: ${reason}`, true)),
  }
}

function configuredTransport(config: DeliveryConfig): Transport {
  const need = <T>(value: T | undefined, name: string): T => {
    if (value === undefined) throw new MissingSetting(`MAIL_TRANSPORT=${config.MAIL_TRANSPORT} needs ${name}`)
    return value
  }
  switch (config.MAIL_TRANSPORT) {
    case 'smtp':
      return smtpTransport(need(config.SMTP_URL, 'SMTP_URL'))
    case 'http-api':
      return httpApiTransport({ url: config.MAIL_API_URL, apiKey: need(config.MAIL_API_KEY, 'MAIL_API_KEY') })
    case 'send-email':
      return sendEmailTransport(need(config.SEND_EMAIL, 'a send_email binding named SEND_EMAIL'))
    case 'webhook':
      return webhookTransport({ url: need(config.WEBHOOK_URL, 'WEBHOOK_URL'), secret: need(config.WEBHOOK_SECRET, 'WEBHOOK_SECRET') })
    case 'chat':
      return chatTransport({ url: need(config.CHAT_WEBHOOK_URL, 'CHAT_WEBHOOK_URL') })
  }
}
