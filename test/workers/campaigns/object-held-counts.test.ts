// Runs held back by the run limit or the calendar frequency are counted per campaign version, in
// the contact's object first and in D1 a minute later (with the step counts, one batch, never one
// D1 write per event), and shown in the campaign's report: the REST report and the admin page.
import { beforeAll, describe, expect, it } from 'vitest'
import type { CampaignReport } from '../../../worker/campaigns/campaign-report'
import { api, apiJson, createAdminWorkspace, logIn, PASSWORD, web, type AdminFixture } from '../admin/admin-fixture'
import { act, newContact, runAlarmsUntil, track } from './object-fixture'

let ws: AdminFixture
let once: string
let daily: string

/** A campaign made and switched ON through the REST API, as a marketer does. */
async function campaign(body: Record<string, unknown>): Promise<string> {
  const { id } = await apiJson<{ id: string }>(ws.marketer.token, 'POST', '/campaigns', body)
  await apiJson(ws.marketer.token, 'POST', `/campaigns/${id}/activate`)
  return id
}

const report = (id: string) => apiJson<CampaignReport>(ws.sales.token, 'GET', `/campaigns/${id}/report`)

beforeAll(async () => {
  ws = await createAdminWorkspace()
  once = await campaign({
    name: 'First pricing look',
    triggers: [{ type: 'custom-event', name: 'pricing' }],
    runLimit: { kind: 'once' },
    steps: [{ id: 'tag', type: 'add-tag', tag: 'looked' }],
  })
  daily = await campaign({
    name: 'Demo asked, once a day',
    triggers: [{ type: 'custom-event', name: 'demo' }],
    frequency: { count: 1, period: 'day' },
    steps: [{ id: 'score', type: 'change-score', by: 5 }],
  })
})

describe('campaign report: runs held back', () => {
  it('counts runs held by the run limit and by the frequency per version, writes them a minute later, and reports them', async () => {
    const contact = await newContact(ws.shop)
    await act(ws.shop, contact, [track('pricing'), track('demo'), track('pricing'), track('demo'), track('pricing'), track('demo')])

    // The object's clock jumps to the counts' write a minute later.
    await runAlarmsUntil(contact.stub, async () => (await report(daily)).held.frequency > 0)

    expect(await report(once)).toMatchObject({
      campaignId: once,
      currentVersion: 1,
      started: 1,
      finished: 1,
      inside: 0,
      held: { runLimit: 2, frequency: 0 },
      versions: [
        { version: 1, started: 1, finished: 1, held: { runLimit: 2, frequency: 0 }, steps: [{ stepId: 'tag', reached: 1, contacts: 1 }] },
      ],
    })
    expect(await report(daily)).toMatchObject({
      started: 1,
      held: { runLimit: 0, frequency: 2 },
      versions: [{ version: 1, held: { runLimit: 0, frequency: 2 }, steps: [{ stepId: 'score', reached: 1, contacts: 1 }] }],
    })

    const { cookie } = await logIn(ws.marketer.email, PASSWORD)
    const page = await (await web(cookie, 'GET', `/admin/campaigns/${once}`)).text()
    expect(page).toMatch(/<dd data-figure="held-run-limit">2<\/dd>/)
    expect(page).toMatch(/<dd data-figure="held-frequency">0<\/dd>/)
    // The versions table: version 1's runs held back, both reasons together.
    expect(page).toMatch(/<td class="num" title="run limit 2, frequency 0">\s*2\s*<\/td>/)
  })

  it('answers 404 for another workspace’s campaign, and the report to every role', async () => {
    const other = await createAdminWorkspace()
    const res = await api(other.admin.token, 'GET', `/campaigns/${once}/report`)
    expect(res.status).toBe(404)
    for (const user of [ws.admin, ws.marketer, ws.sales]) {
      expect((await apiJson<CampaignReport>(user.token, 'GET', `/campaigns/${daily}/report`)).campaignId).toBe(daily)
    }
  })
})
