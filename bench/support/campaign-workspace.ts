// The demo workspace with campaigns active, for the collect bench's identified load: 200 active
// campaigns of mixed triggers (a third on page patterns that the bench's page views match, the
// rest on forms, custom events, tags, score thresholds, list edges, field changes, contact
// created), 50 scoring rules and 20 smart lists, written into the bench's local D1 before
// `wrangler dev` starts. Written straight into D1 rather than through the REST API (which needs
// a signed-in user or token): each definition still passes the contract's schema and every URL
// pattern compiles; list edges are handed out one campaign each (bsport's rule), lists only read
// earlier lists (no cycles), and every list a campaign names exists, as the API would check.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as v from 'valibot'
import {
  CampaignDefinition,
  ListDefinition,
  ScoringRuleDefinition,
  type Condition,
  type StepInput,
  type Trigger,
} from '../../durable-objects/contracts/campaign'
import { compilePattern } from '../../durable-objects/rules/url-pattern'
import { campaigns, campaignVersions, scoringRules, smartLists, workspaces } from '../../worker/db/schema'
import { DEMO } from '../../worker/demo/demo-data'
import { QUIET_WRANGLER_ENV, recordedSql } from '../../scripts/local-stack'
import { random } from './repeatable'
import { eq, sql } from 'drizzle-orm'

export const CAMPAIGNS = 200
export const SCORING_RULES = 50
export const LISTS = 20

/** Sections of the demo site the identified visitors read; every page-visited campaign names one. */
export const SECTIONS = ['pages', 'blog', 'docs', 'product', 'careers', 'landing', 'webinar', 'case-study']
export const LEAVES = ['item-3', 'a/page-12', 'intro', 'item-99']
/**
 * A page of the demo site. Not /demo/pricing: the demo's "Pricing interest" alert would mail
 * every identified visitor there, and the bench has no mail server.
 */
export const pageUrl = (n: number) => `http://localhost:8787/demo/${SECTIONS[n % SECTIONS.length]}/${LEAVES[(n >> 3) % LEAVES.length]}`

const r = random(7)
const pick = <T>(items: readonly T[]): T => items[r(items.length)]!
const TAGS = Array.from({ length: 30 }, (_, i) => `tag-${i}`)
const EVENT_NAMES = Array.from({ length: 10 }, (_, i) => `event-${i}`)
const listId = (i: number) => `lst_bench_${i}`

const pattern = (i: number) =>
  pick([
    `/demo/${SECTIONS[i % 8]}/**`,
    `/demo/${SECTIONS[i % 8]}/item-*`,
    `/demo/${SECTIONS[i % 8]}/*/page-12`,
    `/demo/${SECTIONS[i % 8]}/intro`,
  ])

function condition(i: number, lists: number): Condition {
  switch (i % 6) {
    case 0:
      return {
        type: 'field',
        field: pick(['company', 'custom.plan']),
        op: pick(['equals', 'contains', 'is-not-empty'] as const),
        value: 'acme',
      }
    case 1:
      return { type: 'tag', tag: pick(TAGS), present: r(2) === 0 }
    case 2:
      return { type: 'score', min: r(100) }
    case 3:
      return { type: 'owner', is: pick(['set', 'not-set'] as const) }
    case 4:
      // Lists read earlier lists only (the service refuses cycles); campaigns read any.
      return lists > 0 ? { type: 'list', listId: listId(r(lists)), member: r(3) !== 0 } : { type: 'score', max: 50 }
    default:
      return { type: 'visited', pattern: `/demo/${pick(SECTIONS)}/**`, withinDays: pick([7, 30, 90]) }
  }
}

/** Campaign i's trigger; list edges are handed out so that no two campaigns share one (bsport's rule). */
function trigger(i: number, listEdges: { next: number }): Trigger {
  if (i % 3 === 0)
    return {
      type: 'page-visited',
      pages: [
        { pattern: pattern(i), minSeconds: pick([0, 15, 30, 90]) },
        { pattern: pattern(i + 1), minSeconds: 0 },
      ],
    }
  switch (i % 9) {
    case 1:
      return { type: 'form-submitted', ...(r(2) ? { form: { id: `form-${r(5)}` } } : {}) }
    case 2:
      return {
        type: 'custom-event',
        name: pick(EVENT_NAMES),
        ...(r(2) ? { prop: { key: 'plan', op: 'equals' as const, value: 'pro' } } : {}),
      }
    case 4:
      return { type: 'tag-added', tag: pick(TAGS) }
    case 5:
      return { type: 'score-crossed', threshold: pick([25, 50, 100]), direction: pick(['up', 'down'] as const) }
    case 7: {
      const k = listEdges.next++
      return { type: k < LISTS ? 'list-entered' : 'list-left', listId: listId(k % LISTS) }
    }
    case 8:
      return { type: 'contact-updated', field: pick(['company', 'custom.plan']) }
    default:
      return pick<Trigger>([{ type: 'contact-created' }, { type: 'tag-removed', tag: pick(TAGS) }, { type: 'manual' }])
  }
}

/** Tag now, then an hour's wait before the alert: the bench measures the engine and the runs, not mail. */
const steps = (i: number): StepInput[] => [
  { id: 'tag', type: 'add-tag', tag: pick(TAGS) },
  { id: 'wait', type: 'wait', seconds: 3600 },
  { id: 'hot', type: 'branch', condition: condition(i, LISTS), yes: [{ id: 'mail', type: 'send-alert', to: { owner: true } }], no: [] },
]

