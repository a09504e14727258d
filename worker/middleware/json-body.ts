// Reads the request body as JSON, checks it with a valibot schema and hands the typed value to
// the handler as `c.req.valid('json')`; a refused body is a 400 naming the first bad field
// (`HttpError.invalid`). The same schema is registered with hono-openapi, so the OpenAPI
// document shows exactly what is checked.
//
// Not hono-openapi's own `validator('json')`: Hono's json target reads a body only when the
// Content-Type is application/json and validates `{}` otherwise, so a PATCH sent as `curl -d`
// would answer 200 and change nothing. The API has always read the body whatever its type.
import type { Env, MiddlewareHandler } from 'hono'
import { resolver, uniqueSymbol } from 'hono-openapi'
import * as v from 'valibot'
import { fieldErrors } from '../field-errors'
import { HttpError } from './http-error'

const NOT_AN_OBJECT = { field: 'body', reason: 'the body must be a JSON object' }

type JsonInput<S extends v.GenericSchema<unknown, object>> = { in: { json: v.InferInput<S> }; out: { json: v.InferOutput<S> } }

/** `code` names the refusal in the JSON error (`invalid alert`). */
export function jsonBody<S extends v.GenericSchema<unknown, object>, E extends Env = Env>(
  schema: S,
  code: string,
): MiddlewareHandler<E, string, JsonInput<S>> {
  const middleware: MiddlewareHandler<E, string, JsonInput<S>> = async (c, next) => {
    let body: unknown
    try {
      body = JSON.parse(await c.req.text())
    } catch {
      throw new HttpError(400, code, 'the body is not JSON', { field: 'body' })
    }
    // valibot's object schemas take an array as an object; a body is a JSON object or refused.
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw HttpError.invalid(code, [NOT_AN_OBJECT])
    const parsed = v.safeParse(schema, body)
    if (!parsed.success) throw HttpError.invalid(code, fieldErrors(parsed.issues))
    c.req.addValidatedData('json', parsed.output)
    await next()
  }
  return Object.assign(middleware, { [uniqueSymbol]: { target: 'json' as const, ...resolver(schema) } })
}
