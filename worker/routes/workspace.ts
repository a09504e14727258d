// /api/v1/workspace — the caller's workspace over REST: everyone reads its settings, admins
// change them and rotate the identity and webhook secrets (each shown in that one answer, never
// again). Bodies are checked once, at the edge, by worker/workspace/workspace-input.ts, which
// also writes the OpenAPI document; a refused body changes nothing.
import { Hono } from 'hono'
import { describeRoute, resolver } from 'hono-openapi'
import type * as v from 'valibot'
import { createDb } from '../db/client'
import { findWorkspace } from '../db/queries/workspaces'
import { authenticate, type AuthEnv } from '../middleware/authenticate'
import { ErrorBody, HttpError } from '../middleware/http-error'
import { jsonBody } from '../middleware/json-body'
import { requireRole } from '../middleware/require-role'
import { changeWorkspace, rotateIdentitySecret, rotateWebhookSecret } from '../workspace/workspace-changes'
import { WorkspacePatchBody } from '../workspace/workspace-input'
import { NewIdentitySecret, NewWebhookSecret, workspaceJson, WorkspaceView } from '../workspace/workspace-json'

export const workspace = new Hono<AuthEnv>()

workspace.use('*', authenticate({ via: 'bearer' }))
workspace.on(['POST', 'PATCH', 'PUT', 'DELETE'], '*', requireRole('admin'))

const jsonOf = (schema: v.GenericSchema, description: string) => ({
  description,
  content: { 'application/json': { schema: resolver(schema) } },
})
const FORBIDDEN = jsonOf(ErrorBody, 'Not an admin')
const tags = ['workspace']

/** The caller's workspace always exists while its user does; a 404 only if it vanished meanwhile. */
const gone = () => new HttpError(404, 'not found', 'your workspace no longer exists')

workspace.get(
  '/',
  describeRoute({ tags, summary: 'Read the workspace settings', responses: { 200: jsonOf(WorkspaceView, 'The workspace') } }),
  async (c) => {
    const row = await findWorkspace(createDb(c.env.DB), c.var.workspaceId)
    if (!row) throw gone()
    return c.json(workspaceJson(row))
  },
)

workspace.patch(
  '/',
  describeRoute({
    tags,
    summary: 'Change some settings (admin)',
    responses: { 200: jsonOf(WorkspaceView, 'Changed'), 403: FORBIDDEN },
  }),
  jsonBody(WorkspacePatchBody, 'invalid workspace'),
  async (c) => {
    const row = await changeWorkspace(c.env, c.var.workspaceId, c.req.valid('json'))
    if (!row) throw gone()
    return c.json(workspaceJson(row))
  },
)

workspace.post(
  '/identity-secret',
  describeRoute({
    tags,
    summary: 'Create or rotate the identity secret (admin); the previous one stops verifying at once',
    responses: { 201: jsonOf(NewIdentitySecret, 'The new secret, shown this once'), 403: FORBIDDEN },
  }),
  async (c) => {
    await c.req.arrayBuffer()
    const rotated = await rotateIdentitySecret(c.env, c.var.workspaceId)
    if (!rotated) throw gone()
    return c.json(rotated, 201)
  },
)

workspace.post(
  '/webhook-secret',
  describeRoute({
    tags,
    summary: 'Create or rotate the key that signs campaign webhook calls (admin); the previous one stops signing at once',
    responses: { 201: jsonOf(NewWebhookSecret, 'The new secret, shown this once'), 403: FORBIDDEN },
  }),
  async (c) => {
    await c.req.arrayBuffer()
    const rotated = await rotateWebhookSecret(c.env, c.var.workspaceId)
    if (!rotated) throw gone()
    return c.json(rotated, 201)
  },
)
