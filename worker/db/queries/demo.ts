// Inserts the demo data if it is not there yet. Typed against any async SQLite drizzle database,
// so `npm start` can record the same inserts as SQL for `wrangler d1 execute`.
import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core'
import { DEMO } from '../../demo/demo-data'
import type * as schema from '../schema'
import { alerts, sites, users, workspaces } from '../schema'

export async function seedDemo(db: BaseSQLiteDatabase<'async', unknown, typeof schema>): Promise<void> {
  await db.insert(workspaces).values(DEMO.workspace).onConflictDoNothing()
  await db.insert(users).values(DEMO.admin).onConflictDoNothing()
  await db.insert(sites).values(DEMO.site).onConflictDoNothing()
  await db.insert(alerts).values(DEMO.alert).onConflictDoNothing()
}
