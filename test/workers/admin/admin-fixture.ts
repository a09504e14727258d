// A workspace of its own (the shop fixture) with one user per role, each holding an API token,
// and helpers that call the REST API and the web UI as those users would.
import { SELF, env } from 'cloudflare:test'
import { issueApiToken } from '../../../worker/auth/api-tokens'
import { hashPassword } from '../../../worker/auth/password'
import { createDb } from '../../../worker/db/client'
import type { AuthUser } from '../../../worker/db/queries/auth'
import { siteRulesVersion } from '../../../worker/db/queries/site-rules-version'
import { users, type Role } from '../../../worker/db/schema'
import { createWorkspace } from '../contact-object/workspace-fixture'
import { newId } from '../support/collect'

export const BASE = 'https://pagebell.test'
export const PASSWORD = 'correct horse battery staple'

export type AdminFixture = Awaited<ReturnType<typeof createAdminWorkspace>>

async function addUser(workspaceId: string, role: Role, passwordHash: string): Promise<AuthUser & { token: string }> {
  const id = newId('usr')
  const user = { id, workspaceId, email: `${id}@shop.test`, name: `${role} user`, role }
  await createDb(env.DB)
    .insert(users)
    .values({ ...user, passwordHash })
  const { secret } = await issueApiToken(env, user, `${role} token`)
  return { ...user, token: secret }
}

export async function createAdminWorkspace() {
  const shop = await createWorkspace()
  const passwordHash = await hashPassword(PASSWORD)
  const admin = await addUser(shop.workspaceId, 'admin', passwordHash)
  const marketer = await addUser(shop.workspaceId, 'marketer', passwordHash)
  const sales = await addUser(shop.workspaceId, 'sales', passwordHash)
  return { shop, admin, marketer, sales }
}

export function api(token: string | null, method: string, path: string, body?: unknown) {
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  if (token !== null) headers.authorization = `Bearer ${token}`
  return SELF.fetch(`${BASE}/api/v1${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  })
}

export async function apiJson<T = Record<string, unknown>>(token: string, method: string, path: string, body?: unknown): Promise<T> {
  const res = await api(token, method, path, body)
  if (res.status >= 300) throw new Error(`${method} ${path} answered ${res.status}: ${await res.text()}`)
  return res.json<T>()
}

export type ApiAlert = {
  id: string
  name: string
  active: boolean
  pages: Array<{ pattern: string; minSeconds: number }>
  frequency: { count: number; period: string }
  cc: string
}

export const validAlert = (overrides: Record<string, unknown> = {}) => ({
  name: 'Pricing readers',
  pages: [{ pattern: '/pricing/**', minSeconds: 30 }],
  frequency: { count: 1, period: 'day' },
  cc: 'sales@shop.test',
  ...overrides,
})

/** Logs in through the form; returns the `name=value` cookie to send back. */
export async function logIn(
  email: string,
  password: string,
): Promise<{ status: number; cookie: string | null; setCookie: string | null; location: string | null }> {
  const res = await SELF.fetch(`${BASE}/admin/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: BASE },
    body: new URLSearchParams({ email, password, next: '/admin/alerts' }).toString(),
  })
  await res.arrayBuffer()
  const setCookie = res.headers.get('set-cookie')
  return { status: res.status, setCookie, cookie: setCookie?.split(';')[0] ?? null, location: res.headers.get('location') }
}

export function web(
  cookie: string | null,
  method: string,
  path: string,
  form?: Record<string, string> | URLSearchParams,
  origin: string | null = BASE,
) {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' }
  if (cookie) headers.cookie = cookie
  if (origin) headers.origin = origin
  return SELF.fetch(`${BASE}${path}`, {
    method,
    redirect: 'manual',
    headers,
    body: form ? new URLSearchParams(form).toString() : undefined,
  })
}

export const rulesVersion = (siteId: string) => siteRulesVersion(createDb(env.DB), siteId)
