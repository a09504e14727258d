// The drizzle client over the D1 binding. Only worker/db/ imports drizzle.
import { drizzle } from 'drizzle-orm/d1'
import * as schema from './schema'

const build = (d1: D1Database) => drizzle(d1, { schema })
export type Db = ReturnType<typeof build>

/**
 * One client per binding: drizzle re-derives every table's relations from the schema each time
 * it is called, about 10 µs, which the collect path and the objects paid on every request.
 */
const clients = new WeakMap<D1Database, Db>()

export function createDb(d1: D1Database): Db {
  let db = clients.get(d1)
  if (!db) clients.set(d1, (db = build(d1)))
  return db
}
