// Versioned schema for a Durable Object's own SQLite storage, applied in its constructor.
export function migrate(sql: SqlStorage, steps: string[]): void {
  sql.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)')
  const row = sql.exec<{ version: number }>('SELECT version FROM schema_version').toArray()[0]
  const current = row?.version ?? 0
  for (let v = current; v < steps.length; v++) sql.exec(steps[v]!)
  if (!row) sql.exec('INSERT INTO schema_version (version) VALUES (?)', steps.length)
  else if (current < steps.length) sql.exec('UPDATE schema_version SET version = ?', steps.length)
}

/** Event ids already seen, kept for at least this long so retried batches are not counted twice. */
export const DEDUPE_WINDOW_MS = 8 * 24 * 3600_000

/** INSERT OR IGNORE into a `ledger (event_id PRIMARY KEY, received_at)` table; true when new. */
export function recordEventId(sql: SqlStorage, eventId: string, receivedAt: number): boolean {
  return sql.exec('INSERT OR IGNORE INTO ledger (event_id, received_at) VALUES (?, ?)', eventId, receivedAt).rowsWritten > 0
}
