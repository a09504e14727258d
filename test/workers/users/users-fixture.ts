// Helpers for the team tests: a workspace with one user per role (test/workers/admin), tokens
// of a given scope, fresh e-mail addresses, the options of a select in a page, and the account
// e-mails as the real SMTP sink received them, with the link they carry.
import { env } from 'cloudflare:test'
import { expect } from 'vitest'
import { issueApiToken } from '../../../worker/auth/api-tokens'
import type { TokenScope } from '../../../worker/auth/token-scopes'
import type { AuthUser } from '../../../worker/db/queries/auth'
import type { ReceivedMail } from '../../support/received-mail'
import { newId, waitForMail } from '../support/collect'
import { api, BASE, web } from '../admin/admin-fixture'

export { api, apiJson, BASE, createAdminWorkspace, logIn, PASSWORD, web, type AdminFixture } from '../admin/admin-fixture'
export { newId }

export const NEW_PASSWORD = 'a brand new passphrase'

export const newEmail = (who = 'person') => `${newId(who)}@team.test`

export async function tokenWithScope(user: AuthUser, scope: TokenScope | null): Promise<string> {
  return (await issueApiToken(env, user, `${scope ?? 'no'} scope`, scope)).secret
}

/** The account e-mail to `to` (invitation or reset), as it arrived at the SMTP sink through the queue. */
export const mailTo = (to: string, subject?: RegExp): Promise<ReceivedMail> =>
  waitForMail((m) => m.envelopeTo.includes(to) && (!subject || subject.test(m.subject)))

/** The path of the link in an account e-mail (/admin/invite/pbl_… or /admin/reset/pbl_…), the same in both parts. */
export function linkIn(mail: ReceivedMail, purpose: 'invite' | 'reset'): string {
  const pattern = new RegExp(`${BASE.replace(/[.]/g, '\\.')}(/admin/${purpose}/pbl_[A-Za-z0-9_-]{43})`)
  const text = pattern.exec(mail.text)?.[1]
  expect(text).toBeDefined()
  expect(mail.html).toContain(`href="${BASE}${text}"`)
  return text ?? ''
}

/** Opens a link page and posts its form (as the browser would, from the page itself). */
export async function submitLink(path: string, form: Record<string, string>) {
  return web(null, 'POST', path, form)
}

export async function invite(adminToken: string, body: Record<string, unknown>) {
  const res = await api(adminToken, 'POST', '/users', body)
  expect(res.status).toBe(201)
  return res.json<{ id: string; email: string; status: string; role: string; invitation: { mail: string; expiresAt: number } | null }>()
}

/** A user's row as stored, read directly. */
export const userRow = (id: string) =>
  env.DB.prepare('SELECT status, role, name, password_hash FROM users WHERE id = ?')
    .bind(id)
    .first<{ status: string; role: string; name: string; password_hash: string | null }>()

export const cookieOf = (res: Response) => res.headers.get('set-cookie')?.split(';')[0] ?? null

/** The options of the <select> with this id in a page, as value → label. */
export function optionsOf(html: string, id: string): Map<string, string> {
  const select = new RegExp(`<select[^>]*id="${id}"[\\s\\S]*?</select>`).exec(html)?.[0] ?? ''
  return new Map([...select.matchAll(/<option value="([^"]*)"[^>]*>([^<]*)<\/option>/g)].map((m) => [m[1]!, m[2]!.trim()]))
}
