// The contacts screens in headless Chromium against the product as `npm start` runs it: demo
// visitors become contacts (one reads the pricing plans, so the demo alert fires), the admin
// searches the list with the keyboard, opens a profile with its timeline, gives contacts an owner
// in bulk and one to a sales rep, who then sees only that contact and its outbox row; the profile
// lists the custom fields a campaign set on the contact when it was created. Screens are
// also shot at phone width (no sideways scrolling). Every screen is saved in
// test-results/screenshots/contacts-*.png.
import { spawnSync } from 'node:child_process'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as v from 'valibot'
import { CampaignDefinition } from '../../durable-objects/contracts/campaign'
import { applySql, QUIET_WRANGLER_ENV, type LocalStack } from '../../scripts/local-stack'
import { DEMO, DEMO_PASSWORD, DEMO_SITE_KEY } from '../../worker/demo/demo-data'
import { logIn as logInAs, shotsAtTwoWidths, tabTo } from './support/admin-pages'
import { humanContext, launchChromium } from './support/browser'
import { startTestStack } from './support/test-stack'
import { identifyThenReadPlans } from './support/demo-visitor'

let stack: LocalStack
let browser: Browser

const REP = { id: 'usr_browser_rep', email: 'rita.rep@acme.test', name: 'Rita Rep' }

beforeAll(async () => {
  stack = await startTestStack()
  // A sales rep of the demo workspace with the demo password (the team screens invite one; not the subject here).
  const sql = `INSERT INTO users (id, workspace_id, email, name, role, password_hash)
    SELECT '${REP.id}', workspace_id, '${REP.email}', '${REP.name}', 'sales', password_hash FROM users WHERE id = '${DEMO.admin.id}'`
  const run = spawnSync('npx', ['wrangler', 'd1', 'execute', 'DB', '--local', '--persist-to', stack.persistDir, '--command', sql], {
    env: { ...process.env, ...QUIET_WRANGLER_ENV, CI: 'true' },
    encoding: 'utf8',
  })
  if (run.status !== 0) throw new Error(`adding the rep failed: ${run.stderr}`)
  addFieldsCampaign()
  browser = await launchChromium()
})

afterAll(async () => {
  await browser?.close()
  await stack?.stop()
})

/** Custom fields a campaign sets on every new contact (ON, the rules version bumped so objects load it). */
const FIELDS = { plan: 'Enterprise trial', source: 'Spring webinar <EMEA>' }

function addFieldsCampaign() {
  const definition = v.parse(CampaignDefinition, {
    name: 'New contacts: trial fields',
    triggers: [{ type: 'contact-created' }],
    steps: Object.entries(FIELDS).map(([key, value]) => ({ id: key, type: 'set-field', field: `custom.${key}`, value })),
  })
  const text = (s: string) => `'${s.replaceAll("'", "''")}'`
  const ws = text(DEMO.workspace.id)
  applySql(
    stack.persistDir,
    [
      `INSERT INTO campaigns (id, workspace_id, name, active, current_version, created_by)
        VALUES ('cmp_browser_fields', ${ws}, ${text(definition.name)}, 1, 1, ${text(DEMO.admin.id)});`,
      `INSERT INTO campaign_versions (campaign_id, version, workspace_id, definition, created_by)
        VALUES ('cmp_browser_fields', 1, ${ws}, ${text(JSON.stringify(definition))}, ${text(DEMO.admin.id)});`,
      `UPDATE workspaces SET rules_version = rules_version + 1 WHERE id = ${ws};`,
    ].join('\n'),
  )
}

/** A visitor identified through the collect endpoint, as the tracking script would send it. */
async function identify(n: number, traits: { name: string; company: string }, email: string) {
  const id = (p: string) => `${p}-${Date.now().toString(36)}-${n}`
  const visit = id('visit')
  const res = await fetch(`${stack.baseUrl}/api/collect`, {
    method: 'POST',
    headers: {
      'content-type': 'text/plain',
      origin: stack.baseUrl,
      'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36',
    },
    body: JSON.stringify({
      site: DEMO_SITE_KEY,
      visitor: id('v'),
      events: [
        { id: id('e1'), type: 'pageview', visit, url: `${stack.baseUrl}/demo/docs`, title: 'Docs' },
        { id: id('e2'), type: 'identify', email, traits },
      ],
    }),
  })
  expect(res.status, await res.text()).toBe(200)
}

const shots = (page: Page, name: string) => shotsAtTwoWidths(page, `contacts-${name}`)
const logIn = (page: Page, email: string) => logInAs(page, stack.baseUrl, email, DEMO_PASSWORD)

