// Many rows in one INSERT: each statement in an object's SQLite costs far more than a row in it,
// and an event that stores a batch (signals, fired pairs, step counts) would otherwise pay one
// statement per row.

/** Values SQLite binds per statement in a Durable Object. */
const MAX_BOUND_VALUES = 100

/**
 * Runs `<head> VALUES (?, …), (?, …) <tail>` for `rows` (all of one width), in as few statements
 * as the bound on values allows. Rows go in order, so an upsert that meets the same key twice
 * applies both.
 */
export function insertRows(sql: SqlStorage, head: string, rows: SqlStorageValue[][], tail = ''): void {
  const width = rows[0]?.length ?? 0
  if (width === 0) return
  const placeholder = `(${Array.from({ length: width }, () => '?').join(', ')})`
  const perStatement = Math.max(1, Math.floor(MAX_BOUND_VALUES / width))
  for (let from = 0; from < rows.length; from += perStatement) {
    const slice = rows.slice(from, from + perStatement)
    sql.exec(`${head} VALUES ${slice.map(() => placeholder).join(', ')} ${tail}`, ...slice.flat())
  }
}
