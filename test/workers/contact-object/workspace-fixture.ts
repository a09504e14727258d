// A workspace of its own for a test file: a site on `shop.test`, its owner and the alerts the
// test asks for. Separate from the demo data so these tests neither see nor disturb its alert.
import { env } from 'cloudflare:test'
import { createDb } from '../../../worker/db/client'
import { rulesChanged } from '../../../worker/campaigns/rules-changed'
import { insertSeedAlert } from '../../../worker/db/queries/demo'
import { sites, users, workspaces } from '../../../worker/db/schema'
import { newId } from '../support/collect'

export const SHOP_ORIGIN = 'https://shop.test'

export type AlertSpec = { pages: Array<{ pattern: string; minSeconds: number }>; count?: number; period?: 'day' | 'week' | 'month' }

export type Fixture = Awaited<ReturnType<typeof createWorkspace>>

export async function createWorkspace(
  options: { requireVerifiedIdentity?: boolean; identitySecret?: string; honorPrivacySignals?: boolean; timeZone?: string } = {},
) {
  const db = createDb(env.DB)
  const workspaceId = newId('ws')
  const ownerId = newId('usr')
  const siteId = newId('site')
  const siteKey = newId('key')
  await db.insert(workspaces).values({
    id: workspaceId,
    name: 'Shop',
    timeZone: options.timeZone ?? 'Europe/Warsaw',
    identitySecret: options.identitySecret ?? null,
  })
  await db.insert(users).values({ id: ownerId, workspaceId, email: `${ownerId}@shop.test`, name: 'Owner', role: 'admin' })
  await db.insert(sites).values({
    id: siteId,
    workspaceId,
    key: siteKey,
    name: 'Shop',
    allowedDomains: ['shop.test'],
    defaultOwnerId: ownerId,
    requireVerifiedIdentity: options.requireVerifiedIdentity ?? false,
    honorPrivacySignals: options.honorPrivacySignals ?? false,
  })

  /** Adds an active alert and bumps the rules version, as the admin API does. */
  async function addAlert(name: string, spec: AlertSpec): Promise<string> {
    const id = newId('alr')
    await insertSeedAlert(db, {
      id,
      workspaceId,
      name,
      pages: spec.pages,
      frequencyCount: spec.count ?? 1,
      frequencyPeriod: spec.period ?? 'day',
      createdBy: ownerId,
    })
    await rulesChanged(db, workspaceId)
    return id
  }

  return { workspaceId, siteId, siteKey, ownerId, addAlert }
}
