// Finds the user named by the route's `:id` in the caller's workspace and puts it in
// `c.var.member` (`c.var.user` is the caller), or refuses with 404. Another workspace's user is
// the same as no user, so ids cannot be probed across workspaces.
import { createMiddleware } from 'hono/factory'
import { createDb } from '../db/client'
import { findUser, type UserRow } from '../db/queries/users'
import type { AuthEnv } from './authenticate'
import { HttpError } from './http-error'

export type MemberEnv = AuthEnv & { Variables: { member: UserRow } }

export const noSuchUser = () => new HttpError(404, 'not found', 'no user with this id in your workspace')

export const loadUser = () =>
  createMiddleware<MemberEnv, '/:id'>(async (c, next) => {
    const member = await findUser(createDb(c.env.DB), c.var.workspaceId, c.req.param('id'))
    if (!member) throw noSuchUser()
    c.set('member', member)
    await next()
  })

/** Lets through an admin, or the user the route names acting on itself (its own sessions); others get 403. */
export const adminOrSelf = () =>
  createMiddleware<MemberEnv>(async (c, next) => {
    if (c.var.user.role !== 'admin' && c.var.user.id !== c.var.member.id)
      throw new HttpError(403, 'forbidden', `your role (${c.var.user.role}) can only see and end your own sessions`)
    await next()
  })
