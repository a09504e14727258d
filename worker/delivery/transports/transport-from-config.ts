// Picks the transport named by configuration (MAIL_TRANSPORT) and checks it has what it needs.
import type { DeliveryConfig } from '../config'
import { chatTransport } from './chat'
import { httpApiTransport } from './http-api'
import { sendEmailTransport } from './send-email'
import { smtpTransport } from './smtp'
import type { Transport } from './transport'
import { webhookTransport } from './webhook'

export function transportFromConfig(config: DeliveryConfig): Transport {
  const need = <T>(value: T | undefined, name: string): T => {
    if (value === undefined) throw new Error(`MAIL_TRANSPORT=${config.MAIL_TRANSPORT} needs ${name}`)
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
