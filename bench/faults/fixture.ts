// The rows the fault suite adds to the demo workspace: one lane per case, so cases can run side
// by side and every alert is counted for the case it belongs to. A lane is a site whose new
// contacts are owned by the lane's own user (the alert's recipient, so the SMTP sink can fail
// or count its messages alone), and an alert that fires only on the lane's own pages. Plus an
// API token of the demo admin, to read the outbox as an operator would.
import { randomBytes } from 'node:crypto'
import { recordedSql } from '../../scripts/local-stack'
import { insertSeedAlert } from '../../worker/db/queries/demo'
import { sites, users } from '../../worker/db/schema'
import { DEMO } from '../../worker/demo/demo-data'
import { insertAdminToken } from '../support/api-token'

/** The browser origin the suite's visitors send from; the lanes' sites allow it. */
export const ORIGIN = 'http://localhost:8787'

/** The visible seconds on a lane's pricing page that fire its alert. */
export const LANE_MIN_SECONDS = 10

export type LaneOptions = {
  /** The alert's CC list (comma-separated); none by default. */
  cc?: string
  /** Alerts per contact and day the lane's alert allows (1 by default, as the demo's). */
  perDay?: number
}

export type Lane = {
  id: string
  siteKey: string
  alertId: string
  ownerEmail: string
  /** The page that fires the lane's alert after LANE_MIN_SECONDS, and one that does not. */
  pricingUrl: string
  contactUrl: string
  cc: string[]
}

export function lane(id: string, options: LaneOptions = {}): Lane {
  return {
    id,
    siteKey: `faults-${id}`,
    alertId: `alr_faults_${id}`,
    ownerEmail: `owner-${id}@faults.test`,
    pricingUrl: `${ORIGIN}/faults/${id}/pricing`,
    contactUrl: `${ORIGIN}/faults/${id}/contact`,
    cc: (options.cc ?? '')
      .split(',')
      .map((a) => a.trim())
      .filter(Boolean),
  }
}

export type Fixture = { sql: string; apiToken: string }

export async function fixtureSql(lanes: Array<{ lane: Lane; options: LaneOptions }>): Promise<Fixture> {
  const apiToken = `pbt_${randomBytes(32).toString('base64url')}`
  const sql = await recordedSql(async (db) => {
    for (const { lane: l, options } of lanes) {
      const ownerId = `usr_faults_${l.id}`
      await db
        .insert(users)
        .values({ id: ownerId, workspaceId: DEMO.workspace.id, email: l.ownerEmail, name: `Owner ${l.id}`, role: 'sales' })
      await db.insert(sites).values({
        id: `site_faults_${l.id}`,
        workspaceId: DEMO.workspace.id,
        key: l.siteKey,
        name: `Fault lane ${l.id}`,
        allowedDomains: ['localhost'],
        defaultOwnerId: ownerId,
      })
      await insertSeedAlert(db, {
        id: l.alertId,
        workspaceId: DEMO.workspace.id,
        name: `Fault lane ${l.id}`,
        pages: [{ pattern: `/faults/${l.id}/pricing`, minSeconds: LANE_MIN_SECONDS }],
        frequencyCount: options.perDay ?? 1,
        frequencyPeriod: 'day',
        notifyCreator: false,
        notifyOwner: true,
        cc: options.cc ?? '',
        createdBy: DEMO.admin.id,
      })
    }
    await insertAdminToken(db, { id: 'tok_faults', secret: apiToken, name: 'fault suite' })
  })
  return { sql, apiToken }
}
