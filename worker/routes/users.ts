// /api/v1/users — the team of the caller's workspace over REST: everyone reads it (to pick an
// owner, to see who is who); admins invite (the invitation goes out by e-mail through the
// queue), change roles, deactivate and reactivate, and see and end anyone's web sessions; every
// user sees and ends their own. Bodies are checked once, at the edge, by
// worker/users/user-input.ts, which also writes the OpenAPI document; a refused body changes
// nothing. The workspace always keeps an active admin: a change that would leave none is 409.
// Changes need an admin-scope token (worker/auth/token-scopes.ts).
import { Hono } from 'hono'
import { describeRoute, resolver } from 'hono-openapi'
import * as v from 'valibot'
import { publicOrigin } from '../auth/public-origin'
import { revokeSession, revokeUserSessions, userSessions } from '../auth/sessions'
import type { GuardedChange } from '../db/queries/users'
import { authenticate, type AuthEnv } from '../middleware/authenticate'
import { ErrorBody, HttpError } from '../middleware/http-error'
import { jsonBody } from '../middleware/json-body'
import { adminOrSelf, loadUser, noSuchUser } from '../middleware/load-user'
import { requireRole } from '../middleware/require-role'
import { changeUserRole, deactivate, inviteUser, LAST_ADMIN, reactivate, resendInvite, teamList, teamMember } from '../users/user-changes'
import { InviteBody, UserPatchBody } from '../users/user-input'
import { SessionList, sessionJson, UserList, UserView } from '../users/user-json'

export const users = new Hono<AuthEnv>()

users.use('*', authenticate({ via: 'bearer' }))

const jsonOf = (schema: v.GenericSchema, description: string) => ({
  description,
  content: { 'application/json': { schema: resolver(schema) } },
})
const refused = (description: string) => jsonOf(ErrorBody, description)
const FORBIDDEN = refused('Not an admin, or a token without the admin scope')
const NOT_FOUND = refused('No user with this id in your workspace')
const LAST_ADMIN_REFUSED = refused('It would leave the workspace without an active admin; nothing changed')
const tags = ['users']

const lastAdmin = () => new HttpError(409, 'conflict', LAST_ADMIN)

/** The user as it is after a guarded change, or the refusal. */
async function afterChange(env: Env, workspaceId: string, changed: GuardedChange) {
  if (!changed.ok) throw changed.reason === 'last-admin' ? lastAdmin() : noSuchUser()
  const user = await teamMember(env, workspaceId, changed.user.id)
  if (!user) throw noSuchUser()
  return user
}

users.get(
  '/',
  describeRoute({
    tags,
    summary: 'List the users of the workspace: active ones first, then the deactivated',
    responses: { 200: jsonOf(UserList, 'Every user, with the state of pending invitations') },
  }),
  async (c) => c.json({ users: await teamList(c.env, c.var.workspaceId) }),
)

users.post(
  '/',
  describeRoute({
    tags,
    summary: 'Invite someone by e-mail (admin): a link to set their password, valid 72 hours, goes out through the queue',
    responses: {
      201: jsonOf(UserView, 'Invited: the user exists with status "invited"; invitation.mail says where the e-mail stands'),
      400: refused('A bad e-mail, name or role'),
      403: FORBIDDEN,
      409: refused('The e-mail already belongs to a user of the workspace (errors name it)'),
    },
  }),
  requireRole('admin'),
  jsonBody(InviteBody, 'invalid invitation'),
  async (c) => {
    const invited = await inviteUser(c.env, c.var.user, c.req.valid('json'), publicOrigin(c.env, c.req.url))
    if (!invited.ok)
      throw new HttpError(409, 'conflict', invited.errors[0]?.reason ?? 'already a user', { field: 'email', errors: invited.errors })
    return c.json(invited.user, 201, { location: `/api/v1/users/${invited.user.id}` })
  },
)

users.get(
  '/:id',
  describeRoute({ tags, summary: 'Read a user', responses: { 200: jsonOf(UserView, 'The user'), 404: NOT_FOUND } }),
  loadUser(),
  async (c) => {
    const user = await teamMember(c.env, c.var.workspaceId, c.var.member.id)
    if (!user) throw noSuchUser()
    return c.json(user)
  },
)

