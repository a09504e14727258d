// Identity honesty: anyone can type an e-mail into a form or call `identify` unsigned, so such a
// claim only fills a contact's empty fields; a signed identify may change them. The alert says
// how the visitor whose visit fired was identified, not how the contact ever was.
import { env, runDurableObjectAlarm } from 'cloudflare:test'
import { beforeAll, describe, expect, it } from 'vitest'
import { contactStub } from '../../../durable-objects/contact-stub'
import type { OutgoingEvent } from '../../../sdk/wire'
import { createDb } from '../../../worker/db/client'
import { findContactByEmail } from '../../../worker/db/queries/contacts'
import { hmacSha256Hex } from '../../../worker/hex-digest'
import { newId, waitForMail } from '../support/collect'
import { readPage, sendShop } from './shop-visitor'
import { createWorkspace, type Fixture } from './workspace-fixture'

const SECRET = 'identity-test-secret'
let shop: Fixture
let pricing: string

beforeAll(async () => {
  // Signatures are checked, not required: every kind of claim links a visitor here.
  shop = await createWorkspace({ identitySecret: SECRET })
  pricing = await shop.addAlert('Pricing', { pages: [{ pattern: '/pricing/**', minSeconds: 10 }], count: 5 })
})

type Traits = Record<string, string>

const unsigned = (email: string, traits: Traits, sig?: string): OutgoingEvent => ({
  id: newId('e'),
  type: 'identify',
  email,
  traits,
  ...(sig ? { sig } : {}),
})
const signed = async (email: string, traits: Traits) => unsigned(email, traits, await hmacSha256Hex(SECRET, email))
const form = (email: string, fields: Traits): OutgoingEvent => ({
  id: newId('e'),
  type: 'form',
  visit: newId('visit'),
  form: { id: 'signup' },
  fields: { email, ...fields },
})

/** A new device (visitor) making `claim`; returns the visitor id. */
async function claim(event: OutgoingEvent): Promise<string> {
  const visitor = newId('v')
  await sendShop(shop, visitor, [event])
  return visitor
}

const contactOf = async (email: string) => {
  const contact = await findContactByEmail(createDb(env.DB), shop.workspaceId, email)
  if (!contact) throw new Error(`no contact for ${email}`)
  return contact
}

describe('contact object: identity honesty', () => {
  it('an unsigned identify or a form fills empty fields but never overwrites one that has a value', async () => {
    const email = `${newId('dana')}@buyer.test`
    await claim(unsigned(email, { name: 'Dana Buyer' }))
    expect(await contactOf(email)).toMatchObject({ name: 'Dana Buyer', company: '', phone: '', identifiedBy: 'identify' })

    await claim(unsigned(email, { name: 'Mallory', company: 'Buyer Inc' }))
    expect(await contactOf(email)).toMatchObject({ name: 'Dana Buyer', company: 'Buyer Inc', phone: '' })

    await claim(form(email, { name: 'Eve', company: 'Evil Corp', phone: '+33 1 23 45 67 89' }))
    expect(await contactOf(email)).toMatchObject({ name: 'Dana Buyer', company: 'Buyer Inc', phone: '+33 1 23 45 67 89' })

    // A blank value is no claim to a field.
    await claim(unsigned(email, { name: '   ' }))
    expect((await contactOf(email)).name).toBe('Dana Buyer')
  })

  it('a signed identify updates the fields and makes the contact verified', async () => {
    const email = `${newId('sam')}@buyer.test`
    await claim(form(email, { name: 'Sam', company: 'Old Co' }))
    expect(await contactOf(email)).toMatchObject({ name: 'Sam', company: 'Old Co', identifiedBy: 'form' })
    await claim(await signed(email, { name: 'Samantha Buyer', company: 'New Co' }))
    expect(await contactOf(email)).toMatchObject({ name: 'Samantha Buyer', company: 'New Co', identifiedBy: 'verified-identify' })
    // Unsigned claims after it change nothing that has a value.
    await claim(unsigned(email, { name: 'Sam' }))
    expect((await contactOf(email)).name).toBe('Samantha Buyer')
  })

  it("each alert says how its own visitor was identified, with the contact's fields as the signed identify left them", async () => {
    const email = `${newId('pat')}@buyer.test`
    const laptop = await claim(form(email, { name: 'Pat' }))
    const phone = await claim(await signed(email, { name: 'Patricia Buyer' }))
    const contact = await contactOf(email)
    expect(contact.identifiedBy).toBe('verified-identify')
    const stub = contactStub(env, contact.id)

    await readPage(shop, laptop, '/pricing/from-laptop')
    expect(await runDurableObjectAlarm(stub)).toBe(true)
    await readPage(shop, phone, '/pricing/from-phone')
    expect(await runDurableObjectAlarm(stub)).toBe(true)
    expect(await stub.ruleCounters(pricing)).toMatchObject([{ sent: 2 }])

    const fromLaptop = await waitForMail((m) => m.text.includes(email) && m.text.includes('/pricing/from-laptop'))
    expect(fromLaptop.text).toContain('This visitor identified by: form submission (e-mail not verified)')
    expect(fromLaptop.text).toContain('Name: Patricia Buyer')
    expect(fromLaptop.html).toContain('form submission (e-mail not verified)')
    const fromPhone = await waitForMail((m) => m.text.includes(email) && m.text.includes('/pricing/from-phone'))
    expect(fromPhone.text).toContain('This visitor identified by: signed identify call (verified)')
  })
})
