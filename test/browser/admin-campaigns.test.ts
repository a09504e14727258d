// The campaigns screens in headless Chromium against the product as `npm start` runs it: a
// marketer makes a 50-point scoring rule for forms, then builds "form submitted → assign an
// owner in turn among three reps → wait 1 hour → if score ≥ 50, alert the owner" in the builder
// (a refused save first, steps added at a place, one moved and removed with the keyboard), reads
// the summary in words and switches it ON; a visitor of the demo site sends its contact form,
// becomes a contact with 50 points and a rep as owner, and waits; the test moves the contact's
// clock past the hour (the TEST_HOOKS route) and the rep gets the alert at the SMTP sink.
// Every screen is saved in test-results/screenshots/campaigns-*.png.
import { spawnSync } from 'node:child_process'
import type { Browser, Page } from 'playwright-core'
import * as v from 'valibot'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { QUIET_WRANGLER_ENV, startLocalStack, type LocalStack } from '../../scripts/local-stack'
import type { ReceivedMail } from '../../scripts/mail-sink'
import { DEMO, DEMO_PASSWORD } from '../../worker/demo/demo-data'
import { logIn, settledFocus, shotsAtTwoWidths } from './support/admin-pages'
import { humanContext, launchChromium, screenshot, SCREENSHOTS } from './support/browser'
import { freePort } from '../support/free-port'

let stack: LocalStack
let browser: Browser

const REPS = [
  { id: 'usr_rep_ann', email: 'ann.rep@acme.test', name: 'Ann Rep' },
  { id: 'usr_rep_bob', email: 'bob.rep@acme.test', name: 'Bob Rep' },
  { id: 'usr_rep_cid', email: 'cid.rep@acme.test', name: 'Cid Rep' },
]

beforeAll(async () => {
  // TEST_HOOKS opens /api/test: the one-hour wait is crossed by running the contact's schedule now (worker/routes/test-hooks.ts).
  stack = await startLocalStack({
    port: await freePort(),
    vars: { TEST_HOOKS: '1' },
    log: process.env.PB_STACK_LOG ? (l) => process.stdout.write(l) : undefined,
  })
  // Three sales reps of the demo workspace (the team screens invite them; not the subject here).
  const sql = REPS.map(
    (r) => `INSERT INTO users (id, workspace_id, email, name, role, password_hash)
      SELECT '${r.id}', workspace_id, '${r.email}', '${r.name}', 'sales', password_hash FROM users WHERE id = '${DEMO.admin.id}';`,
  ).join('\n')
  const run = spawnSync('npx', ['wrangler', 'd1', 'execute', 'DB', '--local', '--persist-to', stack.persistDir, '--command', sql], {
    env: { ...process.env, ...QUIET_WRANGLER_ENV, CI: 'true' },
    encoding: 'utf8',
  })
  if (run.status !== 0) throw new Error(`adding the reps failed: ${run.stderr}`)
  browser = await launchChromium()
})

afterAll(async () => {
  await browser?.close()
  await stack?.stop()
})

const shots = (page: Page, name: string) => shotsAtTwoWidths(page, `campaigns-${name}`)
const byId = (page: Page, id: string) => page.locator(`[id="${id}"]`)

/** Adds a step of `type` to the list at `listPath` with the keyboard: the type chosen, then the Add button pressed with Enter. */
async function addStep(page: Page, listPath: string, type: string, at?: string) {
  const id = listPath.replace(/\./g, '-')
  await byId(page, `f-addType:${id}`).selectOption(type)
  if (at) await byId(page, `f-addAt:${id}`).selectOption(at)
  await byId(page, `f-add:${id}`).focus()
  await Promise.all([page.waitForEvent('load'), page.keyboard.press('Enter')])
}

