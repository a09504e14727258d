// The admin UI in headless Chromium against the product as `npm start` runs it: log in as the
// demo admin, build an alert through the wizard (with a mistake first, and the "does this page
// match?" tester), find it in the list, switch it off and on, duplicate it, send a test, read the
// outbox and the demo alert's analytics chart. Every screen is saved as a screenshot.
import type { Browser, Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LocalStack } from '../../scripts/local-stack'
import { DEMO, DEMO_PASSWORD } from '../../worker/demo/demo-data'
import { join } from 'node:path'
import { humanContext, launchChromium, screenshot, SCREENSHOTS } from './support/browser'
import { startTestStack } from './support/test-stack'
import { identifyThenReadPlans } from './support/demo-visitor'

let stack: LocalStack
let browser: Browser

beforeAll(async () => {
  stack = await startTestStack()
  browser = await launchChromium()
})

afterAll(async () => {
  await browser?.close()
  await stack?.stop()
})

/** The element's text once it is there (after a form post, in the page the post led to). */
async function textOf(locator: Locator): Promise<string> {
  await locator.first().waitFor()
  return (await locator.first().innerText()).trim()
}

/** A screenshot of one part of the page (a wizard step, a chart), to look at closely. */
const shoot = (locator: Locator, name: string) => locator.screenshot({ path: join(SCREENSHOTS, `${name}.png`) })

const rowOf = (page: Page, name: string) => page.locator('tbody tr', { has: page.locator(`a:text-is("${name}")`) })

