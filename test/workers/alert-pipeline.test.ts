// The whole pipeline in workerd: collect → visitor object → contact object (alarm at the
// threshold) → queue → consumer → a real SMTP server.
import { env, runDurableObjectAlarm } from 'cloudflare:test'
import { beforeAll, describe, expect, it } from 'vitest'
import { contactStub } from '../../durable-objects/contact-stub'
import { createDb } from '../../worker/db/client'
import { findContactByEmail } from '../../worker/db/queries/contacts'
import { seedDemo } from '../../worker/db/queries/demo'
import { DEMO } from '../../worker/demo/demo-data'
import { mails, newId, send, waitForMail } from './support/collect'

const site = DEMO.site.key
const PLANS = 'http://localhost:8787/demo/pricing/plans'

beforeAll(async () => {
  await seedDemo(createDb(env.DB), DEMO)
})

/** A visitor who identified through the demo contact form; returns ids to continue the visit with. */
async function identifiedVisitor(email: string) {
  const visitor = newId('v')
  const formVisit = newId('visit')
  await send(site, visitor, [
    { id: newId('e'), type: 'pageview', visit: formVisit, url: 'http://localhost:8787/demo/contact', title: 'Contact' },
    {
      id: newId('e'),
      type: 'form',
      visit: formVisit,
      form: { id: 'contact-form', name: 'contact' },
      fields: { email, name: 'Dana Buyer' },
    },
  ])
  const contact = await findContactByEmail(createDb(env.DB), DEMO.workspace.id, email)
  if (!contact) throw new Error('contact not created')
  return { visitor, contact }
}

/** Opens the plans page and keeps reading: the server counts its time from the page view's arrival. */
async function openPlans(visitor: string) {
  const visit = newId('visit')
  await send(site, visitor, [{ id: newId('e'), type: 'pageview', visit, url: PLANS, title: 'Plans' }])
  return visit
}

const leave = (visitor: string, visit: string, visibleMs: number) =>
  send(site, visitor, [{ id: newId('e'), type: 'engage', visit, state: 'leave', visibleMs }])

describe('alert pipeline', () => {
  it('e-mails the owner with the CC once the visitor has read the pricing page for 10 s', async () => {
    const email = `${newId('dana')}@buyer.test`
    const { visitor, contact } = await identifiedVisitor(email)

    // Reading the plans: the alarm is set for the 10th second after the page view arrived.
    const visit = await openPlans(visitor)
    const stub = contactStub(env, contact.id)
    expect(await stub.ruleCounters(DEMO.alert.id)).toEqual([])
    expect(await runDurableObjectAlarm(stub)).toBe(true)

    const mail = await waitForMail((m) => m.text.includes(email))
    expect(mail.to).toEqual([DEMO.admin.email])
    expect(mail.cc).toEqual([DEMO.alert.cc])
    expect(mail.subject).toBe('[Pagebell] Pricing interest')
    expect(mail.text).toContain(PLANS)
    // The open page's line in the recent activity counts its time up to the alert, like the headline.
    expect(mail.text).toMatch(/Plans http:\/\/localhost:8787\/demo\/pricing\/plans \(10 s\)/)
    expect(mail.headers['x-pagebell-alert-key']).toMatch(new RegExp(`^${DEMO.alert.id}:${contact.id}:d\\d{4}-\\d\\d-\\d\\d:1$`))

    // The visitor stays on to 11 s and leaves: the same visit never fires twice.
    // A second qualifying visit the same day is held back by "once a day".
    await leave(visitor, visit, 11_000)
    await openPlans(visitor)
    expect(await runDurableObjectAlarm(stub)).toBe(true)
    const [today] = await stub.ruleCounters(DEMO.alert.id)
    expect(today).toMatchObject({ sent: 1, held: 1 })
    expect((await mails()).filter((m) => m.text.includes(email))).toHaveLength(1)
  })

  it('fires nothing for a visitor who leaves the pricing page after 9 s', async () => {
    const email = `${newId('nine')}@buyer.test`
    const { visitor, contact } = await identifiedVisitor(email)
    await leave(visitor, await openPlans(visitor), 9_000)
    const stub = contactStub(env, contact.id)
    // Any alarm left only purges; it must not find a due alert.
    await runDurableObjectAlarm(stub)
    expect(await stub.ruleCounters(DEMO.alert.id)).toEqual([])
  })
})
