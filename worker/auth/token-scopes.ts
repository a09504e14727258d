// What an API token may do, by its scope, written once and applied to every API request by
// `authenticate` (worker/middleware/authenticate.ts):
//  - `read`: GET (and HEAD, OPTIONS) only;
//  - `write`: also changes alerts, contacts and the outbox (create, change, delete, re-send, test);
//  - `admin`: also changes the workspace's administration: users, sites and the workspace settings.
// A scope narrows the user's role, never widens it: a token acts as its user, and the role
// checks of each route still apply (a marketer's admin-scope token cannot invite anyone). A
// token created before scopes existed has none (null) and acts with its user's role alone.
import type { Role } from '../db/schema'
import type { TokenScope } from '../db/queries/auth'

export type { TokenScope }

export const TOKEN_SCOPES: readonly TokenScope[] = ['read', 'write', 'admin']

const RANK: Record<TokenScope, number> = { read: 0, write: 1, admin: 2 }

/** API paths whose changes are administration (users, sites, workspace): only an `admin` token changes them. */
const ADMIN_RESOURCES = ['/api/v1/users', '/api/v1/sites', '/api/v1/workspace']

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

const isUnder = (path: string, prefix: string) => path === prefix || path.startsWith(`${prefix}/`)

/** The scope a request needs: `read` to look, `admin` to change an admin resource, `write` to change anything else. */
export function scopeNeeded(method: string, path: string): TokenScope {
  if (SAFE_METHODS.has(method.toUpperCase())) return 'read'
  return ADMIN_RESOURCES.some((prefix) => isUnder(path, prefix)) ? 'admin' : 'write'
}

/** Null when a token of this scope may make the request, else the sentence that refuses it. */
export function scopeRefusal(scope: TokenScope | null, method: string, path: string): string | null {
  if (scope === null) return null
  const needed = scopeNeeded(method, path)
  if (RANK[scope] >= RANK[needed]) return null
  return scope === 'read'
    ? `this token has the read scope: it can only read (GET); this needs a ${needed} token`
    : `this token has the write scope: changing users, sites or the workspace needs an admin token`
}

/** The scopes a user of this role may give a token: none above what the role itself may do. */
export function scopesFor(role: Role): TokenScope[] {
  return role === 'admin' ? ['read', 'write', 'admin'] : ['read', 'write']
}
