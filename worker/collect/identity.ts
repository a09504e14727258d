// Who a batch says the visitor is: an `identify` call (signed or not) or an e-mail typed
// into a form, with how it was made, which decides what the claim may change on the contact
// (worker/db/queries/contacts.ts) and what its alerts say. Sites that require verification only
// accept correctly signed identities.
import * as v from 'valibot'
import { Email, type CollectEvent } from '../../sdk/wire'
import { CUSTOM_FIELD_KEY, FIELD_VALUE_CHARS } from '../../durable-objects/contracts/campaign'
import type { ClaimedIdentity } from '../../durable-objects/contracts/object-rpc'
import type { CollectSite } from '../db/queries/sites'
import { hmacSha256Hex } from '../hex-digest'

/** A trait as text, or undefined when absent or blank: a blank value must not count as a claim to a field. */
const textTrait = (value: unknown) => (typeof value === 'string' && value.trim() ? value.trim().slice(0, 256) : undefined)

/** At most this many traits an `identify` carries beyond name, company and phone are kept as custom fields. */
const MAX_CUSTOM_TRAITS = 20
const BUILT_IN = new Set(['name', 'company', 'phone', 'email'])

/**
 * The identify's other traits as custom fields (campaigns read them as `custom.<key>`): keys a
 * field name can be, text, numbers and true/false as text, the first MAX_CUSTOM_TRAITS of them;
 * empty values and anything else are left out.
 */
function customTraits(traits: Record<string, unknown>): Record<string, string> | undefined {
  const kept: Array<[string, string]> = []
  for (const [key, value] of Object.entries(traits)) {
    if (kept.length >= MAX_CUSTOM_TRAITS) break
    if (BUILT_IN.has(key) || !CUSTOM_FIELD_KEY.test(key)) continue
    const text = typeof value === 'string' ? value.trim() : typeof value === 'number' || typeof value === 'boolean' ? String(value) : ''
    if (text) kept.push([key, text.slice(0, FIELD_VALUE_CHARS)])
  }
  return kept.length ? Object.fromEntries(kept) : undefined
}

async function verified(site: CollectSite, email: string, sig: string | undefined): Promise<boolean> {
  if (!site.identitySecret || !sig) return false
  const expected = await hmacSha256Hex(site.identitySecret, email)
  // Constant-time comparison of two equal-length hex strings.
  let diff = expected.length ^ sig.length
  for (let i = 0; i < expected.length; i++) diff |= expected.charCodeAt(i) ^ (sig.charCodeAt(i) || 0)
  return diff === 0
}

function formEmail(fields: Record<string, string | number | boolean>): string | null {
  const entries = Object.entries(fields).sort(([a], [b]) => Number(/mail/i.test(b)) - Number(/mail/i.test(a)))
  for (const [, value] of entries) {
    const parsed = v.safeParse(Email, value)
    if (parsed.success) return parsed.output
  }
  return null
}

/** The last identity claimed in the batch that the site accepts, or null. */
export async function claimedIdentity(site: CollectSite, events: CollectEvent[]): Promise<ClaimedIdentity | null> {
  let claim: ClaimedIdentity | null = null
  for (const e of events) {
    if (e.type === 'identify') {
      const signed = await verified(site, e.email, e.sig)
      if (site.requireVerifiedIdentity && !signed) continue
      claim = {
        eventId: e.id,
        email: e.email,
        identifiedBy: signed ? 'verified-identify' : 'identify',
        traits: {
          name: textTrait(e.traits.name),
          company: textTrait(e.traits.company),
          phone: textTrait(e.traits.phone),
          custom: customTraits(e.traits),
        },
      }
    } else if (e.type === 'form' && !site.requireVerifiedIdentity) {
      const email = formEmail(e.fields)
      if (email)
        claim = {
          eventId: e.id,
          email,
          identifiedBy: 'form',
          traits: { name: textTrait(e.fields.name), company: textTrait(e.fields.company), phone: textTrait(e.fields.phone) },
        }
    }
  }
  return claim
}
