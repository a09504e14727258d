// The team in headless Chromium against the product as `npm start` runs it: the demo admin
// invites a sales rep with the keyboard only (a mistake first), the invitation arrives at the
// local SMTP sink through the queue, the rep opens its link, chooses a password and lands in
// their account; the admin sees the rep active with a session and ends it; the rep, logged out,
// asks for a reset link from the login page and sets a new password. Screens are also shot at
// phone width (no sideways scrolling). Every screen is saved in test-results/screenshots/team-*.png.
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LocalStack } from '../../scripts/local-stack'
import { DEMO, DEMO_PASSWORD } from '../../worker/demo/demo-data'
import { settledFocus, shotsAtTwoWidths, tabTo } from './support/admin-pages'
import { humanContext, launchChromium } from './support/browser'
import { startTestStack } from './support/test-stack'

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

const shots = (page: Page, name: string) => shotsAtTwoWidths(page, `team-${name}`)

const linkIn = (text: string, purpose: 'invite' | 'reset') =>
  new RegExp(`https?://[^\\s]+/admin/${purpose}/pbl_[\\w-]{43}`).exec(text)?.[0] ?? ''

describe('team UI', () => {
  it('invites a sales rep by keyboard, who joins from the e-mail; sessions; a password reset from the login page', async () => {
    const problems: string[] = []
    const admin = await (await humanContext(browser, { viewport: { width: 1200, height: 800 } })).newPage()
    admin.on('console', (m) => m.type() === 'error' && !/status of 4(00|09|10)/.test(m.text()) && problems.push(m.text()))
    admin.on('pageerror', (e) => problems.push(e.message))

    await admin.goto(`${stack.baseUrl}/admin/login`)
    await admin.fill('input[name=email]', DEMO.admin.email)
    await admin.fill('input[name=password]', DEMO_PASSWORD)
    await admin.keyboard.press('Enter')
    await admin.waitForURL('**/admin/alerts')
    await admin.click('nav a:text("Team")')
    await admin.waitForURL('**/admin/team')
    await shots(admin, 'list')

    // Keyboard only: a typo first, refused in place, then the right address.
    const email = `rita.${Date.now()}@acme.test`
    // The browser's own check would stop the typo before the server sees it: this is about the server's answer.
    await admin.evaluate(() => document.querySelector('form[action="/admin/team/invite"]')?.setAttribute('novalidate', ''))
    await tabTo(admin, 'invite-email')
    await admin.keyboard.type('rita.acme.test')
    await tabTo(admin, 'invite-role')
    await admin.keyboard.press('End')
    expect(await admin.locator('#invite-role').inputValue()).toBe('sales')
    await tabTo(admin, 'invite-name')
    await admin.keyboard.type('Rita Rep')
    await admin.keyboard.press('Enter')
    await admin.locator('#invite-email-error').waitFor()
    expect(await admin.locator('#invite-email-error').innerText()).toContain('not an e-mail address')
    expect(await settledFocus(admin, 'invite-email')).toBe('invite-email')
    await shots(admin, 'invite-refused')
    await admin.keyboard.press('Control+A')
    await admin.keyboard.type(email)
    await admin.keyboard.press('Enter')
    await admin.waitForURL('**/admin/team?notice=invited')
    expect(await admin.locator('.notice').innerText()).toContain('Invitation sent')
    await shots(admin, 'invited')

    const invitation = await stack.sink.waitFor((m) => m.envelopeTo.includes(email), 15_000)
    expect(invitation.subject).toBe('[Pagebell] You are invited to a workspace')
    expect(invitation.text).toContain('as a sales rep')

    const rep = await (await humanContext(browser, { viewport: { width: 1200, height: 800 } })).newPage()
    rep.on('pageerror', (e) => problems.push(e.message))
    await rep.goto(linkIn(invitation.text, 'invite'))
    expect(await rep.locator('h1').innerText()).toBe('Join your team on Pagebell')
    await shots(rep, 'join')
    await rep.fill('#invitee-name', 'Rita R.')
    await rep.fill('#new-password', 'rita chooses a long one')
    await rep.fill('#confirm-password', 'rita chooses a long one')
    await rep.keyboard.press('Enter')
    await rep.waitForURL('**/admin/account?notice=welcome')
    expect(await rep.locator('.notice').innerText()).toContain('Welcome')
    expect(await rep.locator('nav').innerText()).not.toContain('Team')
    await shots(rep, 'account')

    // The admin sees Rita active, with one session, and ends it: Rita's next click goes to the login page.
    await admin.goto(`${stack.baseUrl}/admin/team`)
    await admin.click(`a[aria-label="Manage Rita R."]`)
    expect(await admin.locator('.summary').innerText()).toContain('Active')
    expect(await admin.locator('section[aria-labelledby=sessions-heading] tbody tr').count()).toBe(1)
    await shots(admin, 'member')
    await admin.click('section[aria-labelledby=sessions-heading] button:text("End session")')
    await admin.waitForURL('**notice=session-ended')
    await rep.goto(`${stack.baseUrl}/admin/contacts`)
    await rep.waitForURL('**/admin/login?next=*')

    // Forgot the password: the link on the login page, the e-mail, a new password.
    await rep.click('a:text("Forgot your password?")')
    await rep.fill('#forgot-email', email)
    await rep.keyboard.press('Enter')
    expect(await rep.locator('.notice').innerText()).toContain('is on its way')
    await shots(rep, 'forgot-sent')
    const reset = await stack.sink.waitFor((m) => m.envelopeTo.includes(email) && m.subject.includes('Reset'), 15_000)
    await rep.goto(linkIn(reset.text, 'reset'))
    await rep.fill('#new-password', 'rita chooses another')
    await rep.fill('#confirm-password', 'rita chooses another')
    await rep.keyboard.press('Enter')
    await rep.waitForURL('**/admin/account?notice=password-reset')
    await rep.goto(linkIn(reset.text, 'reset'))
    expect(await rep.locator('h1').innerText()).toBe('This link no longer works')
    await shots(rep, 'link-gone')
    expect(problems).toEqual([])
  })
})
