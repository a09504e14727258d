// Checks the query string with a valibot schema (hono-openapi's validator, so the parameters
// appear in the OpenAPI document) and refuses a bad one with a JSON 400.
import type { Env } from 'hono'
import { validator } from 'hono-openapi'
import type * as v from 'valibot'
import { HttpError } from './http-error'

export const queryParams = <S extends v.GenericSchema, E extends Env = Env>(schema: S) =>
  validator<S, 'query', E, string>('query', schema, (result) => {
    if (!result.success) {
      const issue = result.error[0]
      const key = issue?.path?.[0]
      const field = typeof key === 'object' ? String(key.key) : String(key ?? 'query')
      throw new HttpError(400, 'invalid query', issue?.message ?? 'invalid query string', { field })
    }
  })
