// Policy drops: requests that are well-formed but must not be recorded. They are answered
// 202 with the reason, so a script never retries them.
import { isbot } from 'isbot'
import { LruMap } from '../../durable-objects/rules/lru-map'

export type DropReason = 'bot' | 'origin' | 'privacy-signal'

/** Longer header values (agents, origins) are judged every time, so each cache stays within about 1 MB. */
const CACHED_VALUE_CHARS = 512

/** Hosts by origin: a site's visitors send a handful of origins, and each request asks twice. */
const originHosts = new LruMap<string, string | null>(1024)

function hostOf(origin: string): string | null {
  const known = originHosts.get(origin)
  if (known !== undefined) return known
  const host = URL.canParse(origin) ? new URL(origin).hostname.toLowerCase() : null
  if (origin.length <= CACHED_VALUE_CHARS) originHosts.set(origin, host)
  return host
}

/** True when `origin`'s host is one of the site's domains or a subdomain of one. */
export function originAllowed(origin: string | null, allowedDomains: string[]): boolean {
  const host = origin ? hostOf(origin) : null
  if (!host) return false
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

function isBotAgent(ua: string): boolean {
  const known = botVerdicts.get(ua)
  if (known !== undefined) return known
  const verdict = !ua || isbot(ua) || /headless/i.test(ua)
  if (ua.length <= CACHED_VALUE_CHARS) botVerdicts.set(ua, verdict)
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
