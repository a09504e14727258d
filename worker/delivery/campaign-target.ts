// Where a campaign's webhook or chat step may post, checked again at delivery (the campaign
// service checks it when the campaign is saved; a row written around it, or a deployment whose
// setting changed, must not reach inside the network): https only, and no loopback, private,
// link-local or unnamed host, unless ALLOW_PRIVATE_WEBHOOKS is set (tests, `npm start`).

const PRIVATE_V4 = [
  /^10\./,
  /^127\./,
  /^0\./,
  /^169\.254\./,
  /^192\.168\./,
  /^172\.(1[6-9]|2\d|3[01])\./,
  /^100\.(6[4-9]|[7-9]\d|1[01]\d|12[0-7])\./,
  /^192\.0\.0\./,
  /^198\.1[89]\./,
  // Multicast and reserved: 224.0.0.0 and above.
  /^(22[4-9]|2[3-5]\d)\./,
]

// As the URL parser writes them: lower-case, compressed, no dotted quad (::ffff:7f00:1).
const PRIVATE_V6 = [
  /^::1?$/,
  /^f[cd]/,
  // Link-local and the old site-local.
  /^fe[89a-f]/,
  // Multicast.
  /^ff/,
  // IPv4-mapped, IPv4-compatible (only the last 32 bits set) and NAT64: an IPv4 host inside.
  /^::ffff:/,
  /^::[0-9a-f]{1,4}(:[0-9a-f]{1,4})?$/,
  /^64:ff9b:/,
]

function privateHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '')
  if (h === 'localhost' || h.endsWith('.localhost') || h.endsWith('.local') || h.endsWith('.internal')) return true
  if (/^\d+\.\d+\.\d+\.\d+$/.test(h)) return PRIVATE_V4.some((range) => range.test(h))
  if (h.includes(':')) return PRIVATE_V6.some((range) => range.test(h))
  // A bare name without a dot resolves inside the network, if anywhere.
  return !h.includes('.')
}

/** Null when the URL may be posted to; otherwise why not (recorded on the outbox row). */
export function campaignTargetRefusal(raw: string, allowPrivate: boolean): string | null {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return 'not a URL'
  }
  if (allowPrivate) return url.protocol === 'https:' || url.protocol === 'http:' ? null : 'only http(s) URLs are called'
  if (url.protocol !== 'https:') return 'only https URLs are called'
  if (privateHost(url.hostname)) return `${url.hostname} is a private or loopback host`
  return null
}
