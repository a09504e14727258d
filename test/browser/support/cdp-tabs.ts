// Tabs whose visibility Chromium itself changes, for tests of visible-time accounting. A page
// that playwright-core launches stays "visible" whatever happens to its tab: Playwright turns on
// focus emulation for every page it creates, and Chromium keeps such a page visible as if it
// were being captured. So this starts Chromium itself (headless=new), attaches with
// connectOverCDP({ noDefaults: true }) and opens pages in the default context, which Playwright
// then leaves alone. Hiding a page = opening a tab in front of it in the same window
// (Target.createTarget with newWindow: false, background: false, then Target.activateTarget);
// showing it = activating its own tab again. Chromium fires `visibilitychange` for both.
// The bundled fallback (find-chromium.ts) is chrome-headless-shell, which has no tabs: it accepts
// these commands and keeps every page visible. There, and only there, hide/show flip
// document.hidden through an init script and fire `visibilitychange` as a tab switch does.
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { findChromium } from './find-chromium'

export type RealTabs = {
  browser: Browser
  /** The default context: pages opened here can really be hidden. Storage persists across pages. */
  context: BrowserContext
  /** Puts a new tab in front of `page`; resolves once the page reports itself hidden. */
  hide(page: Page): Promise<void>
  /** Brings `page`'s tab back to the front; resolves once the page reports itself visible. */
  show(page: Page): Promise<void>
  close(): Promise<void>
}

/** Polled from Node: a hidden page runs no animation frames, and a test may have installed a fake clock. */
async function until(page: Page, hidden: boolean): Promise<void> {
  const deadline = Date.now() + 5_000
  while ((await page.evaluate(() => document.hidden)) !== hidden) {
    if (Date.now() > deadline) throw new Error(`the page did not become ${hidden ? 'hidden' : 'visible'}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

const HIDDEN_ATTR = 'data-test-hidden'

/** Runs in the page: document.hidden and visibilityState follow an attribute of <html>, adding no global. */
function controllableVisibility(attr: string): void {
  const hidden = () => document.documentElement?.hasAttribute(attr) ?? false
  Object.defineProperty(Document.prototype, 'hidden', { configurable: true, get: hidden })
  Object.defineProperty(Document.prototype, 'visibilityState', { configurable: true, get: () => (hidden() ? 'hidden' : 'visible') })
}

async function setHidden(page: Page, hidden: boolean): Promise<void> {
  await page.evaluate(
    ([attr, h]) => {
      document.documentElement.toggleAttribute(attr, h)
      document.dispatchEvent(new Event('visibilitychange', { bubbles: true }))
    },
    [HIDDEN_ATTR, hidden] as const,
  )
}

async function targetId(page: Page): Promise<string> {
  const session = await page.context().newCDPSession(page)
  const { targetInfo } = await session.send('Target.getTargetInfo')
  await session.detach()
  return targetInfo.targetId
}

/** `userAgent`: the collect endpoint drops headless user agents as bots; tests against the worker pass a desktop one. */
export async function launchRealTabs(options: { userAgent?: string } = {}): Promise<RealTabs> {
  const found = findChromium()
  const profile = mkdtempSync(join(tmpdir(), 'pagebell-tabs-'))
  const args = [
    '--headless=new',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ]
  if (options.userAgent) args.push(`--user-agent=${options.userAgent}`)
  const child = spawn(found.executablePath, [...args, '--remote-debugging-port=0', `--user-data-dir=${profile}`, 'about:blank'], {
    env: { ...process.env, ...found.env },
    stdio: ['ignore', 'ignore', 'pipe'],
    // Its own process group, so closing ends its helper processes too (they write into the profile).
    detached: true,
  })
  const endpoint = await new Promise<string>((resolve, reject) => {
    let log = ''
    child.stderr.on('data', (d: Buffer) => {
      log += d.toString()
      const m = /DevTools listening on (ws:\S+)/.exec(log)
      if (m) resolve(m[1]!)
    })
    child.once('exit', (code) => reject(new Error(`chromium exited (${code}) before listening:\n${log}`)))
  })
  const browser = await chromium.connectOverCDP(endpoint, { noDefaults: true })
  const context = browser.contexts()[0]!
  const cdp = await browser.newBrowserCDPSession()
  const emulated = found.source === 'bundled'
  if (emulated) await context.addInitScript(controllableVisibility, HIDDEN_ATTR)
  let cover: string | undefined
  return {
    browser,
    context,
    async hide(page) {
      if (emulated) return setHidden(page, true)
      cover ??= (await cdp.send('Target.createTarget', { url: 'about:blank', newWindow: false, background: false })).targetId
      await cdp.send('Target.activateTarget', { targetId: cover })
      await until(page, true)
    },
    async show(page) {
      if (emulated) return setHidden(page, false)
      await cdp.send('Target.activateTarget', { targetId: await targetId(page) })
      await until(page, false)
    },
    async close() {
      await browser.close().catch(() => {})
      const exited = child.exitCode === null && child.signalCode === null ? new Promise((r) => child.once('exit', r)) : null
      try {
        process.kill(-child.pid!, 'SIGKILL')
      } catch {
        // The group is already gone.
      }
      await exited
      try {
        rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 })
      } catch (err) {
        // A helper that left the group may still hold the profile: a stale temp directory is
        // no reason to fail the test that just passed.
        console.warn(`left the Chromium profile ${profile}: ${String(err)}`)
      }
    },
  }
}
