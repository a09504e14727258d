// Inserts the demo data if it is not there yet. Typed against any async SQLite drizzle database,
// so `npm start` can record the same inserts as SQL for `wrangler d1 execute`. The rows
// themselves live with the demo (worker/demo/demo-data.ts) and are passed in.
import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core'
import type * as schema from '../schema'
import { alerts, sites, users, workspaces } from '../schema'

export type DemoSeed = {
  workspace: typeof workspaces.$inferInsert
  admin: typeof users.$inferInsert
  site: typeof sites.$inferInsert
  alert: typeof alerts.$inferInsert
}

export async function seedDemo(db: BaseSQLiteDatabase<'async', unknown, typeof schema>, seed: DemoSeed): Promise<void> {
  await db.insert(workspaces).values(seed.workspace).onConflictDoNothing()
  await db.insert(users).values(seed.admin).onConflictDoNothing()
  await db.insert(sites).values(seed.site).onConflictDoNothing()
  await db.insert(alerts).values(seed.alert).onConflictDoNothing()
}