describe('campaigns UI', () => {
  it('builds form submitted → round-robin → wait 1 hour → if score ≥ 50 alert the owner, switches it ON after its summary; the rep gets the alert once the hour has passed', async () => {
    const problems: string[] = []
    const page = await (await humanContext(browser, { viewport: { width: 1200, height: 900 } })).newPage()
    // Refused forms answer 400 on purpose; anything else on the console (a CSP refusal, a script error) is a problem.
    page.on('console', (m) => m.type() === 'error' && !/status of 400/.test(m.text()) && problems.push(m.text()))
    page.on('pageerror', (e) => problems.push(e.message))
    await logIn(page, stack.baseUrl, DEMO.admin.email, DEMO_PASSWORD)

    // A scoring rule: 50 points for any form.
    await page.click('nav a:text-is("Campaigns")')
    await page.click('.tabs a:text-is("Scoring rules")')
    await page.click('a:text("New scoring rule")')
    await page.fill('[name=name]', 'Contact form')
    await page.fill('[name=points]', '50')
    await shots(page, 'scoring-form')
    await Promise.all([page.waitForURL('**/admin/scoring-rules?notice=rule-created'), page.click('button:text("Save rule")')])
    await expect.poll(() => page.locator('tbody tr').first().innerText()).toContain('any form')
    await shots(page, 'scoring-list')

    // A smart list of the hot leads: refused without a name (said beside the field), then saved.
    await page.click('.tabs a:text-is("Smart lists")')
    await page.click('a:text("New smart list")')
    await byId(page, 'f-conditions-0-min').fill('50')
    await Promise.all([page.waitForEvent('load'), page.click('button:text("Save list")')])
    expect(await byId(page, 'f-name-error').innerText()).toContain('a name is required')
    expect(await settledFocus(page, 'f-name')).toBe('f-name')
    await shots(page, 'list-form-refused')
    await page.keyboard.type('Hot leads')
    await Promise.all([page.waitForURL('**/admin/lists?notice=list-created'), page.keyboard.press('Enter')])
    expect(await page.locator('tbody tr').first().innerText()).toContain('score at least 50')
    await shots(page, 'lists')

    // The builder: saving with no name and no step is refused beside the fields.
    await page.goto(`${stack.baseUrl}/admin/campaigns`)
    await shots(page, 'list-empty')
    await page.click('a:text("New campaign")')
    await Promise.all([page.waitForEvent('load'), page.click('button:text("Save campaign")')])
    await expect(byId(page, 'f-name-error').innerText()).resolves.toContain('a name is required')
    expect(await page.locator('#f-steps-error').innerText()).toContain('a campaign needs a step')
    expect(await settledFocus(page, 'f-name')).toBe('f-name')
    await shots(page, 'builder-refused')

    await page.keyboard.type('New leads to the reps')
    // A second trigger, a page visited with two pages, looked at and taken away again.
    await byId(page, 'f-addTrigger').selectOption('page-visited')
    await Promise.all([page.waitForEvent('load'), page.click('button[value=add-trigger]')])
    expect(await settledFocus(page, 'f-triggers-1-type')).toBe('f-triggers-1-type')
    await byId(page, 'f-triggers-1-pages-0-pattern').fill('/pricing/**')
    await Promise.all([page.waitForEvent('load'), page.click('button[value="add-page:1"]')])
    expect(await settledFocus(page, 'f-triggers-1-pages-1-pattern')).toBe('f-triggers-1-pages-1-pattern')
    await page.keyboard.type('/plans')
    await page.locator('#b-triggers').screenshot({ path: `${SCREENSHOTS}/campaigns-builder-triggers.png` })
    await Promise.all([page.waitForEvent('load'), page.click('button:text("Remove trigger 2")')])
    expect(await page.locator('[name="triggers.1.type"]').count()).toBe(0)
    await addStep(page, 'steps', 'assign-round-robin')
    // The new step's type has the focus, so a keyboard user carries on from there.
    expect(await settledFocus(page, 'f-steps-0-type')).toBe('f-steps-0-type')
    for (const rep of REPS) await page.check(`[name="steps.0.userIds"][value="${rep.id}"]`)
    await addStep(page, 'steps', 'wait')
    expect(await byId(page, 'f-steps-1-amount').inputValue()).toBe('1')
    expect(await byId(page, 'f-steps-1-unit').inputValue()).toBe('hours')
    await addStep(page, 'steps', 'branch')
    await byId(page, 'f-steps-2-condition-min').fill('50')
    await addStep(page, 'steps.2.yes', 'send-alert')
    expect(await byId(page, 'f-steps-2-yes-0-owner').isChecked()).toBe(true)

    // A tag step put at the top, moved down with the keyboard (the focus follows it), then removed.
    await addStep(page, 'steps', 'add-tag', 'top')
    await byId(page, 'f-steps-0-tag').fill('new lead')
    await byId(page, 'f-steps-0-down').focus()
    await Promise.all([page.waitForEvent('load'), page.keyboard.press('Enter')])
    expect(await settledFocus(page, 'f-steps-1-down')).toBe('f-steps-1-down')
    expect(await byId(page, 'f-steps-1-tag').inputValue()).toBe('new lead')
    expect(await byId(page, 'f-steps-0-type').inputValue()).toBe('assign-round-robin')
    await shots(page, 'builder')
    await Promise.all([page.waitForEvent('load'), byId(page, 'f-steps-1-remove-step').click()])
    expect(await byId(page, 'f-steps-1-type').inputValue()).toBe('wait')
    await screenshot(page, 'campaigns-builder-full')

    await Promise.all([page.waitForURL('**/admin/campaigns/cmp_*?notice=campaign-created'), page.click('button:text("Save campaign")')])
    expect(await page.locator('h1').innerText()).toContain('OFF')
    await shots(page, 'saved')

    // Activation: the summary in words, then ON.
    await page.click('a:text("Review and switch ON")')
    const sentence = await page.locator('[data-summary=sentence]').innerText()
    expect(sentence).toBe(
      'When a contact submits any form: assign an owner in turn among Ann Rep, Bob Rep, Cid Rep and tell them by e-mail; wait 1 hour; ' +
        "if score at least 50: send an alert e-mail to the contact's owner.",
    )
    await shots(page, 'activate')
    await Promise.all([page.waitForURL('**/admin/campaigns/cmp_*?notice=campaign-on'), page.click('button:text("Switch ON")')])
    expect(await page.locator('h1').innerText()).toContain('ON')
    await shots(page, 'report')

    await page.goto(`${stack.baseUrl}/admin/campaigns`)
    const row = page.locator('tbody tr', { has: page.locator('a:text-is("New leads to the reps")') })
    expect(await row.innerText()).toContain('When a contact submits any form')
    await shots(page, 'list')

    // The demo alert is listed among the campaigns; its page sends the reader to the alert's own.
    await Promise.all([page.waitForURL(`**/admin/campaigns/${DEMO.alert.id}`), page.click(`a:text-is("${DEMO.alert.name}")`)])
    expect(await page.locator('#alert-title').innerText()).toBe('This campaign is an alert')
    await shots(page, 'alert-as-campaign')

    // A visitor of the demo site sends its contact form: they become a contact, score 50, and the campaign starts.
    const visitor = await (await humanContext(browser)).newPage()
    const email = `lead.${Date.now()}@buyer.test`
    await visitor.goto(`${stack.baseUrl}/demo/contact`)
    await visitor.fill('input[name=name]', 'Lena Lead')
    await visitor.fill('input[name=email]', email)
    await Promise.all([visitor.waitForURL('**/demo/thanks'), visitor.click('button[type=submit]')])

    // On the contact's page: a rep became the owner, and the run waits out its hour on the timeline.
    await page.goto(`${stack.baseUrl}/admin/contacts?q=${encodeURIComponent(email)}`)
    await Promise.all([page.waitForEvent('load'), page.locator('tbody tr', { hasText: email }).locator('a').first().click()])
    const contactUrl = page.url()
    const deadline = Date.now() + 30_000
    const ownerAndRun = async () => {
      const owner = await page.locator('dt:text-is("Owner") + dd').innerText()
      const run = page.locator('.timeline li.campaign')
      return REPS.some((r) => owner.includes(r.name)) && (await run.count()) > 0 && (await run.first().innerText()).includes('waiting')
    }
    while (!(await ownerAndRun())) {
      if (Date.now() > deadline) throw new Error(`no rep owner and waiting run on ${contactUrl}: ${await page.locator('main').innerText()}`)
      await page.reload()
    }
    const run = await page.locator('.timeline li.campaign').first().innerText()
    expect(run).toContain('New leads to the reps')
    expect(run).toContain('started when a form is submitted')
    await shots(page, 'contact-timeline')

    // Past the hour: the score is ≥ 50, so the owner gets the alert e-mail — not before.
    const owner = await page.locator('dt:text-is("Owner") + dd').innerText()
    const rep = REPS.find((r) => owner.includes(r.name))!
    const alertToRep = (m: ReceivedMail) =>
      m.envelopeTo.includes(rep.email) && !m.subject.includes('assigned to you') && m.text.includes(email)
    const contactId = new URL(contactUrl).pathname.split('/').at(-1)!
    expect(stack.sink.messages.filter(alertToRep)).toEqual([])
    const runSchedule = async () => {
      const res = await fetch(`${stack.baseUrl}/api/test/contacts/${contactId}/run-schedule`, { method: 'POST' })
      expect(res.status).toBe(200)
      return v.parse(v.object({ ran: v.boolean() }), await res.json())
    }
    for (let i = 0; i < 10; i++) {
      await runSchedule()
      await page.reload()
      if ((await page.locator('.timeline li.campaign').first().innerText()).includes('done')) break
    }
    const mail = await stack.sink.waitFor(alertToRep, 30_000)
    expect(mail.subject).toBe('[Pagebell] New leads to the reps')
    // The round-robin also told the rep at once that the contact is theirs.
    expect(stack.sink.messages.some((m) => m.envelopeTo.includes(rep.email) && m.subject.includes('assigned to you'))).toBe(true)
    expect(await page.locator('.timeline li.campaign').first().innerText()).toContain('done')
    await shots(page, 'contact-run-done')

    // The report counts the run and its steps, once the object has written its counts (a minute later: the schedule again).
    for (let i = 0; i < 10 && (await runSchedule()).ran; i++);
    await page.goto(`${stack.baseUrl}/admin/campaigns`)
    await page.click('a:text-is("New leads to the reps")')
    expect(await page.locator('[data-figure=started]').innerText()).toBe('1')
    expect(await page.locator('[data-figure=finished]').innerText()).toBe('1')
    const reached = (words: string) => page.locator('table.step-counts tr', { hasText: words }).locator('td').first().innerText()
    expect(await reached('wait 1 hour')).toBe('1')
    expect(await reached("send an alert e-mail to the contact's owner")).toBe('1')
    await shots(page, 'report-counted')

    expect(problems).toEqual([])
  })
})
