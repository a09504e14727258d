// Inserts the demo data if it is not there yet (tests; `npm start` seeds through SQL from the same rows).
import { DEMO } from '../../demo/demo-data'
import type { Db } from '../client'
import { alerts, sites, users, workspaces } from '../schema'

export async function seedDemo(db: Db): Promise<void> {
  await db.insert(workspaces).values(DEMO.workspace).onConflictDoNothing()
  await db.insert(users).values(DEMO.admin).onConflictDoNothing()
  await db.insert(sites).values(DEMO.site).onConflictDoNothing()
  await db.insert(alerts).values(DEMO.alert).onConflictDoNothing()
}
