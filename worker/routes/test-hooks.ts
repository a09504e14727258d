// /api/test — hooks for the browser tests, which run the product under `wrangler dev` and so
// cannot move its clock: "run this contact's schedule now" jumps the contact object's alarm to
// its earliest entry (a campaign's one-hour wait, say), as the workers tests do with
// runDurableObjectAlarm. Answers 404 unless the worker runs with the TEST_HOOKS var set (only
// test/browser/admin-campaigns.test.ts sets it; wrangler.toml and deployments never do).
import { Hono } from 'hono'
import { contactStub } from '../../durable-objects/contact-stub'
import type { ErrorEnv } from '../middleware/http-error'

export const testHooks = new Hono<ErrorEnv>()

// Not a declared var (wrangler.toml has none, so `Env` has none): read as whatever it is.
const enabled = (env: Env) => (Reflect.get(env, 'TEST_HOOKS') as unknown) === '1'

testHooks.post('/contacts/:id/run-schedule', async (c) => {
  await c.req.arrayBuffer()
  if (!enabled(c.env)) return c.json({ error: 'not found' }, 404)
  const ran = await contactStub(c.env, c.req.param('id')).runScheduleNow()
  return c.json({ ran })
})
