// The contact object's `meta` table: one JSON value per key (the contact, its site, the alert
// rules, the campaign state and run ledger). Read and written on every event, so each value's
// JSON is also kept in memory: a read skips SQLite, and a write of what is already stored (the
// same site on every batch) is skipped. The object is the table's only writer.

export class MetaTable {
  /** Each key's stored JSON as last read or written; null when the key has no row. */
  private readonly known = new Map<string, string | null>()

  constructor(private readonly sql: SqlStorage) {}

  get<T>(key: string): T | null {
    const json = this.json(key)
    return json === null ? null : (JSON.parse(json) as T)
  }

  set(key: string, value: unknown): void {
    const json = JSON.stringify(value)
    if (this.known.get(key) === json) return
    this.sql.exec('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)', key, json)
    this.known.set(key, json)
  }

  /** After the storage was deleted: nothing kept in memory is true any more. */
  forget(): void {
    this.known.clear()
  }

  private json(key: string): string | null {
    const known = this.known.get(key)
    if (known !== undefined) return known
    const row = this.sql.exec<{ value: string }>('SELECT value FROM meta WHERE key = ?', key).toArray()[0]
    const json = row ? row.value : null
    this.known.set(key, json)
    return json
  }
}
