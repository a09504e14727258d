// Policy drops: requests that are well-formed but must not be recorded. They are answered
// 202 with the reason, so a script never retries them.
import { isbot } from 'isbot'

export type DropReason = 'bot' | 'origin' | 'privacy-signal'

/** True when `origin`'s host is one of the site's domains or a subdomain of one. */
export function originAllowed(origin: string | null, allowedDomains: string[]): boolean {
  if (!origin || !URL.canParse(origin)) return false
  const host = new URL(origin).hostname.toLowerCase()
  return allowedDomains.some((d) => {
    const domain = d.toLowerCase()
    return host === domain || host.endsWith(`.${domain}`)
  })
}

/** Global Privacy Control (`Sec-GPC: 1`) or Do-Not-Track (`DNT: 1`) sent by the browser. */
const sendsPrivacySignal = (headers: Headers) => headers.get('sec-gpc') === '1' || headers.get('dnt') === '1'

export function policyDrop(req: Request, site: { allowedDomains: string[]; honorPrivacySignals: boolean }): DropReason | null {
  const ua = req.headers.get('user-agent') ?? ''
  if (!ua || isbot(ua) || /headless/i.test(ua)) return 'bot'
  if (!originAllowed(req.headers.get('origin'), site.allowedDomains)) return 'origin'
  // The script already sends nothing then (data-dnt); this holds for any other sender too.
  if (site.honorPrivacySignals && sendsPrivacySignal(req.headers)) return 'privacy-signal'
  return null
}
