// The tracking script end to end on the real worker under wrangler dev: retries are counted
// once by the server; the demo site is tracked, identifies by form e-mail and fires the demo
// alert to the real SMTP sink; the worker serves the script with the caching its URLs promise.
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startLocalStack, type LocalStack } from '../../scripts/local-stack'
import { freePort } from '../support/free-port'
import { buildSdk } from './fixtures/build'
import { startCaptureServer, snippetPage, type CaptureServer } from './fixtures/capture-server'
import { DEMO } from '../../worker/demo/demo-data'
import { humanContext, launchChromium, screenshot } from './support/browser'
import { identifyThenReadPlans } from './support/demo-visitor'

let stack: LocalStack
let browser: Browser
let server: CaptureServer

beforeAll(async () => {
  buildSdk()
  stack = await startLocalStack({ port: await freePort() })
  server = await startCaptureServer()
  browser = await launchChromium()
})

afterAll(async () => {
  await browser?.close()
  await server?.close()
  await stack?.stop()
})

describe('tracking script on the real worker', () => {
  it('re-sends the same event ids after a 500 and the worker counts each event once', async () => {
    server.forwardTo(`${stack.baseUrl}/api/collect`)
    // The first batch reaches the worker and is stored, but the browser is told 500.
    server.failNext(1)
    const context = await humanContext(browser)
    const page = await context.newPage()
    server.page('/retry', snippetPage({ title: 'Retry', body: '<h1>Retry</h1>' }))
    await page.goto(`${server.url}/retry`)
    await page.evaluate(() => (window as unknown as { pagebell(...a: unknown[]): void }).pagebell('track', 'retry_check'))
    const first = await server.waitFor(() => server.exchanges[0])
    const firstIds = first.batch.events.map((e) => e.id)
    // The retry (after the 2 s backoff) carries the failed events first, ids unchanged.
    const retry = await server.waitFor(
      () => server.exchanges.slice(1).find((x) => x.batch.events.some((e) => e.id === firstIds[0])),
      15_000,
    )
    expect(first.status).toBe(500)
    expect(first.forwarded).toEqual({ status: 200, body: { accepted: firstIds.length, duplicates: 0 } })
    expect(retry.batch.events.map((e) => e.id).slice(0, firstIds.length)).toEqual(firstIds)
    expect(retry.batch.visitor).toBe(first.batch.visitor)
    expect(retry.status).toBe(200)
    const { accepted, duplicates } = retry.forwarded!.body as { accepted: number; duplicates: number }
    expect(duplicates).toBe(firstIds.length)
    expect(accepted).toBe(retry.batch.events.length - firstIds.length)
    // Every other exchange was stored once, nothing was refused.
    expect(server.exchanges.slice(1).every((x) => x.status === 200)).toBe(true)
    await context.close()
    server.reset()
  })

  it('tracks the demo site, identifies the visitor by form e-mail, and e-mails the owner after 10 s on the plans', async () => {
    const email = `dana.${Date.now()}@buyer.test`
    const context = await humanContext(browser)
    const page = await context.newPage()
    const answers: number[] = []
    page.on('response', (r) => r.url().endsWith('/api/collect') && answers.push(r.status()))

    const { plansOpenedAt } = await identifyThenReadPlans(page, stack.baseUrl, { name: 'Dana Buyer', company: 'Buyer & Co', email }, 'demo')

    // The demo alert watches /demo/pricing/** for 10 s of visible time of an identified contact.
    const mail = await stack.sink.waitFor((m) => m.text.includes(email), 40_000)
    expect(mail.receivedAt - plansOpenedAt).toBeGreaterThanOrEqual(10_000)
    expect(mail.to).toEqual([DEMO.admin.email])
    expect(mail.cc).toEqual([DEMO.alert.cc])
    expect(mail.text).toContain('Dana Buyer')
    expect(mail.text).toContain('/demo/pricing/plans')
    expect(answers.length).toBeGreaterThan(0)
    expect(answers.every((status) => status === 200)).toBe(true)

    const inbox = await context.newPage()
    await inbox.goto(`http://127.0.0.1:${stack.sink.httpPort}/`)
    await inbox.click(`a[href="/messages/${mail.id}"]`)
    await inbox.frameLocator('iframe').locator('h2').waitFor()
    await screenshot(inbox, 'mail-sink-alert')
    await context.close()
  })

  it('serves /pb.js for an hour and the versioned URL for a year', async () => {
    const latest = await fetch(`${stack.baseUrl}/pb.js`)
    expect(latest.headers.get('cache-control')).toContain('max-age=3600')
    const pinned = latest.headers.get('link')!.match(/<([^>]+)>/)![1]!
    const versioned = await fetch(stack.baseUrl + pinned)
    expect(versioned.status).toBe(200)
    expect(versioned.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    expect(await versioned.text()).toBe(await latest.text())
    const revalidated = await fetch(`${stack.baseUrl}/pb.js`, { headers: { 'if-none-match': latest.headers.get('etag')! } })
    expect(revalidated.status).toBe(304)
    expect((await fetch(`${stack.baseUrl}/pb.0123456789ab.js`)).status).toBe(404)
  })
})
