// /admin/team — the team screens (admins only): the users with the invitation form, and a
// user's page to change the role, send the invitation again, deactivate or reactivate, and end
// their sessions. Forms are checked by the same schemas and changed by the same service as
// /api/v1/users; a change that would leave the workspace without an active admin is refused
// (409) with the page saying why.
import { Hono, type Context } from 'hono'
import { formText } from '../admin/form-fields'
import { renderPage } from '../admin/render'
import { errorsOf, noErrors } from '../admin/ui/form-controls'
import { emptyInvite, memberScreen, teamScreen, type InviteDraft } from '../admin/ui/team-screens'
import { publicOrigin } from '../auth/public-origin'
import { revokeSession, revokeUserSessions, userSessions } from '../auth/sessions'
import { createDb } from '../db/client'
import { ownedContactCount } from '../db/queries/users'
import type { FieldError } from '../field-errors'
import { authenticate, type AuthEnv } from '../middleware/authenticate'
import { loadUser, noSuchUser, type MemberEnv } from '../middleware/load-user'
import { requireRole } from '../middleware/require-role'
import { changeUserRole, deactivate, inviteUser, LAST_ADMIN, reactivate, resendInvite, teamList, teamMember } from '../users/user-changes'
import { checkInvite, checkUserPatch } from '../users/user-input'

export const adminTeam = new Hono<AuthEnv>()

adminTeam.use('*', authenticate({ via: 'session' }))
adminTeam.use('*', requireRole('admin'))

async function teamPage(c: Context<AuthEnv>, draft: InviteDraft = emptyInvite(), errors: FieldError[] = [], status: 200 | 400 | 409 = 200) {
  const body = teamScreen({
    users: await teamList(c.env, c.var.workspaceId),
    me: c.var.user.id,
    draft,
    errors: errors.length ? errorsOf(errors) : noErrors,
    errorCount: errors.length,
    notice: c.req.query('notice'),
  })
  return renderPage(c, { title: 'Team', section: 'team', user: c.var.user, body, status })
}

adminTeam.get('/', (c) => teamPage(c))

adminTeam.post('/invite', async (c) => {
  const form = await c.req.formData()
  const draft: InviteDraft = { email: formText(form, 'email'), name: formText(form, 'name'), role: formText(form, 'role') }
  const checked = checkInvite(draft)
  if (!checked.ok) return teamPage(c, draft, checked.errors, 400)
  const invited = await inviteUser(c.env, c.var.user, checked.value, publicOrigin(c.env, c.req.url))
  if (!invited.ok) return teamPage(c, draft, invited.errors, 409)
  return c.redirect('/admin/team?notice=invited', 303)
})

async function memberPage(c: Context<MemberEnv>, extra: { roleErrors?: FieldError[]; problem?: string; status?: 200 | 400 | 409 } = {}) {
  const db = createDb(c.env.DB)
  const [member, sessions, ownedContacts] = await Promise.all([
    teamMember(c.env, c.var.workspaceId, c.var.member.id),
    userSessions(c.env, c.var.workspaceId, c.var.member.id),
    ownedContactCount(db, c.var.workspaceId, c.var.member.id),
  ])
  if (!member) throw noSuchUser()
  const body = memberScreen({
    member,
    me: c.var.user.id,
    sessions,
    ownedContacts,
    roleErrors: extra.roleErrors?.length ? errorsOf(extra.roleErrors) : noErrors,
    problem: extra.problem,
    notice: c.req.query('notice'),
  })
  return renderPage(c, { title: member.name || member.email, section: 'team', user: c.var.user, body, status: extra.status ?? 200 })
}

adminTeam.get('/:id', loadUser(), (c) => memberPage(c))

const back = (c: Context<MemberEnv>, notice: string) => c.redirect(`/admin/team/${c.var.member.id}?notice=${notice}`, 303)

adminTeam.post('/:id/role', loadUser(), async (c) => {
  const checked = checkUserPatch({ role: formText(await c.req.formData(), 'role') })
  if (!checked.ok) return memberPage(c, { roleErrors: checked.errors, status: 400 })
  const changed = await changeUserRole(c.env, c.var.workspaceId, c.var.member.id, checked.value.role)
  if (!changed.ok && changed.reason === 'not-found') throw noSuchUser()
  if (!changed.ok) return memberPage(c, { problem: `Not changed: ${LAST_ADMIN}.`, status: 409 })
  return back(c, 'role-saved')
})

adminTeam.post('/:id/deactivate', loadUser(), async (c) => {
  await c.req.arrayBuffer()
  const changed = await deactivate(c.env, c.var.workspaceId, c.var.member.id)
  if (!changed.ok && changed.reason === 'not-found') throw noSuchUser()
  if (!changed.ok) return memberPage(c, { problem: `Not deactivated: ${LAST_ADMIN}.`, status: 409 })
  // Deactivating oneself ends one's own session too.
  if (c.var.member.id === c.var.user.id) return c.redirect('/admin/login', 303)
  return back(c, 'deactivated')
})

adminTeam.post('/:id/reactivate', loadUser(), async (c) => {
  await c.req.arrayBuffer()
  if (!(await reactivate(c.env, c.var.workspaceId, c.var.member.id))) throw noSuchUser()
  return back(c, 'reactivated')
})

adminTeam.post('/:id/invitation', loadUser(), async (c) => {
  await c.req.arrayBuffer()
  const resent = await resendInvite(c.env, c.var.user, c.var.member.id, publicOrigin(c.env, c.req.url))
  if (!resent.ok && resent.reason === 'not-found') throw noSuchUser()
  if (!resent.ok) return memberPage(c, { problem: `This user is ${c.var.member.status}: there is no invitation to send.`, status: 409 })
  return back(c, 'invite-resent')
})

adminTeam.post('/:id/sessions/end', loadUser(), async (c) => {
  await c.req.arrayBuffer()
  await revokeUserSessions(c.env, c.var.workspaceId, c.var.member.id)
  if (c.var.member.id === c.var.user.id) return c.redirect('/admin/login', 303)
  return back(c, 'sessions-ended')
})

adminTeam.post('/:id/sessions/:sessionId/end', loadUser(), async (c) => {
  await c.req.arrayBuffer()
  await revokeSession(c.env, c.var.workspaceId, c.var.member.id, c.req.param('sessionId'))
  if (c.req.param('sessionId') === c.var.sessionId) return c.redirect('/admin/login', 303)
  return back(c, 'session-ended')
})
