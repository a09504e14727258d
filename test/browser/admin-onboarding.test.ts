// From a fresh instance to a working install, in headless Chromium against the product as it
// runs locally, with no demo data: the setup form (typed with the keyboard only, a mistake
// first), the empty sites list, a new site, its snippet copied with the copy button and pasted
// into a page served from another local origin, the install check turning green by itself; then
// Settings and an identity secret, which the site's backend (the Node example, run by node)
// uses to sign an identify that the worker accepts as verified. Screens are also shot at phone
// width. Every screen is saved in test-results/screenshots/onboarding-*.png.
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import * as v from 'valibot'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { QUIET_WRANGLER_ENV, type LocalStack } from '../../scripts/local-stack'
import { IDENTIFY_EXAMPLES, SECRET_VARIABLE } from '../../worker/sites/snippet'
import { humanContext, launchChromium, screenshot } from './support/browser'
import { settledFocus } from './support/admin-pages'
import { startTestStack } from './support/test-stack'
import { serveCustomerSite, type CustomerSite } from './support/customer-site'

let stack: LocalStack
let browser: Browser
let shop: CustomerSite
let shopOrigin: string
/** What the customer's site puts in its pages' <head>: set once the snippet is copied. */
let snippet = ''
/** The identity secret the customer's backend signs with: set once created in Settings. */
let identitySecret = ''
const scratch = mkdtempSync(join(tmpdir(), 'pagebell-onboarding-'))

/** The Node example from the site page, run by node, as the customer's backend would. */
function signWithNodeExample(email: string): string {
  const code = IDENTIFY_EXAMPLES.find((e) => e.language === 'node')?.code ?? ''
  writeFileSync(join(scratch, 'sign.mjs'), `const email = process.argv[2]\n${code}\nconsole.log(sig)\n`)
  return execFileSync('node', [join(scratch, 'sign.mjs'), email], {
    env: { ...process.env, [SECRET_VARIABLE]: identitySecret },
    encoding: 'utf8',
  }).trim()
}

const escapeJs = (s: string) => JSON.stringify(s).replace(/</g, '\\u003c')

