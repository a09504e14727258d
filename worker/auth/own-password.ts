// Changing one's own password from "Your account": the current password is asked again (a
// session left open on a shared computer must not be enough to take the account over), and the
// attempts count against the same per-account and per-client limits as logging in. Afterwards
// every other session of the user ends; the one that made the change stays.
import { createDb } from '../db/client'
import type { AuthUser } from '../db/queries/auth'
import { setPassword } from '../db/queries/users'
import { checkLogin } from './login'
import { admitLoginAttempt, loginSucceeded } from './login-limits'
import { hashPassword } from './password'
import { revokeUserSessions } from './sessions'

export type PasswordChange = { ok: true } | { ok: false; reason: string; retryAfterSeconds?: number }

export async function changeOwnPassword(
  env: Env,
  user: AuthUser,
  change: { current: string; password: string; keepSession: string | undefined; client: string | null; now: number },
): Promise<PasswordChange> {
  const admitted = await admitLoginAttempt(env, user.email, change.client, change.now)
  if (!admitted.ok) {
    const minutes = Math.ceil(admitted.retryAfterSeconds / 60)
    return {
      ok: false,
      reason: `too many attempts: try again in ${minutes} minute${minutes === 1 ? '' : 's'}`,
      retryAfterSeconds: admitted.retryAfterSeconds,
    }
  }
  const checked = await checkLogin(env, user.email, change.current)
  if (checked?.id !== user.id) return { ok: false, reason: 'that is not your current password' }
  await loginSucceeded(env, user.email, change.client)
  const changed = await setPassword(createDb(env.DB), {
    workspaceId: user.workspaceId,
    id: user.id,
    passwordHash: await hashPassword(change.password),
    from: 'active',
  })
  if (!changed) return { ok: false, reason: 'your account is no longer active' }
  await revokeUserSessions(env, user.workspaceId, user.id, change.keepSession)
  return { ok: true }
}
