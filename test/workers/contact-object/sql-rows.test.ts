// Many rows in one INSERT, split where SQLite's bound on values per statement falls, in order.
import { env, runInDurableObject } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { contactStub } from '../../../durable-objects/contact-stub'
import { insertRows } from '../../../durable-objects/sql-rows'
import { newId } from '../support/collect'

describe('insertRows', () => {
  it('stores every row in order across statements, and an upsert meeting a key twice applies both', async () => {
    const result = await runInDurableObject(contactStub(env, newId('ct')), (_, state) => {
      const sql = state.storage.sql
      sql.exec('CREATE TABLE rows_test (seq INTEGER PRIMARY KEY AUTOINCREMENT, a TEXT NOT NULL, b INTEGER NOT NULL)')
      sql.exec('CREATE TABLE counts_test (k TEXT PRIMARY KEY, n INTEGER NOT NULL)')
      // 2 values a row: 50 rows a statement, so 70 rows take 2 statements.
      insertRows(
        sql,
        'INSERT INTO rows_test (a, b)',
        Array.from({ length: 70 }, (_, i) => [`r${i}`, i]),
      )
      insertRows(
        sql,
        'INSERT INTO counts_test (k, n)',
        [
          ['x', 1],
          ['y', 1],
          ['x', 1],
        ],
        'ON CONFLICT (k) DO UPDATE SET n = n + 1',
      )
      insertRows(sql, 'INSERT INTO counts_test (k, n)', [])
      return {
        rows: sql.exec<{ a: string; b: number }>('SELECT a, b FROM rows_test ORDER BY seq').toArray(),
        counts: sql.exec<{ k: string; n: number }>('SELECT k, n FROM counts_test ORDER BY k').toArray(),
      }
    })
    expect(result.rows).toEqual(Array.from({ length: 70 }, (_, i) => ({ a: `r${i}`, b: i })))
    expect(result.counts).toEqual([
      { k: 'x', n: 2 },
      { k: 'y', n: 1 },
    ])
  })
})