describe('contacts UI', () => {
  it('lists, searches by keyboard, shows a profile with its timeline, assigns owners; a rep sees only their contact', async () => {
    const problems: string[] = []
    const stamp = Date.now()
    const dana = { name: 'Dana Whitfield', company: 'Northwind Traders', email: `dana.${stamp}@northwind.test` }
    const visitor = await (await humanContext(browser)).newPage()
    await identifyThenReadPlans(visitor, stack.baseUrl, dana)
    const people = [
      { name: 'Zoë Müller', company: 'Kontor GmbH' },
      { name: 'Eli Okafor', company: 'Globex' },
      { name: 'Ana Lima', company: 'Umbrella' },
      { name: 'Sam Park', company: 'Initech' },
    ]
    const emailOf = (name: string) => `${name.split(' ')[0]!.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase()}.${stamp}@buyer.test`
    for (const [i, p] of people.entries()) await identify(i, p, emailOf(p.name))
    // The demo alert fires once Dana has read the plans for 10 s (visible, counted by the server).
    await stack.sink.waitFor((m) => m.text.includes(dana.email), 30_000)
    await visitor.close()

    const admin = await (await humanContext(browser, { viewport: { width: 1200, height: 800 } })).newPage()
    admin.on('console', (m) => m.type() === 'error' && !/status of 40[04]/.test(m.text()) && problems.push(m.text()))
    admin.on('pageerror', (e) => problems.push(e.message))
    await logIn(admin, DEMO.admin.email)
    await admin.click('nav a:text("Contacts")')
    await admin.waitForURL('**/admin/contacts')
    for (const p of [dana, ...people]) await admin.locator(`tbody a:text-is("${p.name}")`).waitFor()
    await shots(admin, 'list')

    // Keyboard only: to the search field by its label's control, a name without its accents, Enter.
    await tabTo(admin, 'contacts-q')
    expect(await admin.getByLabel('Search', { exact: true }).evaluate((el) => el.id)).toBe('contacts-q')
    await admin.keyboard.type('muller')
    await admin.keyboard.press('Enter')
    await admin.waitForURL(/\/admin\/contacts\?q=muller/)
    expect(await admin.locator('tbody tr').count()).toBe(1)
    expect(await admin.locator('tbody').innerText()).toContain('Zoë Müller')
    await shots(admin, 'search')

    // Dana's profile: who she is, and her timeline from her object.
    await admin.goto(`${stack.baseUrl}/admin/contacts?q=${encodeURIComponent('northwind')}`)
    await admin.click(`tbody a:text-is("${dana.name}")`)
    await admin.waitForURL('**/admin/contacts/*')
    expect(await admin.locator('h1').innerText()).toBe(dana.name)
    const timeline = await admin.locator('ol.timeline').innerText()
    expect(timeline).toContain('Alert fired')
    expect(timeline).toContain('Pricing interest')
    expect(timeline).toContain('Viewed a page')
    expect(timeline).toMatch(/visible for \d+ s/)
    expect(timeline).toContain('Sent a form')
    expect(timeline).toContain(dana.email)
    // The custom fields the campaign set, by key; the contact's text escaped (the "<EMEA>" shows as typed).
    const fields = admin.locator('dl.custom-fields')
    expect(await fields.locator('dt').allInnerTexts()).toEqual(['plan', 'source'])
    expect(await fields.locator('dd').allInnerTexts()).toEqual([FIELDS.plan, FIELDS.source])
    await shots(admin, 'profile')

    // Dana goes to the rep: the owner field, the rep, then Save with the keyboard.
    await tabTo(admin, 'contact-owner')
    await admin.selectOption('#contact-owner', REP.id)
    await admin.keyboard.press('Tab')
    expect(await admin.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Save contact')
    await admin.keyboard.press('Enter')
    await admin.waitForURL('**notice=contact-saved')
    expect(await admin.locator('.summary').innerText()).toContain(REP.name)

    // Eli and Ana in bulk to nobody: tick with the space bar, choose, assign.
    await admin.goto(`${stack.baseUrl}/admin/contacts`)
    for (const p of [people[1]!, people[2]!]) {
      await admin.locator(`input[aria-label="Select ${emailOf(p.name)}"]`).focus()
      await admin.keyboard.press('Space')
    }
    await admin.selectOption('#bulk-owner', 'none')
    await admin.click('button:text("Assign owner")')
    await admin.waitForURL('**notice=contacts-assigned')
    await admin.goto(`${stack.baseUrl}/admin/contacts?owner=none`)
    expect((await admin.locator('tbody a').allInnerTexts()).sort()).toEqual(['Ana Lima', 'Eli Okafor'])
    await shots(admin, 'unassigned')

    // The rep sees Dana only, in contacts and in the outbox.
    const rep = await (await humanContext(browser, { viewport: { width: 1200, height: 800 } })).newPage()
    rep.on('pageerror', (e) => problems.push(e.message))
    await logIn(rep, REP.email)
    await rep.click('nav a:text("Contacts")')
    expect(await rep.locator('tbody a').allInnerTexts()).toEqual([dana.name])
    expect(await rep.locator('main').innerText()).toContain('You see the contacts you own.')
    await shots(rep, 'rep-list')
    await rep.click('nav a:text("Outbox")')
    const outbox = await rep.locator('main').innerText()
    expect(outbox).toContain('Pricing interest')
    expect(await rep.locator('tbody tr').count()).toBe(1)
    await shots(rep, 'rep-outbox')

    // A workspace without contacts says what to do (the filter that finds nobody says so too).
    await admin.goto(`${stack.baseUrl}/admin/contacts?q=nobody-at-all`)
    expect(await admin.locator('.empty').innerText()).toContain('No contact matches these filters.')
    await shots(admin, 'no-match')
    expect(problems).toEqual([])
  })
})
