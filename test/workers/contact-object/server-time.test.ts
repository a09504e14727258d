// Visible time is the server's: a batch that claims ten minutes on pricing in the same request as
// its page view buys no alert, a real visit alerts at the 10 s mark of the server's clock before
// the script's first heartbeat, and visible time stored before this rule is cut to what the
// server saw pass.
import { env, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test'
import { beforeAll, describe, expect, it } from 'vitest'
import { ContactObject } from '../../../durable-objects/contact-object'
import { contactStub } from '../../../durable-objects/contact-stub'
import { createDb } from '../../../worker/db/client'
import { findContactByEmail } from '../../../worker/db/queries/contacts'
import { newId, waitForMail } from '../support/collect'
import { engage, identifiedVisitor, identify, pageview, sendAt, sendShop, type Signal } from './shop-visitor'
import { createWorkspace, type Fixture } from './workspace-fixture'

let shop: Fixture
let plans: string

beforeAll(async () => {
  shop = await createWorkspace()
  plans = await shop.addAlert('Plans', { pages: [{ pattern: '/demo/pricing/**', minSeconds: 10 }] })
})

const alarmOf = (stub: ReturnType<typeof contactStub>) => runInDurableObject(stub, (_, state) => state.storage.getAlarm())

describe('contact object: server-bounded visible time', () => {
  it.each<Signal>(['heartbeat', 'visible', 'hidden', 'leave'])(
    'a forged batch through /api/collect (identify + page view + engage "%s" of 600 s in one POST) fires no alert',
    async (state) => {
      const email = `${newId('forger')}@buyer.test`
      const visit = newId('visit')
      const res = await sendShop(shop, newId('v'), [identify(email), pageview(visit, '/demo/pricing/plans'), engage(visit, state, 600_000)])
      expect(res).toEqual({ accepted: 3, duplicates: 0 })
      const contact = await findContactByEmail(createDb(env.DB), shop.workspaceId, email)
      const stub = contactStub(env, contact!.id)

      // Whatever the object scheduled, run it at the instant it was set for: nothing fires.
      await runDurableObjectAlarm(stub)
      expect(await stub.ruleCounters(plans)).toEqual([])
      expect(await stub.reservations()).toEqual([])
      const page = (await stub.recentActivity(50)).find((a) => a.type === 'pageview')
      expect(page?.visibleMs).toBe(0)
    },
  )

  it('a real 11 s visit alerts at the 10 s mark of the server clock, before the first heartbeat at 15 s', async () => {
    const { visitor, contact, email } = await identifiedVisitor(shop)
    const stub = contactStub(env, contact.id)
    const t = Date.now()
    const visit = newId('visit')
    // What the script sends: the page view, then nothing until it leaves at 11 s.
    await sendAt(shop, visitor, [pageview(visit, '/demo/pricing/plans')], t)
    expect(await alarmOf(stub)).toBe(t + 10_000)
    expect(await runDurableObjectAlarm(stub)).toBe(true)
    expect(await stub.ruleCounters(plans)).toMatchObject([{ sent: 1 }])
    const mail = await waitForMail((m) => m.text.includes(email))
    expect(mail.text).toContain('spent 10 s on /demo/pricing/plans')

    await sendAt(shop, visitor, [engage(visit, 'leave', 11_000)], t + 11_000)
    expect(await stub.ruleCounters(plans)).toMatchObject([{ sent: 1, held: 0 }])
  })

  it('cuts visible time stored before the rule to what the server saw pass, so an old forged figure cannot fire', async () => {
    const { visitor, contact } = await identifiedVisitor(shop)
    const stub = contactStub(env, contact.id)
    const t = Date.now()
    const visit = newId('visit')
    await sendAt(shop, visitor, [pageview(visit, '/demo/pricing/plans')], t)
    await sendAt(shop, visitor, [engage(visit, 'hidden', 3_000)], t + 3_000)
    // The storage as the previous version left it: schema 2, a visit that believed the script's 600 s.
    await runInDurableObject(stub, (_, state) => {
      state.storage.sql.exec(`UPDATE visits SET visible_ms = 600000; UPDATE schema_version SET version = 2;
        ALTER TABLE visits DROP COLUMN identified_by; ALTER TABLE reservations DROP COLUMN attempts;
        ALTER TABLE reservations DROP COLUMN last_error; ALTER TABLE reservations DROP COLUMN gave_up_at`)
    })
    await runInDurableObject(stub, (_, state) => {
      new ContactObject(state, env)
    })
    const page = (await stub.recentActivity(50)).find((a) => a.type === 'pageview')
    expect(page?.visibleMs).toBe(3_000)
    await runDurableObjectAlarm(stub)
    expect(await stub.ruleCounters(plans)).toEqual([])
  })
})
