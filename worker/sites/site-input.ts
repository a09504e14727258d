// The checks a site passes before it is saved, for the REST API and the admin form alike, and
// the schemas the OpenAPI document is generated from. Allowed domains are stored as browsers
// send them in `Origin`: lower-case ASCII, international names in punycode (`bücher.de` →
// `xn--bcher-kva.de`), so collect compares them as they are (worker/collect/policy.ts).
import * as v from 'valibot'

export const LIMITS = { name: 120, domains: 50, domainChars: 253, ownerId: 64 } as const

type Parsed = { ok: true; domain: string } | { ok: false; reason: string }

const LABEL = /^(?!-)[a-z0-9_-]{1,63}(?<!-)$/
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/

/**
 * An allowed domain as people type it — a host, a pasted URL (its path and port are ignored), a
 * `*.` prefix (subdomains are always included), an international name — as the host browsers
 * put in `Origin`, or the reason it is not one.
 */
export function parseDomain(typed: string): Parsed {
  const text = typed.trim().replace(/^\*\./, '')
  if (!text) return { ok: false, reason: 'an empty line is not a domain' }
  const url = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`
  const notDomain = { ok: false as const, reason: `"${typed.trim()}" is not a domain name (write it as shop.com)` }
  if (!URL.canParse(url)) return notDomain
  const parsed = new URL(url)
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return notDomain
  if (parsed.username || parsed.password) return notDomain
  const host = parsed.hostname
  if (host.startsWith('[') || IPV4.test(host) || host === 'localhost') return { ok: true, domain: host }
  if (host.length > LIMITS.domainChars) return { ok: false, reason: `"${typed.trim()}" is longer than a domain name can be` }
  const labels = host.replace(/\.$/, '').split('.')
  if (labels.length < 2) return { ok: false, reason: `"${typed.trim()}" is not a full domain name: write it as shop.com` }
  if (!labels.every((l) => LABEL.test(l)) || /^\d+$/.test(labels.at(-1) ?? '')) return notDomain
  return { ok: true, domain: labels.join('.') }
}

const Domain = v.pipe(
  v.string('each domain is text'),
  v.rawTransform(({ dataset, addIssue, NEVER }) => {
    const parsed = parseDomain(dataset.value)
    if (parsed.ok) return parsed.domain
    addIssue({ message: parsed.reason })
    return NEVER
  }),
)

const AllowedDomains = v.pipe(
  v.array(Domain, 'allowedDomains is a list of domain names'),
  v.minLength(1, 'add at least one domain: the site whose pages carry the snippet'),
  v.maxLength(LIMITS.domains, `at most ${LIMITS.domains} domains`),
  v.transform((domains) => [...new Set(domains)]),
  v.description(
    'Hosts whose pages may send events; a subdomain of one is allowed too. Typed as hosts or URLs (path and port ignored, `*.` dropped); stored lower-case, international names in punycode.',
  ),
  v.metadata({ example: ['shop.com', 'bücher.de'] }),
)

const Name = v.pipe(
  v.string('the name must be text'),
  v.trim(),
  v.minLength(1, 'give the site a name'),
  v.maxLength(LIMITS.name, `the name is at most ${LIMITS.name} characters`),
  v.regex(/^\P{Cc}*$/u, 'the name cannot contain control characters (line breaks, tabs)'),
)

const OwnerId = v.nullable(
  v.pipe(
    v.string('the default owner is a user id'),
    v.trim(),
    v.minLength(1, 'the default owner is a user id, or null for none'),
    v.maxLength(LIMITS.ownerId, 'no user with this id in your workspace'),
    v.description('A user of the workspace who owns the contacts this site identifies; null = none.'),
  ),
)

/** Every field an admin sets, as the API reads and shows it. */
export const SITE_FIELDS = {
  name: Name,
  allowedDomains: AllowedDomains,
  defaultOwnerId: OwnerId,
  requireVerifiedIdentity: v.pipe(
    v.boolean('requireVerifiedIdentity is true or false'),
    v.description(
      "Alerts only for verified contacts: only an identify signed with the workspace's identity secret makes a contact; form e-mails and unsigned identify calls are ignored.",
    ),
  ),
  honorPrivacySignals: v.pipe(
    v.boolean('honorPrivacySignals is true or false'),
    v.description('Drop events from browsers that send Global Privacy Control or Do-Not-Track (always, when the workspace asks for it).'),
  ),
}

/** A new site: `name` and `allowedDomains` are required; the default owner is the creator unless given. */
export const NewSiteBody = v.pipe(
  v.strictObject(
    {
      name: SITE_FIELDS.name,
      allowedDomains: SITE_FIELDS.allowedDomains,
      defaultOwnerId: v.optional(SITE_FIELDS.defaultOwnerId),
      requireVerifiedIdentity: v.optional(SITE_FIELDS.requireVerifiedIdentity, false),
      honorPrivacySignals: v.optional(SITE_FIELDS.honorPrivacySignals, false),
    },
    'the body must be a JSON object',
  ),
  v.metadata({ ref: 'SiteInput' }),
)

export const SitePatchBody = v.pipe(
  v.partial(v.strictObject(SITE_FIELDS, 'the body must be a JSON object')),
  v.metadata({ ref: 'SitePatch' }),
)

export type NewSiteInput = v.InferOutput<typeof NewSiteBody>
export type SitePatch = v.InferOutput<typeof SitePatchBody>
