// The Chromium the browser tests drive (see find-chromium.ts: never a browser downloaded at test
// time), launched by playwright-core with the flags this closed network needs, and a place for
// screenshots people look at.
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core'
import { findChromium } from './find-chromium'

export const SCREENSHOTS = 'test-results/screenshots'

export async function launchChromium(): Promise<Browser> {
  const found = findChromium()
  return chromium.launch({
    executablePath: found.executablePath,
    env: { ...process.env, ...found.env },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true })
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true })
}

/**
 * A context that presents itself as the desktop Chrome it is: the collect endpoint drops
 * headless user agents as bots, as it should for real traffic.
 */
export function humanContext(browser: Browser, options: BrowserContextOptions = {}): Promise<BrowserContext> {
  const userAgent = `Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${browser.version()} Safari/537.36`
  return browser.newContext({ userAgent, viewport: { width: 1100, height: 700 }, ...options })
}
