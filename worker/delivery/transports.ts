// Picks the transport named by configuration (MAIL_TRANSPORT).
import { smtpTransport } from './smtp-transport'
import type { Transport } from './transport'

export function transportFromEnv(env: Env): Transport {
  switch (env.MAIL_TRANSPORT) {
    case 'smtp':
      if (!env.SMTP_URL) throw new Error('MAIL_TRANSPORT=smtp needs SMTP_URL')
      return smtpTransport(env.SMTP_URL)
    default:
      throw new Error(`unknown MAIL_TRANSPORT ${env.MAIL_TRANSPORT}`)
  }
}
