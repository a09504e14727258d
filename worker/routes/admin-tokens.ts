// /admin/tokens — the user's API tokens: create one with a scope (the secret is shown once) and
// delete. The scopes offered are those the user's role allows (worker/auth/token-scopes.ts).
import { Hono, type Context } from 'hono'
import * as v from 'valibot'
import { formText } from '../admin/form-fields'
import { renderPage } from '../admin/render'
import { tokensScreen } from '../admin/ui/tokens-screen'
import { issueApiToken, tokenNameError, tokenScopeError } from '../auth/api-tokens'
import { scopesFor, TOKEN_SCOPES, type TokenScope } from '../auth/token-scopes'
import { createDb } from '../db/client'
import { deleteApiToken, listApiTokens } from '../db/queries/auth'
import { authenticate, type AuthEnv } from '../middleware/authenticate'

export const adminTokens = new Hono<AuthEnv>()

adminTokens.use('*', authenticate({ via: 'session' }))

async function tokensPage(
  c: Context<AuthEnv>,
  extra: { created?: { name: string; secret: string; scope: TokenScope }; error?: string; scopeError?: string; status?: 200 | 400 } = {},
) {
  const tokens = await listApiTokens(createDb(c.env.DB), c.var.workspaceId, c.var.user.id)
  const body = tokensScreen({ tokens, scopes: scopesFor(c.var.user.role), notice: c.req.query('notice'), ...extra })
  c.header('cache-control', 'no-store')
  return renderPage(c, { title: 'API tokens', section: 'tokens', user: c.var.user, body, status: extra.status ?? 200 })
}

adminTokens.get('/', (c) => tokensPage(c))

adminTokens.post('/', async (c) => {
  const form = await c.req.formData()
  const name = formText(form, 'name').trim()
  const error = tokenNameError(name)
  const scope = v.safeParse(v.picklist(TOKEN_SCOPES), formText(form, 'scope'))
  const scopeError = !scope.success ? 'Choose a scope: read, write or admin.' : tokenScopeError(c.var.user, scope.output)
  if (error || scopeError || !scope.success)
    return tokensPage(c, { error: error ?? undefined, scopeError: scopeError ?? undefined, status: 400 })
  const { secret } = await issueApiToken(c.env, c.var.user, name, scope.output)
  return tokensPage(c, { created: { name, secret, scope: scope.output } })
})

adminTokens.post('/:id/delete', async (c) => {
  await c.req.arrayBuffer()
  await deleteApiToken(createDb(c.env.DB), c.var.workspaceId, c.var.user.id, c.req.param('id'))
  return c.redirect('/admin/tokens?notice=token-deleted', 303)
})
