// Delays in the contact object's schedule: a 3-day wait survives a restart of the object and
// its steps after the wait run once, however often the alarm comes back; a contact sits in
// several delays at once.
import { abortAllDurableObjects, env, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test'
import { beforeAll, describe, expect, it } from 'vitest'
import { contactStub } from '../../../durable-objects/contact-stub'
import {
  act,
  campaignShop,
  contactRow,
  newContact,
  runAlarmsUntil,
  scheduleOf,
  track,
  type CampaignShop,
  type Stub,
} from './object-fixture'

const DAY_S = 86_400
let shop: CampaignShop
let followUp: string
let twoWaits: string

beforeAll(async () => {
  shop = await campaignShop()
  followUp = await shop.addCampaign({
    name: 'Follow up in 3 days',
    triggers: [{ type: 'custom-event', name: 'quote-sent' }],
    steps: [
      { id: 'mark', type: 'add-tag', tag: 'quoted' },
      { id: 'wait', type: 'wait', seconds: 3 * DAY_S },
      { id: 'again', type: 'add-tag', tag: 'follow-up-due' },
      { id: 'points', type: 'change-score', by: 5 },
    ],
  })
  twoWaits = await shop.addCampaign({
    name: 'Two delays',
    triggers: [{ type: 'custom-event', name: 'two-steps' }],
    steps: [
      { id: 'first', type: 'wait', seconds: DAY_S },
      { id: 'half', type: 'add-tag', tag: 'halfway' },
      { id: 'second', type: 'wait', seconds: DAY_S },
      { id: 'end', type: 'add-tag', tag: 'finished' },
    ],
  })
  await shop.addCampaign({
    name: 'Nurture weekly',
    triggers: [{ type: 'custom-event', name: 'quote-sent' }],
    steps: [
      { id: 'wait', type: 'wait', seconds: 7 * DAY_S },
      { id: 'points', type: 'change-score', by: 1 },
    ],
  })
})

const runOf = async (stub: Stub, campaignId: string) => (await stub.campaignState()).runs.find((r) => r.campaignId === campaignId)

describe('contact object: delays', () => {
  it('keeps a 3-day delay across an object restart and runs the steps after it once', async () => {
    const contact = await newContact(shop)
    const sentAt = Date.now()
    await act(shop, contact, [track('quote-sent')])
    const waiting = await runOf(contact.stub, followUp)
    expect(waiting).toMatchObject({ status: 'waiting', lastStep: 'wait' })
    expect(waiting!.waitingUntil).toBeGreaterThanOrEqual(sentAt + 3 * DAY_S * 1000)
    // Two delays at once, each its own schedule entry keyed by run and step.
    const delays = (await scheduleOf(contact.stub)).filter((e) => e.kind === 'campaign-step')
    expect(delays.map((e) => e.key.split(':').at(-1))).toEqual(['wait', 'wait'])
    expect((await contactRow(contact.contact.id)).tags).toEqual(['quoted'])

    // Every object instance goes; the storage stays, as after an eviction or a deploy. A stub
    // made before the restart is broken with its instance: a new one reaches the new instance.
    await abortAllDurableObjects()
    const stub = contactStub(env, contact.contact.id)

    await runAlarmsUntil(stub, async () => (await runOf(stub, followUp))?.status === 'done')
    const row = await contactRow(contact.contact.id)
    expect(row.tags).toEqual(['quoted', 'follow-up-due'])
    expect(row.score).toBe(5)
    // The weekly one still waits.
    expect((await stub.campaignState()).runs.filter((r) => r.status === 'waiting')).toHaveLength(1)
  })

  it('does not move a run on again when the delay entry it already left comes back to the alarm', async () => {
    const contact = await newContact(shop)
    await act(shop, contact, [track('two-steps')])
    const [first] = (await scheduleOf(contact.stub)).filter((e) => e.key.includes(twoWaits))
    // Past the first delay: the run now waits in the second one.
    await runAlarmsUntil(contact.stub, async () => (await runOf(contact.stub, twoWaits))?.lastStep === 'second')
    expect((await contact.stub.campaignState()).state?.tags).toEqual(['halfway'])

    // The first entry once more, as an alarm retried after that entry had already moved the run on.
    await runInDurableObject(contact.stub, async (_, state) => {
      state.storage.sql.exec(
        "INSERT INTO schedule (key, kind, due_at, first_due_at, payload) VALUES (?, 'campaign-step', ?, ?, ?)",
        first!.key,
        first!.due_at,
        first!.due_at,
        JSON.stringify({ runKey: `${twoWaits}:${contact.contact.id}:1` }),
      )
      await state.storage.setAlarm(first!.due_at)
    })
    expect(await runDurableObjectAlarm(contact.stub)).toBe(true)
    expect(await runOf(contact.stub, twoWaits)).toMatchObject({ status: 'waiting', lastStep: 'second' })
    expect((await contact.stub.campaignState()).state?.tags).toEqual(['halfway'])
  })
})
