// Every change to a site goes through here, from the REST API and the admin form alike: the
// default owner is checked against the workspace's users (never a deactivated one:
// worker/users/owner-choice.ts), the key is made here, and after the write this isolate's site
// cache is cleared so collect sees the change at once.
import { forgetSites } from '../collect/site-cache'
import { createDb } from '../db/client'
import type { AuthUser } from '../db/queries/auth'
import { deleteSite, findSite, insertSite, updateSite, type SiteRow, type SiteValues } from '../db/queries/sites'
import type { FieldError } from '../field-errors'
import { ownerRefusal } from '../users/owner-choice'
import type { NewSiteInput, SitePatch } from './site-input'

export type Changed = { ok: true; site: SiteRow } | { ok: false; errors: FieldError[] }

const toBase64Url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '')

/** Sorts by creation time (the pages of the list are in creation order, ties included). */
export const newSiteId = (now = Date.now()) =>
  `site_${now.toString(36).padStart(9, '0')}${crypto.randomUUID().replace(/-/g, '').slice(0, 12)}`

/** Public (it is in every page), but unguessable, so nobody sends events in another site's name by chance. */
export const newSiteKey = () => `pk_${toBase64Url(crypto.getRandomValues(new Uint8Array(16)))}`

export async function createSite(env: Env, user: AuthUser, input: NewSiteInput): Promise<Changed> {
  const db = createDb(env.DB)
  const values: SiteValues = { ...input, defaultOwnerId: input.defaultOwnerId === undefined ? user.id : input.defaultOwnerId }
  const refused = await ownerRefusal(db, user.workspaceId, 'defaultOwnerId', values.defaultOwnerId)
  if (refused) return { ok: false, errors: [refused] }
  const now = Date.now()
  const site = await insertSite(db, { id: newSiteId(now), workspaceId: user.workspaceId, key: newSiteKey(), createdAt: now, values })
  forgetSites()
  return { ok: true, site }
}

/** Null when the workspace has no such site (any more). */
export async function changeSite(env: Env, workspaceId: string, id: string, patch: SitePatch): Promise<Changed | null> {
  const db = createDb(env.DB)
  if (patch.defaultOwnerId) {
    // The default owner the site has already is no new assignment, even a deactivated one.
    const current = await findSite(db, workspaceId, id)
    if (!current) return null
    const refused = await ownerRefusal(db, workspaceId, 'defaultOwnerId', patch.defaultOwnerId, current.defaultOwnerId)
    if (refused) return { ok: false, errors: [refused] }
  }
  // valibot leaves out the fields a PATCH did not name, so only the given ones change.
  const site = await updateSite(db, workspaceId, id, patch)
  forgetSites()
  return site ? { ok: true, site } : null
}

export async function removeSite(env: Env, workspaceId: string, id: string): Promise<boolean> {
  const removed = await deleteSite(createDb(env.DB), workspaceId, id)
  forgetSites()
  return removed
}
