// The contact object's `meta` table: one JSON value per key (the contact, its site, the alert
// rules, the campaign state and run ledger). Read and written on every event, so each value's
// JSON is also kept in memory: a read skips SQLite, and a write of what is already stored (the
// same site on every batch) is skipped. The object is the table's only writer.

export class MetaTable {
  /** Each key's stored JSON as last read or written; null when the key has no row. */
  private readonly known = new Map<string, string | null>()
  /** Frozen values handed out by `shared`, until their key is written. */
  private readonly frozen = new Map<string, unknown>()

  constructor(private readonly sql: SqlStorage) {}

  /** A fresh copy of the value, the caller's to change. */
  get<T>(key: string): T | null {
    const json = this.json(key)
    return json === null ? null : (JSON.parse(json) as T)
  }

  /**
   * The value, deeply frozen and the same object until the key is written: for values read on
   * every signal and only ever replaced, never changed in place (the run ledger the engine copies
   * on write). Setting that same object back writes nothing.
   */
  shared<T>(key: string): Readonly<T> | null {
    if (!this.frozen.has(key)) this.frozen.set(key, deepFreeze(this.get<T>(key)))
    return this.frozen.get(key) as Readonly<T> | null
  }

  set(key: string, value: unknown): void {
    if (this.frozen.has(key) && this.frozen.get(key) === value) return
    const json = JSON.stringify(value)
    if (this.known.get(key) === json) return
    this.sql.exec('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)', key, json)
    this.known.set(key, json)
    this.frozen.delete(key)
  }

  /** After the storage was deleted: nothing kept in memory is true any more. */
  forget(): void {
    this.known.clear()
    this.frozen.clear()
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

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const inner of Object.values(value)) deepFreeze(inner)
    Object.freeze(value)
  }
  return value
}
