// Steps the admin browser tests share: logging in through the form, tabbing to a field, and
// screenshots at desktop and at phone width, where no admin page may scroll sideways.
import type { Page } from 'playwright-core'
import { expect } from 'vitest'
import { screenshot } from './browser'

export const PHONE_WIDTH = 390

/** Logs in through the login form and waits for the page it leads to (the alerts, unless `landing` says). */
export async function logIn(page: Page, baseUrl: string, email: string, password: string, landing = '**/admin/alerts') {
  await page.goto(`${baseUrl}/admin/login`)
  await page.fill('input[name=email]', email)
  await page.fill('input[name=password]', password)
  await page.keyboard.press('Enter')
  await page.waitForURL(landing)
}

/** Tabs until the element with this id has the focus. */
export async function tabTo(page: Page, id: string, maxPresses = 60) {
  for (let i = 0; i < maxPresses; i++) {
    if (await page.evaluate((want) => document.activeElement?.id === want, id)) return
    await page.keyboard.press('Tab')
  }
  throw new Error(`tabbing never reached #${id}`)
}

/**
 * The focused element's `attribute` once focus has settled on `expected` (autofocus is applied at
 * a rendering step that can come after the load event), or whatever holds it after 5 s.
 */
export async function settledFocus(page: Page, expected: string, attribute: 'id' | 'name' = 'id'): Promise<string> {
  await page
    .waitForFunction(([want, attr]) => document.activeElement?.getAttribute(attr) === want, [expected, attribute] as const, {
      timeout: 5_000,
    })
    .catch(() => {})
  return page.evaluate((attr) => document.activeElement?.getAttribute(attr) ?? '', attribute)
}

/** `name`.png at the current size and `name`-phone.png at phone width, where the page must not scroll sideways. */
export async function shotsAtTwoWidths(page: Page, name: string) {
  await screenshot(page, name)
  const size = page.viewportSize()
  await page.setViewportSize({ width: PHONE_WIDTH, height: 800 })
  // Shot first, so a page that scrolls sideways can be seen.
  await screenshot(page, `${name}-phone`)
  expect(await page.evaluate(() => document.documentElement.scrollWidth), `${name} at phone width`).toBeLessThanOrEqual(PHONE_WIDTH)
  if (size) await page.setViewportSize(size)
}
