// /admin/tokens — the user's API tokens: create (the secret is shown once) and delete.
import { Hono, type Context } from 'hono'
import { formText } from '../admin/form-fields'
import { renderPage } from '../admin/render'
import { tokensScreen } from '../admin/ui/screens'
import { issueApiToken, tokenNameError } from '../auth/api-tokens'
import { createDb } from '../db/client'
import { deleteApiToken, listApiTokens } from '../db/queries/auth'
import { authenticate, type AuthEnv } from '../middleware/authenticate'

export const adminTokens = new Hono<AuthEnv>()

adminTokens.use('*', authenticate({ via: 'session' }))

async function tokensPage(
  c: Context<AuthEnv>,
  extra: { created?: { name: string; secret: string }; error?: string; status?: 200 | 400 } = {},
) {
  const tokens = await listApiTokens(createDb(c.env.DB), c.var.workspaceId, c.var.user.id)
  const body = tokensScreen({ tokens, notice: c.req.query('notice'), ...extra })
  return renderPage(c, { title: 'API tokens', section: 'tokens', user: c.var.user, body, status: extra.status ?? 200 })
}

adminTokens.get('/', (c) => tokensPage(c))

adminTokens.post('/', async (c) => {
  const name = formText(await c.req.formData(), 'name').trim()
  const error = tokenNameError(name)
  if (error) return tokensPage(c, { error, status: 400 })
  const { secret } = await issueApiToken(c.env, c.var.user, name)
  return tokensPage(c, { created: { name, secret } })
})

adminTokens.post('/:id/delete', async (c) => {
  await c.req.arrayBuffer()
  await deleteApiToken(createDb(c.env.DB), c.var.workspaceId, c.var.user.id, c.req.param('id'))
  return c.redirect('/admin/tokens?notice=token-deleted', 303)
})
