// The one error type handlers and middleware throw to refuse a request, and the app's single
// error handler that renders it: JSON `{error, reason, field?, errors?}` by default (the REST
// API), an admin page for route groups marked with `errorPages()`. Anything else thrown is
// logged and answers 500 without details.
import type { Context, ErrorHandler } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import * as v from 'valibot'
import { renderPage } from '../admin/render'
import { errorScreen } from '../admin/ui/error-screen'
import type { AuthUser } from '../db/queries/auth'
import type { FieldError } from '../field-errors'

type Details = { field?: string; errors?: FieldError[]; headers?: Record<string, string> }

export class HttpError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    /** Short and stable, for programs: `not found`, `forbidden`, `invalid alert`. */
    readonly code: string,
    /** A sentence for people. */
    readonly reason: string,
    readonly details: Details = {},
  ) {
    super(reason)
    this.name = 'HttpError'
  }

  /** A 400 (or the given status) naming the first refused field, with every refused field in `errors`. */
  static invalid(code: string, errors: FieldError[], status: ContentfulStatusCode = 400): HttpError {
    return new HttpError(status, code, errors[0]?.reason ?? 'invalid', { field: errors[0]?.field ?? 'body', errors })
  }
}

/** The JSON an error answers with, for the OpenAPI document. */
export const ErrorBody = v.pipe(
  v.object({
    error: v.string(),
    reason: v.optional(v.string()),
    field: v.optional(v.pipe(v.string(), v.description('The first refused field, as a dot path (pages.0.pattern).'))),
    errors: v.optional(v.array(v.object({ field: v.string(), reason: v.string() }))),
  }),
  v.metadata({ ref: 'Error' }),
)

export type ErrorEnv = { Bindings: Env; Variables: { errorView?: 'page'; user?: AuthUser } }

const INTERNAL = new HttpError(500, 'internal error', 'something went wrong on our side')

function asHttpError(err: Error): HttpError | Response {
  if (err instanceof HttpError) return err
  if (err instanceof HTTPException) return err.getResponse()
  console.error(err)
  return INTERNAL
}

function json(c: Context<ErrorEnv>, err: HttpError) {
  const { field, errors, headers } = err.details
  const reason = err === INTERNAL ? {} : { reason: err.reason }
  return c.json(
    { error: err.code, ...(field === undefined ? {} : { field }), ...reason, ...(errors ? { errors } : {}) },
    err.status,
    headers,
  )
}

export const handleError: ErrorHandler<ErrorEnv> = (thrown, c) => {
  const err = asHttpError(thrown)
  if (err instanceof Response) return err
  if (c.var.errorView !== 'page') return json(c, err)
  const user = c.var.user ?? null
  const screen = errorScreen({ status: err.status, reason: err.reason, loggedIn: user !== null, path: c.req.path })
  return renderPage(c, { title: screen.title, section: 'error', user, body: screen.body, status: err.status })
}
