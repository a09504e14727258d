// The local day of a quarter-hour column in SQL: (quarter hour × 900,000 + the offset of its span)
// / 86,400,000, whole local days since 1970-01-01, so counts per quarter hour are grouped into the
// workspace's days by the database (a few hundred rows to the worker, not one per quarter hour).
import { and, eq, gte, lte, sql, type SQL } from 'drizzle-orm'
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core'
import { DAY_MS, QUARTER_HOUR_MS, type OffsetSpan } from '../../../durable-objects/rules/offset-spans'

/**
 * Written as literals: D1 binds a JS number as a REAL, which would make the division a real one
 * (one group per quarter hour). Only integers computed here ever reach the text.
 */
function integer(n: number): SQL {
  if (!Number.isSafeInteger(n)) throw new Error(`not an integer for SQL: ${n}`)
  return sql.raw(String(n))
}

/** The local day number of `quarterHour` under `spans` (oldest first, as `offsetSpans` gives them). */
export function localDayNumber(quarterHour: SQLiteColumn, spans: OffsetSpan[]): SQL<number> {
  const [oldest, ...later] = spans
  const whens = later.reverse().map((s) => sql`WHEN ${quarterHour} >= ${integer(s.fromQuarterHour)} THEN ${integer(s.offsetMs)} `)
  const offset = whens.length ? sql`CASE ${sql.join(whens)}ELSE ${integer(oldest?.offsetMs ?? 0)} END` : integer(oldest?.offsetMs ?? 0)
  return sql<number>`(${quarterHour} * ${integer(QUARTER_HOUR_MS)} + ${offset}) / ${integer(DAY_MS)}`
}

/** Quarter hours `first` to `last` (both included) and the spans naming their local days. */
export type LocalWindow = { first: number; last: number; spans: OffsetSpan[] }

/** The rows of one alert in the window, in a table of counts per alert and quarter hour. */
export const alertRowsInWindow = (
  table: { alertId: SQLiteColumn; quarterHour: SQLiteColumn; workspaceId: SQLiteColumn },
  scope: { workspaceId: string; alertId: string },
  window: LocalWindow,
) =>
  and(
    eq(table.alertId, scope.alertId),
    gte(table.quarterHour, window.first),
    lte(table.quarterHour, window.last),
    eq(table.workspaceId, scope.workspaceId),
  )
