// The whole way from an empty instance to a sales rep's alert, in Chromium against the product
// as it runs locally (wrangler dev with its own state folder, no demo data, the real SMTP sink):
// setup creates the workspace and its first admin; a site for a second local origin; its copied
// snippet on the customer's pages sends events and the install check turns green; a sales rep
// invited by e-mail sets a password from the link; a visitor who sends the customer's contact
// form becomes a contact, given to the rep; an alert for "the contact's owner" fires when that
// contact reads the pricing page long enough, and the rep receives it. Another visitor's contact
// stays the admin's: the rep sees neither it nor its outbox row, in the lists, on the alert's page,
// by its address (404) or through the REST API with the rep's token. Every screen is saved at
// desktop and phone width in test-results/screenshots/e2e-*.png.
import type { Browser, BrowserContext, Page } from 'playwright-core'
import * as v from 'valibot'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LocalStack } from '../../scripts/local-stack'
import type { ReceivedMail } from '../../scripts/mail-sink'
import { logIn, shotsAtTwoWidths } from './support/admin-pages'
import { humanContext, launchChromium } from './support/browser'
import { startTestStack } from './support/test-stack'
import { serveCustomerSite, type CustomerSite } from './support/customer-site'

let stack: LocalStack
let browser: Browser
let shop: CustomerSite
/** What the customer pastes into every page's <head>: set once copied from the site's page. */
let snippet = ''

const ADMIN = { name: 'Olga Owner', email: 'olga@corner.test', password: 'fresh bread every morning' }
const REP = { name: 'Rita Rep', email: 'rita@corner.test', password: 'rita reads the leads' }
const ALERT = { name: 'Pricing readers', seconds: 3 }
const stamp = Date.now()
const buyers = {
  rita: { name: 'Dana Buyer', email: `dana.${stamp}@buyer.test` },
  olga: { name: 'Sam Other', email: `sam.${stamp}@other.test` },
}

