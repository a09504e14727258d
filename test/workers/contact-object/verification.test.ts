// A site that requires verified identities: only an `identify` signed with the site's secret
// makes a visitor a contact whose visits can fire alerts.
import { env, runDurableObjectAlarm } from 'cloudflare:test'
import { beforeAll, describe, expect, it } from 'vitest'
import { contactStub } from '../../../durable-objects/contact-stub'
import { hmacSha256Hex } from '../../../worker/hex-digest'
import { forgetSites } from '../../../worker/collect/site-cache'
import { createDb } from '../../../worker/db/client'
import { findContactByEmail } from '../../../worker/db/queries/contacts'
import { newId } from '../support/collect'
import { engage, identifiedVisitor, identify, pageview, readPage, sendAt, sendShop } from './shop-visitor'
import { createWorkspace, type Fixture } from './workspace-fixture'

const SECRET = 'site-secret-for-tests'
let shop: Fixture
let pricing: string

beforeAll(async () => {
  shop = await createWorkspace({ requireVerifiedIdentity: true, identitySecret: SECRET })
  pricing = await shop.addAlert('Pricing', { pages: [{ pattern: '/pricing/**', minSeconds: 10 }] })
})

const signed = (email: string) => hmacSha256Hex(SECRET, email)
const contactOf = (email: string) => findContactByEmail(createDb(env.DB), shop.workspaceId, email)

/** Reads `path` for 30 s of the server's clock, then leaves. */
async function readFor30s(site: Fixture, visitor: string, path: string) {
  const t = Date.now()
  const visit = newId('visit')
  await sendAt(site, visitor, [pageview(visit, path)], t)
  await sendAt(site, visitor, [engage(visit, 'leave', 30_000)], t + 30_000)
}

/** A second device claiming `email` with `sig`, then reading pricing past the minimum. */
async function claimAndRead(email: string, sig: string | undefined, fields?: Record<string, string>) {
  const visitor = newId('v')
  const visit = newId('visit')
  const claim = fields ? { id: newId('e'), type: 'form' as const, visit, form: { id: 'signup' }, fields } : identify(email, sig)
  await sendShop(shop, visitor, [claim])
  await readFor30s(shop, visitor, '/pricing')
}

describe('contact object: verified identities', () => {
  it('a correctly signed identify makes a contact whose visits fire', async () => {
    const { visitor, contact } = await identifiedVisitor(shop, signed)
    expect(contact.identifiedBy).toBe('verified-identify')
    const stub = contactStub(env, contact.id)
    await readPage(shop, visitor, '/pricing')
    expect(await runDurableObjectAlarm(stub)).toBe(true)
    expect(await stub.ruleCounters(pricing)).toMatchObject([{ sent: 1 }])
  })

  it.each([
    ['unsigned identify', undefined, undefined],
    ['identify signed with another secret', 'forged', undefined],
    ['e-mail typed into a form', undefined, { email: 'X' }],
  ])('ignores an %s: no contact, no alert', async (_, how, form) => {
    const email = `${newId('claim')}@buyer.test`
    const sig = how === 'forged' ? await hmacSha256Hex('not-the-secret', email) : undefined
    await claimAndRead(email, sig, form && { email })
    expect(await contactOf(email)).toBeNull()
  })

  it.each([
    ['unsigned', false],
    ['forged', true],
  ])('an %s identify of a verified contact on another device triggers no alert', async (_, forged) => {
    const { contact, email } = await identifiedVisitor(shop, signed)
    const stub = contactStub(env, contact.id)
    await claimAndRead(email, forged ? await hmacSha256Hex('not-the-secret', email) : undefined)
    await runDurableObjectAlarm(stub)
    expect(await stub.ruleCounters(pricing)).toEqual([])
    expect((await stub.recentActivity(50)).some((a) => a.url?.endsWith('/pricing'))).toBe(false)
  })
})

describe('contact object: a site that starts requiring verification', () => {
  it('stops alerts for visitors identified before without a signature', async () => {
    const open = await createWorkspace({ identitySecret: SECRET })
    const alert = await open.addAlert('Pricing', { pages: [{ pattern: '/pricing/**', minSeconds: 10 }] })
    const { visitor, contact, email } = await identifiedVisitor(open)
    await env.DB.prepare('UPDATE sites SET require_verified_identity = 1 WHERE id = ?').bind(open.siteId).run()
    forgetSites()
    // The same person verifies on another device: the contact is verified, this browser is not.
    await sendShop(open, newId('v'), [identify(email, await signed(email))])
    expect((await findContactByEmail(createDb(env.DB), open.workspaceId, email))?.identifiedBy).toBe('verified-identify')
    await readFor30s(open, visitor, '/pricing')
    const stub = contactStub(env, contact.id)
    await runDurableObjectAlarm(stub)
    expect(await stub.ruleCounters(alert)).toEqual([])
  })
})
