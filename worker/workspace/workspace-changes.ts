// Every change to a workspace goes through here, from the REST API, the admin forms and the
// first-run setup: the write, then this isolate's site cache is cleared, because collect reads
// the time zone, the privacy setting and the identity secret through it. The workspace's secrets
// (identity, webhook) are rotated by one function.
import { hashPassword } from '../auth/password'
import { forgetSites } from '../collect/site-cache'
import { createDb } from '../db/client'
import type { AuthUser } from '../db/queries/auth'
import {
  createFirstWorkspace,
  setWorkspaceSecret,
  updateWorkspace,
  type WorkspaceRow,
  type WorkspaceSecret,
  type WorkspaceSettings,
} from '../db/queries/workspaces'
import { firstWorkspace, newIdentitySecret, newWebhookSecret } from './first-workspace'
import type { SetupInput } from './workspace-input'

/** Creates the workspace and its admin on an instance with no user; null when it already has one. */
export async function setUpInstance(env: Env, input: SetupInput): Promise<AuthUser | null> {
  const first = firstWorkspace(input, await hashPassword(input.password))
  if (!(await createFirstWorkspace(createDb(env.DB), first))) return null
  const { admin, workspace } = first
  return { id: admin.id, workspaceId: workspace.id, email: admin.email, name: admin.name, role: 'admin' }
}

export async function changeWorkspace(env: Env, workspaceId: string, values: Partial<WorkspaceSettings>): Promise<WorkspaceRow | null> {
  const row = await updateWorkspace(createDb(env.DB), workspaceId, values)
  forgetSites()
  return row
}

const NEW_SECRET = { identity: newIdentitySecret, webhook: newWebhookSecret }

/**
 * A new secret of the given kind, in force at once: the previous one stops verifying
 * immediately (a rotation is what you do when a secret leaked). The secret is returned here and
 * never again.
 */
async function rotateSecret(
  env: Env,
  workspaceId: string,
  which: WorkspaceSecret,
  now: number,
): Promise<{ secret: string; createdAt: number } | null> {
  const secret = NEW_SECRET[which]()
  const row = await setWorkspaceSecret(createDb(env.DB), workspaceId, which, secret, now)
  forgetSites()
  return row ? { secret, createdAt: now } : null
}

/** The key of signed identify calls (collect reads it through the site cache, cleared here). */
export const rotateIdentitySecret = (env: Env, workspaceId: string, now = Date.now()) => rotateSecret(env, workspaceId, 'identity', now)

/** The key that signs campaign webhook calls (docs/campaigns.md). */
export const rotateWebhookSecret = (env: Env, workspaceId: string, now = Date.now()) => rotateSecret(env, workspaceId, 'webhook', now)
