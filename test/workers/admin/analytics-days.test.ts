// Alert analytics count days in the workspace's time zone (the calendar helper), not in UTC:
// outbox rows and visits held back by the frequency limit alike.
import { env } from 'cloudflare:test'
import { eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { createDb } from '../../../worker/db/client'
import { quarterHourOf, writeHeldCounts } from '../../../worker/db/queries/alert-held-counts'
import { alertAnalytics, alertWindow, lastLocalDays } from '../../../worker/db/queries/alerts'
import { alertDeliveries, workspaces } from '../../../worker/db/schema'
import { newId } from '../support/collect'
import { createWorkspace, type Fixture } from '../contact-object/workspace-fixture'

let shop: Fixture
let alertId: string

beforeAll(async () => {
  shop = await createWorkspace({ timeZone: 'Asia/Kolkata' })
  alertId = await shop.addAlert('Pricing', { pages: [{ pattern: '/pricing', minSeconds: 0 }] })
})

async function delivered(at: number, status: 'sent' | 'failed') {
  await createDb(env.DB)
    .insert(alertDeliveries)
    .values({ id: newId('dlv'), workspaceId: shop.workspaceId, alertId, contactId: 'c', alertKey: newId('key'), status, createdAt: at })
}

describe('alert analytics: local days', () => {
  it('alertAnalytics: counts each row on its day in the workspace time zone, half-hour offsets included', async () => {
    // Kolkata is UTC+5:30: 18:29 UTC is still the 1st there, 18:31 UTC is already the 2nd.
    await delivered(Date.UTC(2026, 10, 1, 18, 29), 'sent')
    await delivered(Date.UTC(2026, 10, 1, 18, 31), 'sent')
    await delivered(Date.UTC(2026, 10, 2, 12, 0), 'failed')
    const days = await alertAnalytics(createDb(env.DB), shop.workspaceId, alertId, Date.UTC(2026, 9, 30))
    expect(days).toEqual([
      { day: '2026-11-02', fired: 2, sent: 1, held: 0, failed: 1, digested: 0, unknown: 0, pending: 0, skipped: 0 },
      { day: '2026-11-01', fired: 1, sent: 1, held: 0, failed: 0, digested: 0, unknown: 0, pending: 0, skipped: 0 },
    ])
  })

  it('alertAnalytics: counts held-back visits on their local day too, and in fired', async () => {
    const db = createDb(env.DB)
    // 18:15-18:30 UTC is still the 1st in Kolkata; 18:30-18:45 UTC is the 2nd.
    await writeHeldCounts(db, shop.workspaceId, 'ctc_a', [
      { alertId, quarterHour: quarterHourOf(Date.UTC(2026, 10, 1, 18, 15)), held: 2 },
      { alertId, quarterHour: quarterHourOf(Date.UTC(2026, 10, 1, 18, 30)), held: 1 },
    ])
    await writeHeldCounts(db, shop.workspaceId, 'ctc_b', [{ alertId, quarterHour: quarterHourOf(Date.UTC(2026, 10, 1, 18, 30)), held: 4 }])
    const days = await alertAnalytics(db, shop.workspaceId, alertId, Date.UTC(2026, 9, 30))
    expect(days.map((d) => [d.day, d.fired, d.held])).toEqual([
      ['2026-11-02', 7, 5],
      ['2026-11-01', 3, 2],
    ])
  })

  it('alertWindow: every local day of the window, newest first, zeros included, with totals', async () => {
    const now = Date.UTC(2026, 10, 3, 19, 0) // 00:30 on the 4th in Kolkata
    const window = await alertWindow(createDb(env.DB), shop.workspaceId, alertId, { days: 4, now })
    expect(window.timeZone).toBe('Asia/Kolkata')
    expect(window.days.map((d) => [d.day, d.fired])).toEqual([
      ['2026-11-04', 0],
      ['2026-11-03', 0],
      ['2026-11-02', 7],
      ['2026-11-01', 3],
    ])
    expect(window.totals).toMatchObject({ fired: 10, sent: 2, held: 7, failed: 1 })
  })

  it('lastLocalDays: steps by calendar date, so a 25-hour day (DST ends) is neither repeated nor skipped', () => {
    // Warsaw leaves summer time on 25 Oct 2026: that day has 25 hours. 23:30 local on it.
    const late = Date.UTC(2026, 9, 25, 22, 30)
    expect(lastLocalDays(late, 'Europe/Warsaw', 3)).toEqual(['2026-10-25', '2026-10-24', '2026-10-23'])
    expect(lastLocalDays(Date.UTC(2026, 2, 1, 12), 'UTC', 2)).toEqual(['2026-03-01', '2026-02-28'])
  })

  it('alertAnalytics: a time zone the runtime does not know counts as UTC', async () => {
    await createDb(env.DB).update(workspaces).set({ timeZone: 'Mars/Olympus_Mons' }).where(eq(workspaces.id, shop.workspaceId))
    // In UTC every held visit above falls on the 1st.
    const days = await alertAnalytics(createDb(env.DB), shop.workspaceId, alertId, Date.UTC(2026, 9, 30))
    expect(days.map((d) => [d.day, d.fired])).toEqual([
      ['2026-11-02', 1],
      ['2026-11-01', 9],
    ])
  })
})