function definitions() {
  const listEdges = { next: 0 }
  const campaignDefs = Array.from({ length: CAMPAIGNS }, (_, i) =>
    v.parse(CampaignDefinition, {
      name: `Bench campaign ${i}`,
      triggers: [trigger(i, listEdges)],
      conditions: Array.from({ length: r(3) }, (_, j) => condition(i + j, LISTS)),
      steps: steps(i),
      runLimit: pick([{ kind: 'always' }, { kind: 'once' }, { kind: 'per-entry', count: 2 }]),
      frequency: r(2) ? { count: 1 + r(3), period: pick(['day', 'week', 'month']) } : null,
    }),
  )
  const listDefs = Array.from({ length: LISTS }, (_, i) =>
    v.parse(ListDefinition, { name: `Bench list ${i}`, conditions: Array.from({ length: 1 + r(3) }, (_, j) => condition(i * 3 + j, i)) }),
  )
  const ruleDefs = Array.from({ length: SCORING_RULES }, (_, i) =>
    v.parse(ScoringRuleDefinition, {
      name: `Bench rule ${i}`,
      on:
        i % 5 === 0
          ? { type: 'form-submitted' }
          : i % 5 === 1
            ? { type: 'custom-event', name: pick(EVENT_NAMES) }
            : { type: 'page-visited', pattern: pattern(i) },
      points: 1 + r(20),
      decayDays: r(2) ? 30 : null,
    }),
  )
  const checked = campaignDefs.map((definition, i) => ({ id: `cmp_bench_${i}`, name: definition.name, definition }))
  const patterns = [
    ...campaignDefs.flatMap((d) => d.triggers.flatMap((t) => (t.type === 'page-visited' ? t.pages.map((p) => p.pattern) : []))),
    ...ruleDefs.flatMap((d) => (d.on.type === 'page-visited' ? [d.on.pattern] : [])),
  ]
  const bad = patterns.filter((p) => !compilePattern(p))
  if (bad.length) throw new Error(`bench URL patterns that do not compile: ${bad.join(', ')}`)
  return { checked, listDefs, ruleDefs }
}

/** The campaign rows as SQL, ON at version 1, with the rules version bumped as a save through the API does. */
export function campaignWorkspaceSql(): Promise<string> {
  const { checked, listDefs, ruleDefs } = definitions()
  const workspaceId = DEMO.workspace.id
  const createdBy = DEMO.admin.id
  // One statement per row: D1 refuses a statement past its length limit (SQLITE_TOOBIG).
  return recordedSql(async (db) => {
    for (const [i, definition] of listDefs.entries())
      await db.insert(smartLists).values({ id: listId(i), workspaceId, definition, createdBy })
    for (const [i, definition] of ruleDefs.entries())
      await db.insert(scoringRules).values({ id: `scr_bench_${i}`, workspaceId, definition, createdBy })
    for (const { id, definition } of checked) {
      await db.insert(campaigns).values({ id, workspaceId, createdBy, name: definition.name, active: true, currentVersion: 1 })
      await db.insert(campaignVersions).values({ campaignId: id, version: 1, workspaceId, definition, createdBy })
    }
    await db
      .update(workspaces)
      .set({ rulesVersion: sql`${workspaces.rulesVersion} + 1` })
      .where(eq(workspaces.id, workspaceId))
  })
}

/** Writes the campaigns, lists and scoring rules into the local D1 kept in `persistDir`. */
export async function seedCampaignWorkspace(persistDir: string): Promise<void> {
  const file = join(mkdtempSync(join(tmpdir(), 'pagebell-bench-campaigns-')), 'campaigns.sql')
  writeFileSync(file, await campaignWorkspaceSql())
  const run = spawnSync('npx', ['wrangler', 'd1', 'execute', 'DB', '--local', '--file', file, '--persist-to', persistDir], {
    env: { ...process.env, ...QUIET_WRANGLER_ENV, CI: 'true' },
    encoding: 'utf8',
  })
  if (run.status !== 0) throw new Error(`seeding the bench campaigns failed:\n${run.stdout}\n${run.stderr}`)
}

export type CampaignEffects = { contacts: number; tagged: number; scored: number; stepsReached: number }

/** What the campaigns left in D1 for the bench's identified visitors: shows they were evaluated, not just loaded. */
export function campaignEffects(persistDir: string): CampaignEffects {
  const query = [
    "SELECT (SELECT count(*) FROM contacts WHERE email LIKE '%@bench.test') AS contacts,",
    "(SELECT count(*) FROM contacts WHERE email LIKE '%@bench.test' AND tags != '[]') AS tagged,",
    "(SELECT count(*) FROM contacts WHERE email LIKE '%@bench.test' AND score != 0) AS scored,",
    "(SELECT coalesce(sum(reached), 0) FROM campaign_step_counts WHERE campaign_id LIKE 'cmp_bench_%') AS stepsReached",
  ].join(' ')
  const run = spawnSync('npx', ['wrangler', 'd1', 'execute', 'DB', '--local', '--json', '--command', query, '--persist-to', persistDir], {
    env: { ...process.env, ...QUIET_WRANGLER_ENV, CI: 'true' },
    encoding: 'utf8',
  })
  if (run.status !== 0) throw new Error(`reading the campaigns' effects failed:\n${run.stdout}\n${run.stderr}`)
  const parsed = v.parse(
    v.tuple([
      v.object({
        results: v.tuple([v.object({ contacts: v.number(), tagged: v.number(), scored: v.number(), stepsReached: v.number() })]),
      }),
    ]),
    JSON.parse(run.stdout),
  )
  return parsed[0].results[0]
}
