// What the campaign, smart-list and scoring-rule routes share: their OpenAPI response entries
// and turning a service outcome (worker/campaigns/checked.ts) into the answer or its refusal.
import { resolver } from 'hono-openapi'
import type * as v from 'valibot'
import type { Checked } from '../campaigns/checked'
import { ErrorBody, HttpError } from '../middleware/http-error'

export const jsonOf = (schema: v.GenericSchema, description: string) => ({
  description,
  content: { 'application/json': { schema: resolver(schema) } },
})

export const refused = (description: string) => jsonOf(ErrorBody, description)

export const FORBIDDEN = refused('Sales role')

/** A 404 for the route's resource: another workspace's is the same as none, so ids cannot be probed. */
export const notFound = (what: string) => () => new HttpError(404, 'not found', `no ${what} with this id in your workspace`)

/** The value of a service outcome; its refusal as a 400/409/422 naming the field; `gone` when null (removed meanwhile). */
export function answer<T>(checked: Checked<T> | null, code: string, gone: () => HttpError): T {
  if (!checked) throw gone()
  if (!checked.ok) throw HttpError.invalid(code, checked.errors, checked.status)
  return checked.value
}