/** The customer's pages: a home page, a contact form that thanks you, a pricing page; all carry the snippet. */
function shopPage(url: URL): string | null {
  const body: Record<string, string> = {
    '/': '<h1>Corner Shop</h1><p>Fresh bread every morning.</p><a href="/contact">Contact us</a>',
    '/contact': `<h1>Contact us</h1><form id="contact" action="/thanks" method="post">
<label>Name <input name="name" autocomplete="name"></label>
<label>E-mail <input name="email" type="email" required></label>
<button type="submit">Send</button></form>`,
    '/thanks': '<h1>Thank you</h1><p>We will be in touch.</p>',
    '/pricing': '<h1>Pricing</h1><p>Bread subscriptions from 9 € a week.</p>',
  }
  const main = body[url.pathname]
  if (main === undefined) return null
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Corner Shop ${url.pathname}</title>${snippet}</head>
<body>${main}</body></html>`
}

beforeAll(async () => {
  stack = await startTestStack({ demo: false })
  browser = await launchChromium()
  shop = await serveCustomerSite(shopPage)
})

afterAll(async () => {
  await browser?.close()
  await shop?.close()
  await stack?.stop()
})

const collected = (page: Page) => page.waitForResponse((r) => r.url() === `${stack.baseUrl}/api/collect` && r.request().method() === 'POST')

/** A visitor who sends the customer's contact form: the e-mail typed identifies them. */
async function sendContactForm(visitor: Page, who: { name: string; email: string }) {
  await visitor.goto(`${shop.origin}/contact`)
  await visitor.fill('input[name=name]', who.name)
  await visitor.fill('input[name=email]', who.email)
  const sent = collected(visitor)
  await Promise.all([visitor.waitForURL('**/thanks'), visitor.click('button[type=submit]')])
  expect((await sent).status()).toBe(200)
}

/** The contacts list, reloaded until the contact is there (identify reaches D1 through the objects). */
async function waitForContact(page: Page, name: string) {
  const deadline = Date.now() + 20_000
  for (;;) {
    await page.goto(`${stack.baseUrl}/admin/contacts`)
    if ((await page.locator(`tbody a:text-is("${name}")`).count()) > 0) return
    if (Date.now() > deadline) throw new Error(`${name} never appeared in the contacts list`)
  }
}

/** A page whose console errors and script errors are collected; 404s asked for on purpose are not errors. */
function watched(context: BrowserContext, problems: string[]) {
  return context.newPage().then((page) => {
    page.on(
      'console',
      (m) => m.type() === 'error' && !/status of 40[034]/.test(m.text()) && problems.push(`${m.text()} ${m.location().url}`),
    )
    page.on('pageerror', (e) => problems.push(e.message))
    return page
  })
}

const RepOutbox = v.object({ deliveries: v.array(v.object({ recipients: v.array(v.string()) })) })

const alertFor = (email: string, to: string) => (m: ReceivedMail) => m.envelopeTo.includes(to) && m.text.includes(email)

describe('onboarding end to end', () => {
  it('goes from an instance with no user to a sales rep receiving the alert for their contact, and seeing only their own', async () => {
    const problems: string[] = []
    const adminContext = await humanContext(browser, { viewport: { width: 1200, height: 800 }, timezoneId: 'Europe/Warsaw' })
    await adminContext.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: stack.baseUrl })
    const admin = await watched(adminContext, problems)

    // 1. Setup: the workspace and its first admin.
    await admin.goto(`${stack.baseUrl}/admin`)
    await admin.waitForURL('**/admin/setup')
    await shotsAtTwoWidths(admin, 'e2e-01-setup')
    await admin.fill('input[name=workspace]', 'Corner Shop')
    await admin.fill('input[name=name]', ADMIN.name)
    await admin.fill('input[name=email]', ADMIN.email)
    await admin.fill('input[name=password]', ADMIN.password)
    await admin.keyboard.press('Enter')
    await admin.waitForURL('**/admin/sites?notice=welcome')
    // The demo site sends events under the demo workspace's key: a customer's workspace is not offered it.
    expect(await admin.locator('nav').innerText()).not.toContain('Demo site')
    await shotsAtTwoWidths(admin, 'e2e-02-sites-empty')

    // 2. A site for the customer's origin (localhost), and its snippet through the copy button.
    await admin.click('a:text("Add your first site")')
    await admin.fill('input[name=name]', 'Corner Shop website')
    await admin.fill('textarea[name=allowedDomains]', 'localhost')
    await shotsAtTwoWidths(admin, 'e2e-03-site-form')
    await admin.click('button:text("Save site")')
    await admin.waitForURL(/\/admin\/sites\/site_\w+\?notice=site-created/)
    const sitePage = admin.url()
    expect(await admin.getAttribute('[data-install]', 'data-install')).toBe('waiting')
    await shotsAtTwoWidths(admin, 'e2e-04-site-waiting')
    await admin.click('button:text("Copy the snippet")')
    await admin.locator('button[data-copy=snippet]', { hasText: 'Copied ✓' }).waitFor()
    snippet = await admin.evaluate(() => navigator.clipboard.readText())
    expect(snippet).toMatch(/^<script async src="http:\/\/127\.0\.0\.1:\d+\/pb\.js" data-site="pk_[\w-]{22}"><\/script>$/)

    // 3. The snippet on the customer's page sends events; the install check turns green by itself.
    const dana = await watched(await humanContext(browser), problems)
    const first = collected(dana)
    await dana.goto(`${shop.origin}/`)
    expect((await first).status()).toBe(200)
    await admin.locator('[data-install=live]').waitFor({ timeout: 20_000 })
    expect(await admin.locator('[data-install-text]').innerText()).toContain(`from ${shop.origin}`)
    await shotsAtTwoWidths(admin, 'e2e-05-site-live')

    // 4. Invite a sales rep; the invitation arrives at the SMTP sink and its link sets the password.
    await admin.click('nav a:text("Team")')
    await admin.fill('#invite-email', REP.email)
    await admin.selectOption('#invite-role', 'sales')
    await admin.fill('#invite-name', REP.name)
    await admin.keyboard.press('Enter')
    await admin.waitForURL('**/admin/team?notice=invited')
    await shotsAtTwoWidths(admin, 'e2e-06-team-invited')
    const invitation = await stack.sink.waitFor((m) => m.envelopeTo.includes(REP.email), 30_000)
    const link = /https?:\/\/\S+\/admin\/invite\/pbl_[\w-]{43}/.exec(invitation.text)?.[0] ?? ''
    expect(link).not.toBe('')
    const rep = await watched(await humanContext(browser, { viewport: { width: 1200, height: 800 } }), problems)
    await rep.goto(link)
    await shotsAtTwoWidths(rep, 'e2e-07-rep-join')
    await rep.fill('#new-password', REP.password)
    await rep.fill('#confirm-password', REP.password)
    await rep.keyboard.press('Enter')
    await rep.waitForURL('**/admin/account?notice=welcome')
    await shotsAtTwoWidths(rep, 'e2e-08-rep-account')

    // 5. Two visitors send the contact form: Dana (to be the rep's) and Sam (stays with the site's default owner, the admin).
    await sendContactForm(dana, buyers.rita)
    const sam = await watched(await humanContext(browser), problems)
    await sendContactForm(sam, buyers.olga)
    await waitForContact(admin, buyers.rita.name)
    await waitForContact(admin, buyers.olga.name)
    await shotsAtTwoWidths(admin, 'e2e-09-contacts')
    const samHref = (await admin.locator(`tbody a:text-is("${buyers.olga.name}")`).getAttribute('href')) ?? ''
    expect(samHref).toMatch(/^\/admin\/contacts\/[\w-]+$/)

    // 6. Dana goes to the rep, on her profile.
    await admin.click(`tbody a:text-is("${buyers.rita.name}")`)
    await admin.waitForURL('**/admin/contacts/*')
    expect(await admin.locator('ol.timeline').innerText()).toContain('Sent a form')
    await admin.selectOption('#contact-owner', { label: `${REP.name} (${REP.email})` })
    await admin.click('button:text("Save contact")')
    await admin.waitForURL('**notice=contact-saved')
    expect(await admin.locator('.summary').innerText()).toContain(REP.name)
    await shotsAtTwoWidths(admin, 'e2e-10-contact-assigned')

    // 7. An alert for the contact's owner: the pricing page for a few seconds.
    await admin.click('nav a:text("Alerts")')
    await admin.click('text=+ New alert')
    await admin.fill('input[name=name]', ALERT.name)
    await admin.locator('input[name=pattern]').first().fill('/pricing')
    await admin.locator('input[name=minSeconds]').first().fill(String(ALERT.seconds))
    expect(await admin.locator('input[name=notifyOwner]').isChecked()).toBe(true)
    await admin.locator('input[name=notifyCreator]').uncheck()
    await shotsAtTwoWidths(admin, 'e2e-11-alert-wizard')
    await admin.click('button:text("Save alert")')
    await admin.waitForURL(/\/admin\/alerts\/alr_\w+\?notice=created/)
    const alertPage = admin.url().replace(/\?.*$/, '')
    await shotsAtTwoWidths(admin, 'e2e-12-alert')

    // 8. Both contacts read the pricing page until the alert is due (the server counts visible time on its own clock).
    await Promise.all([dana.goto(`${shop.origin}/pricing`), sam.goto(`${shop.origin}/pricing`)])
    const toRep = await stack.sink.waitFor(alertFor(buyers.rita.email, REP.email), 30_000)
    expect(toRep.subject).toBe(`[Pagebell] ${ALERT.name}`)
    expect(toRep.envelopeTo).toEqual([REP.email])
    const toAdmin = await stack.sink.waitFor(alertFor(buyers.olga.email, ADMIN.email), 30_000)
    expect(toAdmin.envelopeTo).toEqual([ADMIN.email])
    expect(stack.sink.messages.filter((m) => m.text.includes(buyers.olga.email) && m.envelopeTo.includes(REP.email))).toEqual([])

    await admin.click('nav a:text("Outbox")')
    await expect.poll(() => admin.locator('tbody tr').count()).toBe(2)
    // Each row says whom the alert is about.
    for (const buyer of [buyers.rita, buyers.olga]) await admin.locator(`tbody a:text-is("${buyer.name}")`).waitFor()
    await shotsAtTwoWidths(admin, 'e2e-13-admin-outbox')

    // 9. The rep signs in again with the password the invitation's link set: their contact only, their outbox
    // row only; Sam's profile is not found by its address either.
    await rep.click('button:text("Log out")')
    await rep.waitForURL('**/admin/login')
    await logIn(rep, stack.baseUrl, REP.email, REP.password)
    await rep.click('nav a:text("Contacts")')
    expect(await rep.locator('tbody a').allInnerTexts()).toEqual([buyers.rita.name])
    await shotsAtTwoWidths(rep, 'e2e-14-rep-contacts')
    await rep.click('nav a:text("Outbox")')
    expect(await rep.locator('tbody tr').count()).toBe(1)
    const row = await rep.locator('tbody tr').innerText()
    expect(row).toContain(buyers.rita.name)
    expect(row).toContain(REP.email)
    expect(row).not.toContain(ADMIN.email)
    await shotsAtTwoWidths(rep, 'e2e-15-rep-outbox')
    await rep.goto(alertPage)
    const deliveries = await rep.locator('tbody').last().innerText()
    expect(deliveries).toContain(buyers.rita.name)
    expect(deliveries).not.toContain(buyers.olga.name)
    expect(deliveries).not.toContain(ADMIN.email)
    expect(await rep.locator('main').innerText()).toContain('The alerts about the contacts you own.')
    await shotsAtTwoWidths(rep, 'e2e-16-rep-alert')
    const samProfile = await rep.goto(`${stack.baseUrl}${samHref}`)
    expect(samProfile?.status()).toBe(404)
    expect(await rep.locator('main').innerText()).not.toContain(buyers.olga.email)
    await shotsAtTwoWidths(rep, 'e2e-17-rep-other-contact')
    // The same through the REST API, with a token the rep makes on the tokens screen.
    await rep.click('nav a:text("API tokens")')
    await rep.fill('input[name=name]', 'CRM sync')
    await rep.click('button:text("Create token")')
    const token = (await rep.locator('[data-testid=new-token]').textContent()) ?? ''
    const asRep = (path: string) => fetch(`${stack.baseUrl}/api/v1${path}`, { headers: { authorization: `Bearer ${token}` } })
    const samId = samHref.split('/').pop() ?? ''
    expect((await asRep(`/contacts/${samId}`)).status).toBe(404)
    const outbox = v.parse(RepOutbox, await (await asRep('/outbox')).json())
    expect(outbox.deliveries.map((d) => d.recipients)).toEqual([[REP.email]])

    // Their own contact, from their outbox row.
    await rep.click('nav a:text("Outbox")')
    await rep.click(`tbody a:text-is("${buyers.rita.name}")`)
    await rep.waitForURL('**/admin/contacts/*')
    expect(await rep.locator('ol.timeline').innerText()).toContain(ALERT.name)
    await shotsAtTwoWidths(rep, 'e2e-18-rep-contact')

    await admin.goto(sitePage)
    expect(problems).toEqual([])
  })
})
