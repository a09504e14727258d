// A visitor of the demo site who leaves their e-mail on the contact form and then opens the
// plans page, which the demo alert "Pricing interest" watches. Returns when the plans were opened.
import type { Page } from 'playwright-core'
import { screenshot } from './browser'

export async function identifyThenReadPlans(
  page: Page,
  baseUrl: string,
  visitor: { name: string; company?: string; email: string },
  screenshotPrefix?: string,
): Promise<{ plansOpenedAt: number }> {
  await page.goto(`${baseUrl}/demo`)
  if (screenshotPrefix) await screenshot(page, `${screenshotPrefix}-home`)
  await page.goto(`${baseUrl}/demo/contact`)
  await page.fill('input[name=name]', visitor.name)
  if (visitor.company) await page.fill('input[name=company]', visitor.company)
  await page.fill('input[name=email]', visitor.email)
  if (screenshotPrefix) await screenshot(page, `${screenshotPrefix}-contact-form`)
  await Promise.all([page.waitForURL('**/demo/thanks'), page.click('button[type=submit]')])
  const plansOpenedAt = Date.now()
  await page.goto(`${baseUrl}/demo/pricing/plans`)
  if (screenshotPrefix) await screenshot(page, `${screenshotPrefix}-pricing-plans`)
  return { plansOpenedAt }
}
