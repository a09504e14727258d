// The first workspace of an instance and its admin, as two SQL statements that insert nothing
// once any user exists: two setups racing (or the web form racing `npm run setup`) cannot both
// succeed, since D1 runs a batch as one transaction and the second finds the first one's user.
// Plain SQL with no database handle, so `npm run setup` (scripts/setup.ts) sends the very same
// statements through `wrangler d1 execute`.
import { sql, type SQL } from 'drizzle-orm'
import { SQLiteSyncDialect } from 'drizzle-orm/sqlite-core'
import { users, workspaces } from '../schema'

export type FirstWorkspace = {
  workspace: { id: string; name: string; timeZone: string }
  admin: { id: string; email: string; name: string; passwordHash: string }
}

function statements({ workspace: w, admin: a }: FirstWorkspace): SQL[] {
  return [
    sql`INSERT INTO ${workspaces} (id, name, time_zone) SELECT ${w.id}, ${w.name}, ${w.timeZone} WHERE NOT EXISTS (SELECT 1 FROM ${users})`,
    sql`INSERT INTO ${users} (id, workspace_id, email, name, role, password_hash) SELECT ${a.id}, ${w.id}, ${a.email}, ${a.name}, 'admin', ${a.passwordHash} WHERE NOT EXISTS (SELECT 1 FROM ${users}) AND EXISTS (SELECT 1 FROM ${workspaces} WHERE id = ${w.id})`,
  ]
}

const dialect = new SQLiteSyncDialect()

/** The statements as SQL text with their parameters, in order. */
export const firstWorkspaceQueries = (first: FirstWorkspace) => statements(first).map((statement) => dialect.sqlToQuery(statement))
