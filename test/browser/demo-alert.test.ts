// End to end on the product as `npm start` runs it: headless Chromium on the demo site, the
// real worker under wrangler dev, and the alert e-mail arriving at the real SMTP sink.
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startLocalStack, type LocalStack } from '../../scripts/local-stack'
import { DEMO } from '../../worker/demo/demo-data'
import { freePort } from '../support/free-port'
import { humanContext, launchChromium, screenshot } from './support/browser'

let stack: LocalStack
let browser: Browser

beforeAll(async () => {
  stack = await startLocalStack({ port: await freePort(), log: process.env.PB_STACK_LOG ? (l) => process.stdout.write(l) : undefined })
  browser = await launchChromium()
})

afterAll(async () => {
  await browser?.close()
  await stack?.stop()
})

describe('demo site', () => {
  it('e-mails the owner when a visitor who left their e-mail reads the plans for 10 s', async () => {
    const email = `dana.${Date.now()}@buyer.test`
    const page = await (await humanContext(browser)).newPage()

    await page.goto(`${stack.baseUrl}/demo`)
    await screenshot(page, 'demo-home')
    await page.goto(`${stack.baseUrl}/demo/contact`)
    await page.fill('input[name=name]', 'Dana Buyer')
    await page.fill('input[name=company]', 'Buyer & Co')
    await page.fill('input[name=email]', email)
    await screenshot(page, 'demo-contact-form')
    await page.click('button[type=submit]')
    await page.waitForURL('**/demo/thanks')

    const openedAt = Date.now()
    await page.goto(`${stack.baseUrl}/demo/pricing/plans`)
    await screenshot(page, 'demo-pricing-plans')

    const mail = await stack.sink.waitFor((m) => m.text.includes(email), 30_000)
    const firedAfterMs = mail.receivedAt - openedAt
    expect(firedAfterMs).toBeGreaterThanOrEqual(10_000)
    expect(mail.to).toEqual([DEMO.admin.email])
    expect(mail.cc).toEqual([DEMO.alert.cc])
    expect(mail.text).toContain('/demo/pricing/plans')
    expect(mail.text).toContain('Dana Buyer')

    const inbox = await browser.newPage({ viewport: { width: 1000, height: 700 } })
    await inbox.goto(`http://127.0.0.1:${stack.sink.httpPort}/`)
    await inbox.click(`a[href="/messages/${mail.id}"]`)
    await inbox.frameLocator('iframe').locator('h2').waitFor()
    await screenshot(inbox, 'mail-sink-alert')
  })
})