/** The customer's own site, on another origin (localhost, another port) than Pagebell (127.0.0.1). */
function shopPage(path: string, query: URLSearchParams): string {
  const email = query.get('email')
  const identify = email
    ? `<script>window.pagebell=window.pagebell||function(){(pagebell.q=pagebell.q||[]).push(arguments)}
pagebell('identify', { email: ${escapeJs(email)}, sig: ${escapeJs(signWithNodeExample(email))} })</script>`
    : ''
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Corner Shop ${path}</title>${identify}${snippet}</head>
<body><h1>Corner Shop</h1><p>${path === '/account' ? 'Your account' : 'Fresh bread every morning.'}</p><a href="/account">Account</a></body></html>`
}

beforeAll(async () => {
  stack = await startTestStack({ demo: false })
  browser = await launchChromium()
  shop = await serveCustomerSite((url) => shopPage(url.pathname, url.searchParams))
  shopOrigin = shop.origin
})

afterAll(async () => {
  await browser?.close()
  await shop?.close()
  await stack?.stop()
  rmSync(scratch, { recursive: true, force: true })
})

const Contacts = v.array(v.object({ results: v.array(v.object({ identified_by: v.string() })) }))

/** How the worker identified a contact, read from the local D1 (null: no such contact yet). */
function identifiedBy(email: string): string | null {
  const run = spawnSync(
    'npx',
    [
      'wrangler',
      'd1',
      'execute',
      'DB',
      '--local',
      '--persist-to',
      stack.persistDir,
      '--json',
      '--command',
      `SELECT identified_by FROM contacts WHERE email = '${email}'`,
    ],
    { env: { ...process.env, ...QUIET_WRANGLER_ENV, CI: 'true' }, encoding: 'utf8' },
  )
  return v.parse(Contacts, JSON.parse(run.stdout.slice(run.stdout.indexOf('['))))[0]?.results[0]?.identified_by ?? null
}

async function text(page: Page, selector: string): Promise<string> {
  const locator = page.locator(selector).first()
  await locator.waitFor()
  return (await locator.innerText()).trim()
}

describe('admin onboarding', () => {
  it('sets up an instance, adds a site, installs its snippet on another origin and sees events arrive', async () => {
    const context = await humanContext(browser, { viewport: { width: 1200, height: 800 }, timezoneId: 'Europe/Warsaw' })
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: stack.baseUrl })
    const page = await context.newPage()
    const problems: string[] = []
    // Refused forms answer 400 on purpose; anything else on the console (a CSP refusal, a script error) is a problem.
    page.on('console', (m) => m.type() === 'error' && !/status of 400/.test(m.text()) && problems.push(`${m.text()} ${m.location().url}`))
    page.on('pageerror', (e) => problems.push(e.message))
    page.on('response', (r) => r.status() === 404 && problems.push(`404 ${r.url()}`))

    // A fresh instance: the admin leads to the setup form, with the browser's time zone chosen.
    await page.goto(`${stack.baseUrl}/admin`)
    await page.waitForURL('**/admin/setup')
    expect(await page.locator('select[name=timeZone]').inputValue()).toBe('Europe/Warsaw')
    await screenshot(page, 'onboarding-setup')

    // With the keyboard only: Tab from field to field, Enter sends. First with too short a password.
    await page.locator('input[name=workspace]').focus()
    await page.keyboard.type('Corner Shop')
    await page.keyboard.press('Tab')
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('timeZone')
    await page.keyboard.press('Tab')
    await page.keyboard.type('Olga Owner')
    await page.keyboard.press('Tab')
    await page.keyboard.type('olga@corner.test')
    await page.keyboard.press('Tab')
    await page.keyboard.type('short')
    // The browser's own check (minlength) would stop Enter; the server's answer is what is tested.
    await page.locator('input[name=password]').evaluate((input) => input.removeAttribute('minlength'))
    await page.keyboard.press('Enter')
    expect(await text(page, '.problem')).toBe('1 field needs attention: see below.')
    expect(await text(page, '#password-error')).toBe('use at least 10 characters')
    expect(await settledFocus(page, 'password', 'name')).toBe('password')
    expect(await page.locator('input[name=workspace]').inputValue()).toBe('Corner Shop')
    await screenshot(page, 'onboarding-setup-refused')
    await page.keyboard.type('fresh bread every morning')
    await page.keyboard.press('Enter')

    // Logged in, on the empty sites list, which says what to do next.
    await page.waitForURL('**/admin/sites?notice=welcome')
    expect(await text(page, '.notice')).toContain('Your workspace is ready')
    expect(await text(page, '.empty')).toContain('No site yet.')
    await screenshot(page, 'onboarding-sites-empty')

    await page.click('a:text("Add your first site")')
    await page.waitForURL('**/admin/sites/new')
    await page.fill('input[name=name]', 'Corner Shop website')
    await page.fill('textarea[name=allowedDomains]', 'corner shop.test')
    await page.click('button:text("Save site")')
    expect(await text(page, '#site-domains-error')).toBe('"corner shop.test" is not a domain name (write it as shop.com)')
    await screenshot(page, 'onboarding-site-refused')
    await page.fill('textarea[name=allowedDomains]', 'localhost\nbücher.test')
    await screenshot(page, 'onboarding-site-form')
    await page.click('button:text("Save site")')

    // The site's page: the snippet, the install check waiting, the identify examples.
    await page.waitForURL(/\/admin\/sites\/site_\w+\?notice=site-created/)
    expect(await text(page, '.summary')).toContain('xn--bcher-kva.test')
    expect(await page.getAttribute('[data-install]', 'data-install')).toBe('waiting')
    await screenshot(page, 'onboarding-site-waiting')

    await page.click('button:text("Copy the snippet")')
    // The clipboard write resolves after the click returns; the button says so when it has.
    await page.locator('button[data-copy=snippet]', { hasText: 'Copied ✓' }).waitFor()
    snippet = await page.evaluate(() => navigator.clipboard.readText())
    expect(snippet).toMatch(new RegExp(`^<script async src="${stack.baseUrl}/pb.js" data-site="pk_[\\w-]{22}"></script>$`))

    // A visitor opens the customer's page, which now carries the snippet.
    const visitor = await (await humanContext(browser)).newPage()
    const collected = visitor.waitForResponse((r) => r.url() === `${stack.baseUrl}/api/collect` && r.request().method() === 'POST')
    await visitor.goto(`${shopOrigin}/`)
    expect((await collected).status()).toBe(200)

    // The admin's page turns green by itself (no reload).
    await page.locator('[data-install=live]').waitFor({ timeout: 20_000 })
    expect(await text(page, '[data-install-text]')).toMatch(new RegExp(`^Receiving events: last event just now from ${shopOrigin}\\.$`))
    await screenshot(page, 'onboarding-site-live')

    await page.click('nav a:text("Sites")')
    expect(await text(page, 'tbody tr')).toContain('Receiving events')
    await screenshot(page, 'onboarding-sites')

    // Settings: a sender name and the identity secret, shown once.
    await page.click('nav a:text("Settings")')
    await page.waitForURL('**/admin/workspace')
    expect(await page.locator('select[name=timeZone]').inputValue()).toBe('Europe/Warsaw')
    await page.fill('input[name=senderName]', 'Corner Shop Sales')
    await page.click('button:text("Save settings")')
    expect(await text(page, '.notice')).toBe('Settings saved.')
    await page.click('button:text("Create a secret")')
    identitySecret = await text(page, '[data-testid=identity-secret]')
    expect(identitySecret).toMatch(/^pbi_[0-9a-f]{64}$/)
    await screenshot(page, 'onboarding-settings-secret')

    // The customer's backend signs with the Node example; the worker takes the identify as verified.
    const email = `reader.${Date.now()}@buyer.test`
    const identified = visitor.waitForResponse((r) => r.url() === `${stack.baseUrl}/api/collect` && r.request().method() === 'POST')
    await visitor.goto(`${shopOrigin}/account?email=${encodeURIComponent(email)}`)
    expect((await identified).status()).toBe(200)
    const deadline = Date.now() + 20_000
    let how = identifiedBy(email)
    while (how === null && Date.now() < deadline) how = identifiedBy(email)
    expect(how).toBe('verified-identify')

    // Phone width: the same screens, one column, the menu wrapped.
    await page.setViewportSize({ width: 390, height: 844 })
    await page.goto(`${stack.baseUrl}/admin/sites`)
    await screenshot(page, 'onboarding-phone-sites')
    await page.click('tbody a')
    await screenshot(page, 'onboarding-phone-site')
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
    expect(overflow).toBe(0)
    await page.goto(`${stack.baseUrl}/admin/workspace`)
    await screenshot(page, 'onboarding-phone-settings')

    expect(problems).toEqual([])
  })
})
