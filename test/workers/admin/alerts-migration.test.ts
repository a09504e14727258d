// Migration 0019 moves the alerts into the campaign model (docs/campaigns.md): on a database
// migrated up to 0018 and holding alerts, an outbox, held and delivery counts, it must leave each
// alert as a campaign that reads back as the very same alert (alert-shape.ts), a definition the
// campaign contract accepts, the outbox and counts untouched and still counted by their triggers,
// no broken reference, and no `alerts` table.
import { applyD1Migrations, env } from 'cloudflare:test'
import * as v from 'valibot'
import { beforeAll, describe, expect, it } from 'vitest'
import { CampaignDefinition } from '../../../durable-objects/contracts/campaign'
import { alertOf, type AlertValues } from '../../../worker/db/queries/alert-shape'

const db = () => env.MIGRATION_DB
const before = (name: string) => name < '0019_'
const MIGRATION = '0019_alerts_as_campaigns'

type OldAlert = AlertValues & { id: string }

const ALERTS: OldAlert[] = [
  {
    id: 'alr_pricing',
    name: 'Pricing "interest" — déjà vu',
    pages: [
      { pattern: '/pricing/**', minSeconds: 10 },
      { pattern: 'https://shop.test/plans?tier=*', minSeconds: 0 },
    ],
    frequencyCount: 2,
    frequencyPeriod: 'week',
    notifyCreator: true,
    notifyOwner: false,
    cc: 'a@b.test, c@d.test',
    description: "Call them; it's hot.\nSecond line",
    attachmentTemplate: '{{ contact.email }};{{ visit.url }}',
    attachmentFormat: 'csv',
    templateHtml: null,
    active: true,
  },
  {
    id: 'alr_docs',
    name: 'Docs',
    pages: [{ pattern: '/docs', minSeconds: 0 }],
    frequencyCount: 1,
    frequencyPeriod: 'day',
    notifyCreator: false,
    notifyOwner: true,
    cc: '',
    description: '',
    attachmentTemplate: null,
    attachmentFormat: null,
    templateHtml: '<p>{{ alert.description }}</p>',
    active: false,
  },
]

const run = (sql: string, ...values: unknown[]) =>
  db()
    .prepare(sql)
    .bind(...values)
    .run()

beforeAll(async () => {
  await applyD1Migrations(
    db(),
    env.TEST_MIGRATIONS.filter((m) => before(m.name)),
  )
  await run("INSERT INTO workspaces (id, name) VALUES ('ws1', 'W')")
  await run("INSERT INTO users (id, workspace_id, email, name, role) VALUES ('usr1', 'ws1', 'a@x.test', 'A', 'admin')")
  for (const a of ALERTS) {
    await run(
      `INSERT INTO alerts (id, workspace_id, name, pages, frequency_count, frequency_period, notify_creator, notify_owner, cc,
         description, attachment_template, attachment_format, template_html, active, created_by, created_at, updated_at)
       VALUES (?, 'ws1', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'usr1', 1000, 2000)`,
      a.id,
      a.name,
      JSON.stringify(a.pages),
      a.frequencyCount,
      a.frequencyPeriod,
      a.notifyCreator ? 1 : 0,
      a.notifyOwner ? 1 : 0,
      a.cc,
      a.description,
      a.attachmentTemplate,
      a.attachmentFormat,
      a.templateHtml,
      a.active ? 1 : 0,
    )
  }
  await run(
    "INSERT INTO alert_deliveries (id, workspace_id, alert_id, contact_id, alert_key, status, created_at) VALUES ('d1', 'ws1', 'alr_pricing', 'c1', 'k1', 'sent', 900000)",
  )
  await run("INSERT INTO delivery_attempts (delivery_id, attempt, outcome) VALUES ('d1', 1, 'sent')")
  await run("INSERT INTO alert_held_counts (alert_id, quarter_hour, contact_id, workspace_id, held) VALUES ('alr_docs', 5, 'c1', 'ws1', 3)")
  await applyD1Migrations(
    db(),
    env.TEST_MIGRATIONS.filter((m) => m.name.startsWith(MIGRATION)),
  )
})

describe(`migration ${MIGRATION}: alerts become campaigns`, () => {
  it('turns each alert into a campaign that reads back as the same alert, in a definition the contract accepts', async () => {
    const rows = await db()
      .prepare(
        `SELECT c.id, c.workspace_id, c.name, c.category, c.active, c.current_version, c.created_by, c.created_at, c.updated_at, v.definition
         FROM campaigns c JOIN campaign_versions v ON v.campaign_id = c.id AND v.version = c.current_version ORDER BY c.id DESC`,
      )
      .all<Record<string, string | number>>()
    expect(rows.results.map((r) => r.id)).toEqual(ALERTS.map((a) => a.id))
    for (const [i, row] of rows.results.entries()) {
      const definition = v.parse(CampaignDefinition, JSON.parse(String(row.definition)))
      const campaign = {
        id: String(row.id),
        workspaceId: String(row.workspace_id),
        active: row.active === 1,
        createdBy: String(row.created_by),
        createdAt: Number(row.created_at),
        updatedAt: Number(row.updated_at),
      }
      expect(row.category).toBe('alert')
      expect(row.current_version).toBe(1)
      expect(alertOf(campaign, definition, String(row.category))).toEqual({
        ...ALERTS[i],
        workspaceId: 'ws1',
        createdBy: 'usr1',
        createdAt: 1000,
        updatedAt: 2000,
      })
    }
  })

  it('keeps the outbox and the counts, whose references now name the campaigns', async () => {
    expect((await db().prepare("SELECT alert_id, status FROM alert_deliveries WHERE id = 'd1'").first())?.alert_id).toBe('alr_pricing')
    expect(await db().prepare('SELECT alert_id, quarter_hour, status, deliveries FROM alert_delivery_counts').all()).toMatchObject({
      results: [{ alert_id: 'alr_pricing', quarter_hour: 1, status: 'sent', deliveries: 1 }],
    })
    expect((await db().prepare('SELECT held FROM alert_held_counts').first())?.held).toBe(3)
    expect((await db().prepare("SELECT outcome FROM delivery_attempts WHERE delivery_id = 'd1'").first())?.outcome).toBe('sent')
    // D1 refuses to commit a migration that leaves a reference broken; the tables now name the campaigns.
    const tables = await db()
      .prepare("SELECT name, sql FROM sqlite_master WHERE name IN ('alert_deliveries', 'alert_held_counts', 'alert_delivery_counts')")
      .all<{ name: string; sql: string }>()
    expect(tables.results).toHaveLength(3)
    for (const table of tables.results) expect(table.sql).toContain('FOREIGN KEY (`alert_id`) REFERENCES `campaigns`(`id`)')
    expect(await db().prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'alerts'").first()).toBeNull()
  })

  it('counts new outbox rows again: the triggers the rebuild dropped are back', async () => {
    await run(
      "INSERT INTO alert_deliveries (id, workspace_id, alert_id, contact_id, alert_key, status, created_at) VALUES ('d2', 'ws1', 'alr_pricing', 'c2', 'k2', 'pending', 900500)",
    )
    await run("UPDATE alert_deliveries SET status = 'sent' WHERE id = 'd2'")
    const count = await db()
      .prepare("SELECT deliveries FROM alert_delivery_counts WHERE alert_id = 'alr_pricing' AND status = 'sent'")
      .first()
    expect(count?.deliveries).toBe(2)
  })
})