users.patch(
  '/:id',
  describeRoute({
    tags,
    summary: 'Change the role (admin); it applies to their next request',
    responses: { 200: jsonOf(UserView, 'Changed'), 400: refused('Not a role'), 403: FORBIDDEN, 404: NOT_FOUND, 409: LAST_ADMIN_REFUSED },
  }),
  requireRole('admin'),
  loadUser(),
  jsonBody(UserPatchBody, 'invalid user'),
  async (c) => {
    const changed = await changeUserRole(c.env, c.var.workspaceId, c.var.member.id, c.req.valid('json').role)
    return c.json(await afterChange(c.env, c.var.workspaceId, changed))
  },
)

users.post(
  '/:id/deactivate',
  describeRoute({
    tags,
    summary: 'Deactivate (admin): they can no longer log in; their sessions end and their API tokens are deleted at once',
    description:
      'The contacts they own keep them as owner until reassigned (POST /contacts/assign). Deactivating a deactivated user changes nothing. Their invitation, if any, stops working.',
    responses: { 200: jsonOf(UserView, 'Deactivated'), 403: FORBIDDEN, 404: NOT_FOUND, 409: LAST_ADMIN_REFUSED },
  }),
  requireRole('admin'),
  loadUser(),
  async (c) => {
    await c.req.arrayBuffer()
    return c.json(await afterChange(c.env, c.var.workspaceId, await deactivate(c.env, c.var.workspaceId, c.var.member.id)))
  },
)

users.post(
  '/:id/reactivate',
  describeRoute({
    tags,
    summary: 'Reactivate a deactivated user (admin): active again with their password, or invited if they never set one',
    responses: { 200: jsonOf(UserView, 'The user as it is now'), 403: FORBIDDEN, 404: NOT_FOUND },
  }),
  requireRole('admin'),
  loadUser(),
  async (c) => {
    await c.req.arrayBuffer()
    const row = await reactivate(c.env, c.var.workspaceId, c.var.member.id)
    if (!row) throw noSuchUser()
    return c.json(await afterChange(c.env, c.var.workspaceId, { ok: true, user: row }))
  },
)

users.post(
  '/:id/invitation',
  describeRoute({
    tags,
    summary: 'Send the invitation again (admin): a new link, valid 72 hours; the previous one stops working',
    responses: {
      202: jsonOf(UserView, 'Queued'),
      403: FORBIDDEN,
      404: NOT_FOUND,
      409: refused('The user is not waiting for an invitation (active or deactivated)'),
    },
  }),
  requireRole('admin'),
  loadUser(),
  async (c) => {
    await c.req.arrayBuffer()
    const resent = await resendInvite(c.env, c.var.user, c.var.member.id, publicOrigin(c.env, c.req.url))
    if (!resent.ok) {
      if (resent.reason === 'not-found') throw noSuchUser()
      throw new HttpError(409, 'conflict', `this user is ${c.var.member.status}: only an invited user gets an invitation`)
    }
    return c.json(resent.user, 202)
  },
)

users.get(
  '/:id/sessions',
  describeRoute({
    tags,
    summary: "A user's web sessions, the most recently used first (admin, or the user themself)",
    responses: { 200: jsonOf(SessionList, 'Unexpired sessions'), 403: refused('Another user, and not an admin'), 404: NOT_FOUND },
  }),
  loadUser(),
  adminOrSelf(),
  async (c) => {
    const rows = await userSessions(c.env, c.var.workspaceId, c.var.member.id)
    return c.json({ sessions: rows.map((row) => sessionJson(row, c.var.sessionId)) })
  },
)

users.delete(
  '/:id/sessions',
  describeRoute({
    tags,
    summary: 'End every web session of a user (admin, or the user themself): they are logged out on their next request',
    responses: {
      200: jsonOf(v.object({ revoked: v.number() }), 'How many sessions ended'),
      403: refused('Another user, and not an admin'),
      404: NOT_FOUND,
    },
  }),
  loadUser(),
  adminOrSelf(),
  async (c) => {
    await c.req.arrayBuffer()
    return c.json({ revoked: await revokeUserSessions(c.env, c.var.workspaceId, c.var.member.id) })
  },
)

users.delete(
  '/:id/sessions/:sessionId',
  describeRoute({
    tags,
    summary: 'End one web session (admin, or the user themself)',
    responses: {
      204: { description: 'Ended' },
      403: refused('Another user, and not an admin'),
      404: refused('No such user, or no such session of theirs'),
    },
  }),
  loadUser(),
  adminOrSelf(),
  async (c) => {
    await c.req.arrayBuffer()
    if (!(await revokeSession(c.env, c.var.workspaceId, c.var.member.id, c.req.param('sessionId'))))
      throw new HttpError(404, 'not found', 'no session with this id for this user')
    return c.body(null, 204)
  },
)
