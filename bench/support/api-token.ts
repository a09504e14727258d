// An API token of the demo admin, written with the rows a bench seeds (through `recordedSql`),
// so a bench reads and changes the product through the REST API as an operator would.
import { createHash } from 'node:crypto'
import type { SqliteRemoteDatabase } from 'drizzle-orm/sqlite-proxy'
import * as schema from '../../worker/db/schema'
import { DEMO } from '../../worker/demo/demo-data'

export async function insertAdminToken(
  db: SqliteRemoteDatabase<typeof schema>,
  token: { id: string; secret: string; name: string; scope?: 'read' | 'write' | 'admin' },
): Promise<void> {
  await db.insert(schema.apiTokens).values({
    id: token.id,
    tokenHash: createHash('sha256').update(token.secret).digest('hex'),
    userId: DEMO.admin.id,
    workspaceId: DEMO.workspace.id,
    name: token.name,
    scope: token.scope ?? null,
  })
}
