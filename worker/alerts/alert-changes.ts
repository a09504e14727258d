// Every change to an alert goes through here, from the REST API and the web UI alike: after the
// write, the workspace's rules version is bumped (contact objects reload their rules on the next
// event or alarm) and this isolate's site cache is cleared so collect sees the new version now
// (a copy, made OFF, changes no rule and bumps nothing).
import { createDb, type Db } from '../db/client'
import type { AuthUser } from '../db/queries/auth'
import { alertValues, deleteAlert, insertAlert, updateAlert, type AlertRow, type AlertValues } from '../db/queries/alerts'
import { bumpRulesVersion } from '../db/queries/sites'
import { forgetSites } from '../collect/site-cache'
import { LIMITS } from './alert-input'

async function rulesChanged(db: Db, workspaceId: string) {
  await bumpRulesVersion(db, workspaceId)
  forgetSites()
}

export const newAlertId = () => `alr_${crypto.randomUUID().replace(/-/g, '')}`

export async function createAlert(env: Env, user: AuthUser, values: AlertValues): Promise<AlertRow> {
  const db = createDb(env.DB)
  const row = await insertAlert(db, { id: newAlertId(), workspaceId: user.workspaceId, createdBy: user.id, values })
  await rulesChanged(db, user.workspaceId)
  return row
}

/** "Name (copy)", the name shortened (by whole characters) to keep within the name's limit. */
export function copyName(name: string): string {
  const suffix = ' (copy)'
  let kept = ''
  for (const char of name) {
    if (kept.length + char.length > LIMITS.name - suffix.length) break
    kept += char
  }
  return `${kept.trimEnd()}${suffix}`
}

/**
 * A copy of `source` made by `user`: the same values, named "… (copy)", OFF, so it changes
 * nothing until someone switches it on. Being OFF it adds no rule, so the rules version stays.
 */
export async function duplicateAlert(env: Env, user: AuthUser, source: AlertRow): Promise<AlertRow> {
  const values = { ...alertValues(source), name: copyName(source.name), active: false }
  return insertAlert(createDb(env.DB), { id: newAlertId(), workspaceId: user.workspaceId, createdBy: user.id, values })
}

/** Null when the workspace has no such alert (nothing is bumped then). */
export async function changeAlert(env: Env, workspaceId: string, id: string, values: Partial<AlertValues>): Promise<AlertRow | null> {
  const db = createDb(env.DB)
  const row = await updateAlert(db, workspaceId, id, values)
  if (row) await rulesChanged(db, workspaceId)
  return row
}

export async function removeAlert(env: Env, workspaceId: string, id: string): Promise<boolean> {
  const db = createDb(env.DB)
  const removed = await deleteAlert(db, workspaceId, id)
  if (removed) await rulesChanged(db, workspaceId)
  return removed
}
