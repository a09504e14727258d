// The contact object's schedule: a threshold check whose D1 read fails is kept with its error
// and tried again, and the alert still goes out; an object stored before the schedule existed
// upgrades in its constructor without losing its pending alarm.
import { env, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test'
import { beforeAll, describe, expect, it } from 'vitest'
import { ContactObject } from '../../../durable-objects/contact-object'
import { contactStub } from '../../../durable-objects/contact-stub'
import { newId, waitForMail } from '../support/collect'
import { createDb } from '../../../worker/db/client'
import { contactPageDaysOf, utcDay } from '../../../worker/db/queries/contact-pages'
import { engage, identifiedVisitor, pageview, readPage, sendAt } from './shop-visitor'
import { createWorkspace, type Fixture } from './workspace-fixture'

let shop: Fixture
let pricing: string

beforeAll(async () => {
  shop = await createWorkspace()
  pricing = await shop.addAlert('Pricing', { pages: [{ pattern: '/pricing/**', minSeconds: 10 }] })
})

type Entry = { key: string; kind: string; due_at: number; attempts: number; last_error: string | null }

const scheduleOf = (stub: ReturnType<typeof contactStub>) =>
  runInDurableObject(stub, (_, state) =>
    state.storage.sql.exec<Entry>('SELECT key, kind, due_at, attempts, last_error FROM schedule ORDER BY due_at').toArray(),
  )
const alarmOf = (stub: ReturnType<typeof contactStub>) => runInDurableObject(stub, (_, state) => state.storage.getAlarm())

describe('contact object: schedule', () => {
  it('keeps a threshold check whose D1 read failed, retries it, and the alert still goes out', async () => {
    const { visitor, contact, email } = await identifiedVisitor(shop)
    const stub = contactStub(env, contact.id)
    await readPage(shop, visitor, '/pricing/team')
    const [check] = await scheduleOf(stub)
    expect(check).toMatchObject({ kind: 'evaluate', attempts: 0 })

    // D1 fails for real while the alarm runs: the table it reads the site's rules version from
    // is renamed away (this test file has its own D1), and back afterwards.
    await env.DB.exec('ALTER TABLE sites RENAME TO sites_away')
    try {
      expect(await runDurableObjectAlarm(stub)).toBe(true)
    } finally {
      await env.DB.exec('ALTER TABLE sites_away RENAME TO sites')
    }
    expect(await stub.ruleCounters(pricing)).toEqual([])
    // The page's copy to D1 keeps its own time: not half due yet, it does not go with this alarm.
    const [retry, flush, purge] = await scheduleOf(stub)
    expect(retry).toMatchObject({ kind: 'evaluate', attempts: 1 })
    expect(flush).toMatchObject({ kind: 'flush-pages', attempts: 0 })
    expect(retry!.last_error).toContain('sites')
    expect(retry!.due_at).toBe(check!.due_at + 5_000)
    expect(purge).toMatchObject({ kind: 'purge', attempts: 0 })
    // Re-armed for the retry, the earliest entry.
    expect(await alarmOf(stub)).toBe(retry!.due_at)

    expect(await runDurableObjectAlarm(stub)).toBe(true)
    expect(await stub.ruleCounters(pricing)).toMatchObject([{ sent: 1, held: 0 }])
    expect((await scheduleOf(stub)).map((e) => e.kind)).toEqual(['flush-pages', 'purge'])
    const mail = await waitForMail((m) => m.text.includes(email))
    expect(mail.to).toEqual([`${shop.ownerId}@shop.test`])
  })

  it('sends the alert after a D1 outage of minutes, long after the visit went quiet', async () => {
    const { visitor, contact, email } = await identifiedVisitor(shop)
    const stub = contactStub(env, contact.id)
    await readPage(shop, visitor, '/pricing/plans')
    const [check] = await scheduleOf(stub)
    // Five failed tries: 5 + 10 + 20 + 40 + 80 s of backoff, the alarm's clock driven by the schedule.
    await env.DB.exec('ALTER TABLE sites RENAME TO sites_away')
    try {
      for (let i = 0; i < 5; i++) expect(await runDurableObjectAlarm(stub)).toBe(true)
    } finally {
      await env.DB.exec('ALTER TABLE sites_away RENAME TO sites')
    }
    const [retry] = await scheduleOf(stub)
    expect(retry).toMatchObject({ kind: 'evaluate', attempts: 5, due_at: check!.due_at + 155_000 })
    expect(await runDurableObjectAlarm(stub)).toBe(true)
    expect(await stub.ruleCounters(pricing)).toMatchObject([{ sent: 1, held: 0 }])
    const mail = await waitForMail((m) => m.text.includes(email))
    expect(mail.to).toEqual([`${shop.ownerId}@shop.test`])
  })

  it('copies the pages visited with an alarm that comes for other work once their copy is half due', async () => {
    const { visitor, contact } = await identifiedVisitor(shop)
    const stub = contactStub(env, contact.id)
    const longRead = await shop.addAlert('Long read', { pages: [{ pattern: '/guides/**', minSeconds: 70 }] })
    const t = Date.now()
    const visit = newId('visit')
    await sendAt(shop, visitor, [pageview(visit, '/guides/setup')], t)
    await sendAt(shop, visitor, [engage(visit, 'heartbeat', 30_000)], t + 30_000)
    await sendAt(shop, visitor, [engage(visit, 'heartbeat', 60_000)], t + 60_000)
    const kinds = (await scheduleOf(stub)).map((e) => e.kind)
    expect(kinds.slice(0, 2)).toEqual(['evaluate', 'flush-pages'])

    // The threshold check at the 70th second runs; the copy, due at the 120th, goes with it.
    expect(await runDurableObjectAlarm(stub)).toBe(true)
    expect(await stub.ruleCounters(longRead)).toMatchObject([{ sent: 1 }])
    expect((await scheduleOf(stub)).map((e) => e.kind)).not.toContain('flush-pages')
    expect(await contactPageDaysOf(createDb(env.DB), contact.id)).toEqual([
      { day: utcDay(t + 70_000), url: 'https://shop.test/guides/setup', views: 1 },
    ])
  })

  it('upgrades an object stored before the schedule: its pending alarm becomes a threshold check and a purge', async () => {
    const { visitor, contact } = await identifiedVisitor(shop)
    const stub = contactStub(env, contact.id)
    await readPage(shop, visitor, '/pricing/team')
    const alarmAt = await alarmOf(stub)
    // The storage as the first version left it: schema 1, the alarm's instant in `meta`, a
    // reserved job without a kind.
    await runInDurableObject(stub, (_, state) => {
      state.storage.sql.exec(`DROP TABLE schedule; UPDATE schema_version SET version = 1;
        ALTER TABLE visits DROP COLUMN identified_by; ALTER TABLE reservations DROP COLUMN attempts;
        ALTER TABLE reservations DROP COLUMN last_error; ALTER TABLE reservations DROP COLUMN gave_up_at`)
      state.storage.sql.exec("INSERT INTO meta (key, value) VALUES ('alarmAt', ?)", JSON.stringify(alarmAt))
      state.storage.sql.exec('INSERT INTO reservations (alert_key, job, queued) VALUES (\'old\', \'{"alertKey":"old"}\', 1)')
    })

    // The next instance of the class migrates in its constructor.
    await runInDurableObject(stub, (_, state) => {
      new ContactObject(state, env)
    })
    const entries = await scheduleOf(stub)
    expect(entries.map((e) => [e.kind, e.due_at])).toEqual([
      ['evaluate', alarmAt],
      ['purge', alarmAt],
    ])
    const leftovers = await runInDurableObject(stub, (_, state) => ({
      alarmAt: state.storage.sql.exec("SELECT 1 FROM meta WHERE key = 'alarmAt'").toArray().length,
      kind: state.storage.sql
        .exec<{ kind: string }>("SELECT json_extract(job, '$.kind') AS kind FROM reservations WHERE alert_key = 'old'")
        .one().kind,
    }))
    expect(leftovers).toEqual({ alarmAt: 0, kind: 'alert' })

    expect(await runDurableObjectAlarm(stub)).toBe(true)
    expect(await stub.ruleCounters(pricing)).toMatchObject([{ sent: 1 }])
  })
})
