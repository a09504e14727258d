// Alert analytics count days in the workspace's time zone (the calendar helper), not in UTC.
import { env } from 'cloudflare:test'
import { eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { createDb } from '../../../worker/db/client'
import { alertAnalytics } from '../../../worker/db/queries/alerts'
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
      { day: '2026-11-02', fired: 2, sent: 1, failed: 1, digested: 0, unknown: 0, pending: 0 },
      { day: '2026-11-01', fired: 1, sent: 1, failed: 0, digested: 0, unknown: 0, pending: 0 },
    ])
  })

  it('alertAnalytics: a time zone the runtime does not know counts as UTC', async () => {
    await createDb(env.DB).update(workspaces).set({ timeZone: 'Mars/Olympus_Mons' }).where(eq(workspaces.id, shop.workspaceId))
    const days = await alertAnalytics(createDb(env.DB), shop.workspaceId, alertId, Date.UTC(2026, 9, 30))
    expect(days.map((d) => [d.day, d.fired])).toEqual([
      ['2026-11-02', 1],
      ['2026-11-01', 2],
    ])
  })
})
