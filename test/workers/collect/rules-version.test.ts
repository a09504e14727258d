// One rules version per workspace: every site of a workspace, a site added later too, carries
// the same number, so a contact object that cached rules through one site reloads them when an
// event arrives through another after a change. (With a number per site, a site added later
// started at 1 and could present the very number the object had cached: stale rules.)
import { env, runDurableObjectAlarm } from 'cloudflare:test'
import { beforeAll, describe, expect, it } from 'vitest'
import { contactStub } from '../../../durable-objects/contact-stub'
import { changeAlert } from '../../../worker/alerts/alert-changes'
import { createDb } from '../../../worker/db/client'
import { findSiteByKey } from '../../../worker/db/queries/sites'
import { sites } from '../../../worker/db/schema'
import { newId } from '../support/collect'
import { identifiedVisitor, identify, openPage, sendShop } from '../contact-object/shop-visitor'
import { createWorkspace, type Fixture } from '../contact-object/workspace-fixture'

let shop: Fixture

beforeAll(async () => {
  shop = await createWorkspace()
})

/** A second site of the shop's workspace, added now (after the workspace's rules have changed). */
async function addSite(): Promise<Fixture> {
  const siteId = newId('site')
  const siteKey = newId('key')
  await createDb(env.DB)
    .insert(sites)
    .values({
      id: siteId,
      workspaceId: shop.workspaceId,
      key: siteKey,
      name: 'Blog',
      allowedDomains: ['shop.test'],
      defaultOwnerId: shop.ownerId,
    })
  return { ...shop, siteId, siteKey }
}

const versionOf = async (site: Fixture) => (await findSiteByKey(createDb(env.DB), site.siteKey))?.rulesVersion

describe('rules version: one per workspace', () => {
  it('gives every site of a workspace, a new one too, the same version, and bumps them together', async () => {
    await shop.addAlert('First', { pages: [{ pattern: '/x', minSeconds: 0 }] })
    const blog = await addSite()
    expect(await versionOf(blog)).toBe(await versionOf(shop))
    const before = await versionOf(shop)
    await shop.addAlert('Second', { pages: [{ pattern: '/y', minSeconds: 0 }] })
    expect(await versionOf(shop)).toBe((before ?? 0) + 1)
    expect(await versionOf(blog)).toBe(await versionOf(shop))
  })

  it('makes a contact object reload its rules when the event after a change comes through another site', async () => {
    const alertId = await shop.addAlert('Docs', { pages: [{ pattern: '/docs', minSeconds: 0 }], count: 5 })
    // The contact's object caches the rules through the first site.
    const { visitor, email, contact } = await identifiedVisitor(shop)
    await openPage(shop, visitor, '/docs', 'heartbeat', 1_000)
    await runDurableObjectAlarm(contactStub(env, contact.id))
    expect(await contactStub(env, contact.id).ruleCounters(alertId)).toMatchObject([{ sent: 1 }])

    // A site added after that, and then the alert moves to another page.
    const blog = await addSite()
    await changeAlert(env, shop.workspaceId, alertId, { pages: [{ pattern: '/guide/**', minSeconds: 0 }] })

    // The same person on the new site reads the new page: the new rule fires.
    const blogVisitor = newId('v')
    await sendShop(blog, blogVisitor, [identify(email)])
    await openPage(blog, blogVisitor, '/guide/start', 'heartbeat', 1_000)
    await runDurableObjectAlarm(contactStub(env, contact.id))
    expect(await contactStub(env, contact.id).ruleCounters(alertId)).toMatchObject([{ sent: 2 }])
  })
})
