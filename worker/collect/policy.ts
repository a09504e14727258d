// Policy drops: requests that are well-formed but must not be recorded. They are answered
// 202 with the reason, so a script never retries them.
import { isbot } from 'isbot'
import { LruMap } from '../../durable-objects/rules/lru-map'

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

/**
 * Bot verdicts by user agent. Visitors of a site send a few thousand distinct user agents, and
 * isbot's pattern costs about 20 µs a request; a flood of new ones only evicts old verdicts.
 */
const botVerdicts = new LruMap<string, boolean>(2048)
/** Longer agents are judged every time, so the cache stays within about 1 MB. */
const CACHED_AGENT_CHARS = 512

function isBotAgent(ua: string): boolean {
  const known = botVerdicts.get(ua)
  if (known !== undefined) return known
  const verdict = !ua || isbot(ua) || /headless/i.test(ua)
  if (ua.length <= CACHED_AGENT_CHARS) botVerdicts.set(ua, verdict)
  return verdict
}

export function policyDrop(req: Request, site: { allowedDomains: string[]; honorPrivacySignals: boolean }): DropReason | null {
  const ua = req.headers.get('user-agent') ?? ''
  if (isBotAgent(ua)) return 'bot'
  if (!originAllowed(req.headers.get('origin'), site.allowedDomains)) return 'origin'
  // The script already sends nothing then (data-dnt); this holds for any other sender too.
  if (site.honorPrivacySignals && sendsPrivacySignal(req.headers)) return 'privacy-signal'
  return null
}
