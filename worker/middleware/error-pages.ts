// Marks a route group whose refusals and failures are shown as admin pages rather than JSON
// (the admin UI); `handleError` reads the mark.
import { createMiddleware } from 'hono/factory'
import type { ErrorEnv } from './http-error'

export const errorPages = () =>
  createMiddleware<ErrorEnv>(async (c, next) => {
    c.set('errorView', 'page')
    await next()
  })
