// Policy drops: requests that are well-formed but must not be recorded. They are answered
// 202 with the reason, so a script never retries them.
import { isbot } from 'isbot'

export type DropReason = 'bot' | 'origin'

/** True when `origin`'s host is one of the site's domains or a subdomain of one. */
export function originAllowed(origin: string | null, allowedDomains: string[]): boolean {
  if (!origin || !URL.canParse(origin)) return false
  const host = new URL(origin).hostname.toLowerCase()
  return allowedDomains.some((d) => {
    const domain = d.toLowerCase()
    return host === domain || host.endsWith(`.${domain}`)
  })
}

export function policyDrop(req: Request, allowedDomains: string[]): DropReason | null {
  const ua = req.headers.get('user-agent') ?? ''
  if (!ua || isbot(ua) || /headless/i.test(ua)) return 'bot'
  if (!originAllowed(req.headers.get('origin'), allowedDomains)) return 'origin'
  return null
}