describe('admin UI', () => {
  it('logs in, creates an alert through the wizard, lists it, toggles it, sends a test and shows the outbox', async () => {
    const page = await (await humanContext(browser, { viewport: { width: 1200, height: 800 } })).newPage()
    const problems: string[] = []
    // Refused forms answer 400/401 on purpose; anything else on the console (a CSP refusal, a script error) is a problem.
    page.on('console', (m) => m.type() === 'error' && !/status of 40[01]/.test(m.text()) && problems.push(m.text()))
    page.on('pageerror', (e) => problems.push(e.message))

    // Meanwhile a demo visitor reads the pricing page, so the demo alert fires and the outbox has a row.
    const email = `dana.${Date.now()}@buyer.test`
    const visitor = await (await humanContext(browser)).newPage()
    await identifyThenReadPlans(visitor, stack.baseUrl, { name: 'Dana Buyer', email })

    await page.goto(`${stack.baseUrl}/admin`)
    await page.waitForURL('**/admin/login?next=*')
    await screenshot(page, 'admin-login')
    await page.fill('input[name=email]', DEMO.admin.email)
    await page.fill('input[name=password]', 'not the password')
    await page.click('button:text("Log in")')
    expect(await textOf(page.locator('.problem'))).toContain('do not match')
    await screenshot(page, 'admin-login-failed')
    await page.fill('input[name=password]', DEMO_PASSWORD)
    await page.click('button:text("Log in")')

    await page.waitForURL('**/admin/alerts')
    await rowOf(page, DEMO.alert.name).waitFor()
    await screenshot(page, 'admin-alerts')

    // The wizard: A name, B two page rows (one added, one removed), C "at most 3 per week", D details, E summary.
    await page.click('text=+ New alert')
    await page.waitForURL('**/admin/alerts/new')
    await screenshot(page, 'admin-wizard-empty')
    await page.fill('input[name=name]', 'Enterprise readers')
    await page.locator('input[name=pattern]').nth(0).fill('enterprise')
    await page.click('button:text("+ Add a page")')
    await page.locator('input[name=pattern]').nth(1).fill('/docs/**')
    await page.locator('input[name=minSeconds]').nth(1).fill('45')
    await page.click('button:text("+ Add a page")')
    await page.waitForLoadState()
    expect(await page.locator('input[name=pattern]').count()).toBe(3)
    await page.locator('button:text("Remove")').nth(2).click()
    await page.waitForLoadState()
    expect(await page.locator('input[name=pattern]').count()).toBe(2)
    await page.check('input[name=frequency][value=custom]')
    await page.fill('input[name=count]', '3')
    await page.selectOption('select[name=period]', 'week')
    await page.check('input[name=notifyCreator]')
    await page.fill('input[name=cc]', 'sales-team@acme.test, not-an-address')
    await page.fill('textarea[name=description]', 'Someone is comparing our enterprise plan. <Call> them today.')
    await page.click('button:text("Save alert")')

    // Refused with the reasons beside the fields; what was typed is kept.
    expect(await textOf(page.locator('.problem'))).toContain('2 fields need attention')
    expect(await textOf(page.locator('#step-b .error'))).toContain('start a path with `/`')
    expect(await textOf(page.locator('#step-d .error'))).toContain('not an e-mail address')
    expect(await page.locator('input[name=pattern]').nth(1).inputValue()).toBe('/docs/**')
    await screenshot(page, 'admin-wizard-errors')

    await page.locator('input[name=pattern]').nth(0).fill('/enterprise/**')
    await page.locator('input[name=minSeconds]').nth(0).fill('20')
    await page.fill('input[name=cc]', 'sales-team@acme.test')
    await page.selectOption('select[name=attachmentFormat]', 'csv')
    await page.fill('textarea[name=attachmentTemplate]', 'name,email,page\n{{ contact.name }},{{ contact.email }},{{ visit.url }}')
    expect(await textOf(page.locator('[data-summary=pages]'))).toBe('/enterprise/** (at least 20 s), /docs/** (at least 45 s)')
    expect(await textOf(page.locator('[data-summary=frequency]'))).toBe('at most 3 per week per contact')

    // Step B's tester answers as one types, with the product's matcher: a match (query ignored) ...
    const verdict = page.locator('#step-b [data-verdict]')
    await page.fill('input[name=testUrl]', 'http://localhost:8787/Enterprise/plans/?utm_source=mail')
    await expect.poll(() => verdict.getAttribute('data-verdict')).toBe('match')
    expect(await textOf(verdict)).toContain('row 1, after 20 s on the page')
    expect(await textOf(page.locator('#step-b [data-row="1"]'))).toContain('the path differs')
    expect(await textOf(page.locator('#step-b .notes'))).toContain('Upper and lower case and a trailing / make no difference')
    await shoot(page.locator('#step-b'), 'admin-wizard-tester-match')
    // ... a miss explained, as the pattern changes ...
    await page.locator('input[name=pattern]').nth(0).fill('/enterprise/*')
    await page.fill('input[name=testUrl]', '/enterprise/plans/team')
    await expect
      .poll(() => textOf(page.locator('#step-b [data-row="0"]')))
      .toContain('stands for exactly one path segment; ** for any number')
    expect(await verdict.getAttribute('data-verdict')).toBe('no-match')
    await shoot(page.locator('#step-b'), 'admin-wizard-tester-miss')
    // ... and the Test button asks at once, without leaving the page.
    await page.locator('input[name=pattern]').nth(0).fill('/enterprise/**')
    await page.click('button[value=test-url]')
    await expect.poll(() => verdict.getAttribute('data-verdict')).toBe('match')
    expect(page.url()).toMatch(/\/admin\/alerts\/new$/)
    await page.setViewportSize({ width: 390, height: 800 })
    await shoot(page.locator('#step-b'), 'admin-wizard-tester-phone')
    await page.setViewportSize({ width: 1200, height: 800 })
    await screenshot(page, 'admin-wizard-filled')
    await page.click('button:text("Save alert")')

    await page.waitForURL(/\/admin\/alerts\/alr_\w+\?notice=created/)
    expect(await textOf(page.locator('h1'))).toContain('Enterprise readers')
    expect(await textOf(page.locator('.summary'))).toContain('<Call> them today.')
    await screenshot(page, 'admin-alert-detail')

    // Duplicate: a copy, OFF, opened with a notice.
    await Promise.all([page.waitForURL(/notice=duplicated/), page.click('button:text-is("Duplicate")')])
    expect(await textOf(page.locator('h1'))).toBe('Enterprise readers (copy)')
    expect(await textOf(page.locator('.toggle button'))).toBe('OFF')
    expect(await textOf(page.locator('.notice'))).toContain('Copy created. It is OFF')

    await page.click('a:text("All alerts")')
    expect(await textOf(rowOf(page, 'Enterprise readers (copy)').locator('.toggle button'))).toBe('OFF')
    const row = rowOf(page, 'Enterprise readers')
    expect(await textOf(row)).toContain('/enterprise/**')
    expect(await textOf(row)).toContain('at most 3 per week')
    expect(await textOf(row.locator('.toggle button'))).toBe('ON')
    await row.locator('.toggle button').click()
    expect(await textOf(page.locator('.notice'))).toBe('Alert switched OFF.')
    expect(await textOf(rowOf(page, 'Enterprise readers').locator('.toggle button'))).toBe('OFF')
    await screenshot(page, 'admin-alerts-toggled')
    await rowOf(page, 'Enterprise readers').locator('.toggle button').click()
    expect(await textOf(rowOf(page, 'Enterprise readers').locator('.toggle button'))).toBe('ON')

    // Edit: the wizard comes back filled in.
    await rowOf(page, 'Enterprise readers').locator('a').click()
    await page.click('a:text("Edit")')
    expect(await page.locator('input[name=name]').inputValue()).toBe('Enterprise readers')
    expect(await page.locator('input[name=frequency][value=custom]').isChecked()).toBe(true)
    await screenshot(page, 'admin-wizard-edit')
    await page.fill('input[name=name]', 'Enterprise plan readers')
    await page.click('button:text("Save alert")')
    expect(await textOf(page.locator('.notice'))).toBe('Alert saved.')

    // Send test: arrives at the mail sink with the test subject.
    await page.fill('input[name=to]', 'tester@acme.test')
    await page.click('button:text("Send test")')
    expect(await textOf(page.locator('.notice'))).toBe('Test e-mail sent.')
    const mail = await stack.sink.waitFor((m) => m.to.includes('tester@acme.test'), 15_000)
    expect(mail.subject).toBe('[Pagebell test] Enterprise plan readers')
    await screenshot(page, 'admin-alert-test-sent')

    await stack.sink.waitFor((m) => m.text.includes(email), 30_000)
    await page.click('nav a:text("Outbox")')
    await page.waitForURL('**/admin/outbox')
    expect(await textOf(page.locator('h1'))).toBe('Outbox')
    const delivered = rowOf(page, DEMO.alert.name)
    expect(await textOf(delivered)).toContain('sent')
    expect(await textOf(delivered)).toContain(DEMO.admin.email)
    await screenshot(page, 'admin-outbox')

    // The demo alert's analytics: today's bar in the chart and the same numbers in the table.
    await delivered.locator(`a:text-is("${DEMO.alert.name}")`).click()
    const analytics = page.locator('section[aria-labelledby=analytics-heading]')
    const chart = analytics.locator('svg[role=img]')
    expect(await chart.locator('title').first().textContent()).toContain(`${DEMO.alert.name}: fired per day`)
    const today = analytics.locator('svg g[data-fired]:last-of-type')
    expect(Number(await today.getAttribute('data-fired'))).toBeGreaterThanOrEqual(1)
    expect(Number(await textOf(analytics.locator('[data-total=sent] dd')))).toBeGreaterThanOrEqual(1)
    expect(await textOf(analytics.locator('table.numbers tbody tr').first())).toMatch(/\d/)
    await screenshot(page, 'admin-alert-analytics-page')
    await shoot(analytics, 'admin-alert-analytics')
    // At phone width the chart scrolls sideways inside its card; the page does not.
    await page.setViewportSize({ width: 390, height: 800 })
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
    await screenshot(page, 'admin-alert-analytics-phone')
    await page.setViewportSize({ width: 1200, height: 800 })

    await page.click('nav a:text("API tokens")')
    await page.fill('input[name=name]', 'CRM sync')
    await page.click('button:text("Create token")')
    const token = (await page.locator('[data-testid=new-token]').textContent()) ?? ''
    expect(token).toMatch(/^pbt_/)
    await screenshot(page, 'admin-tokens')
    const api = await fetch(`${stack.baseUrl}/api/v1/alerts`, { headers: { authorization: `Bearer ${token}` } })
    expect(((await api.json()) as { alerts: Array<{ name: string }> }).alerts.map((a) => a.name)).toContain('Enterprise plan readers')

    await page.click('button:text("Log out")')
    await page.waitForURL('**/admin/login')
    expect(problems).toEqual([])
  })
})
