// Visible time end to end, with a tab Chromium itself hides: on the real worker under wrangler
// dev, a demo alert that needs 15 s on the plans fires only after the visitor came back to the
// tab, never while it was hidden. Real time (the server's clock decides when the alert is due):
// visible 12 s, hidden 10 s (long enough for a counter of wall-clock time to have fired at 15 s),
// then visible until the e-mail arrives, about 3 s later.
import { spawnSync } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { QUIET_WRANGLER_ENV, startLocalStack, type LocalStack } from '../../scripts/local-stack'
import { freePort } from '../support/free-port'
import { DEMO } from '../../worker/demo/demo-data'
import { buildSdk } from './fixtures/build'
import { launchRealTabs, type RealTabs } from './support/cdp-tabs'
import { identifyThenReadPlans } from './support/demo-visitor'

let stack: LocalStack
let tabs: RealTabs

beforeAll(async () => {
  buildSdk()
  stack = await startLocalStack({ port: await freePort() })
  // The demo alert asks 10 s on /demo/pricing/**; this test wants 15 s. Set before any event
  // reaches the worker.
  const pages = JSON.stringify([{ pattern: '/demo/pricing/**', minSeconds: 15 }])
  // The alert is a campaign: its pages are its page-visited trigger's, in its only version.
  const sql = `UPDATE campaign_versions SET definition = json_set(definition, '$.triggers[0].pages', json('${pages}')) WHERE campaign_id = '${DEMO.alert.id}'`
  const run = spawnSync('npx', ['wrangler', 'd1', 'execute', 'DB', '--local', '--persist-to', stack.persistDir, '--command', sql], {
    env: { ...process.env, ...QUIET_WRANGLER_ENV, CI: 'true' },
    encoding: 'utf8',
  })
  if (run.status !== 0) throw new Error(`setting the alert's minimum failed:\n${run.stdout}\n${run.stderr}`)
  tabs = await launchRealTabs({
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/150.0.0.0 Safari/537.36',
  })
})

afterAll(async () => {
  await tabs?.close()
  await stack?.stop()
})

const seconds = (n: number) => new Promise((r) => setTimeout(r, n * 1000))

describe('visible time with a tab Chromium hides, on the real worker', () => {
  it('fires an alert with a 15 s minimum only in the last visible part of a visible 12 s → hidden 10 s → visible visit', async () => {
    const email = `hidden.${Date.now()}@buyer.test`
    const page = await tabs.context.newPage()
    const { plansOpenedAt } = await identifyThenReadPlans(page, stack.baseUrl, { name: 'Hidden Tab', email })
    await seconds(12 - (Date.now() - plansOpenedAt) / 1000)
    await tabs.hide(page)
    await seconds(10)
    await tabs.show(page)
    const shownAt = Date.now()
    expect(stack.sink.messages.filter((m) => m.text.includes(email))).toEqual([])
    const mail = await stack.sink.waitFor((m) => m.text.includes(email), 20_000)
    // 15 s - 12 s already seen = about 3 s after the tab came back (plus delivery).
    expect(mail.receivedAt - shownAt).toBeGreaterThanOrEqual(2_000)
    expect(mail.receivedAt - shownAt).toBeLessThanOrEqual(10_000)
    expect(mail.text).toContain('/demo/pricing/plans')
    await page.close()
  })
})
