// Inserts the demo data if it is not there yet. Typed against any async SQLite drizzle database,
// so `npm start` can record the same inserts as SQL for `wrangler d1 execute`. The rows
// themselves live with the demo (worker/demo/demo-data.ts) and are passed in.
import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core'
import type * as schema from '../schema'
import { campaigns, campaignVersions, sites, users, workspaces } from '../schema'
import { alertDefinition, type AlertValues } from './alert-shape'

/** An alert as seeds and test fixtures write it: what they leave out takes the wizard's defaults. */
export type SeedAlert = Pick<AlertValues, 'name' | 'pages'> & Partial<AlertValues> & { id: string; workspaceId: string; createdBy: string }

const ALERT_DEFAULTS: Omit<AlertValues, 'name' | 'pages'> = {
  frequencyCount: 1,
  frequencyPeriod: 'day',
  notifyCreator: false,
  notifyOwner: true,
  cc: '',
  description: '',
  attachmentTemplate: null,
  attachmentFormat: null,
  templateHtml: null,
  active: true,
}

/** Writes the alert as the campaign it is (alert-shape.ts), at version 1; nothing if its id is taken. */
export async function insertSeedAlert(db: BaseSQLiteDatabase<'async', unknown, typeof schema>, alert: SeedAlert): Promise<void> {
  const { id, workspaceId, createdBy, ...given } = alert
  const values = { ...ALERT_DEFAULTS, ...given }
  const definition = alertDefinition(values)
  await db
    .insert(campaigns)
    .values({ id, workspaceId, createdBy, name: definition.name, category: definition.category, active: values.active, currentVersion: 1 })
    .onConflictDoNothing()
  await db.insert(campaignVersions).values({ campaignId: id, version: 1, workspaceId, definition, createdBy }).onConflictDoNothing()
}

export type DemoSeed = {
  workspace: typeof workspaces.$inferInsert
  admin: typeof users.$inferInsert
  site: typeof sites.$inferInsert
  alert: SeedAlert
}

export async function seedDemo(db: BaseSQLiteDatabase<'async', unknown, typeof schema>, seed: DemoSeed): Promise<void> {
  await db.insert(workspaces).values(seed.workspace).onConflictDoNothing()
  await db.insert(users).values(seed.admin).onConflictDoNothing()
  await db.insert(sites).values(seed.site).onConflictDoNothing()
  await insertSeedAlert(db, seed.alert)
}
