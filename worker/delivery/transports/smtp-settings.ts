// SMTP_URL read into the client's settings:
//   smtp://[user:pass@]host[:port]   port 587 by default; STARTTLS when the server offers it
//     ?starttls=required              … and refuse to go on without it
//     ?starttls=off                   … never (a local test server)
//   smtps://[user:pass@]host[:port]  TLS from the first byte, port 465 by default
// User name and password are URL-encoded in the URL (an @ in a user name is %40).
import { mailDomain } from './mailbox'
import { SMTP_TIMEOUTS, type SmtpSettings, type SmtpTimeouts } from './smtp-client'

export function smtpSettings(smtpUrl: string, sender: string, timeouts: SmtpTimeouts = SMTP_TIMEOUTS): SmtpSettings {
  const url = new URL(smtpUrl)
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:')
    throw new Error(`SMTP_URL must start with smtp:// or smtps://, not ${url.protocol}//`)
  const implicit = url.protocol === 'smtps:'
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: Number(url.port || (implicit ? 465 : 587)),
    tls: tlsMode(implicit, url.searchParams.get('starttls')),
    credentials: url.username ? { username: decodeURIComponent(url.username), password: decodeURIComponent(url.password) } : undefined,
    clientName: mailDomain(sender),
    timeouts,
  }
}

function tlsMode(implicit: boolean, starttls: string | null): SmtpSettings['tls'] {
  if (implicit) {
    if (starttls !== null) throw new Error('SMTP_URL: smtps:// is TLS from the start; starttls= does not apply')
    return 'implicit'
  }
  switch (starttls) {
    case null:
      return 'starttls'
    case 'required':
      return 'starttls-required'
    case 'off':
      return 'off'
    default:
      throw new Error(`SMTP_URL: starttls=${starttls} is neither "required" nor "off"`)
  }
}
