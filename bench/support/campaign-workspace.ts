// The demo workspace with campaigns active, for the collect bench's identified load: 200 active
// campaigns of mixed triggers (a third on page patterns that the bench's page views match, the
// rest on forms, custom events, tags, score thresholds, list edges, field changes, contact
// created), 50 scoring rules and 20 smart lists, written into the bench's local D1 before
// `wrangler dev` starts (the mix: campaign-mix.ts). Written straight into D1 rather than through
// the REST API (which needs a signed-in user or token); the mix's definitions pass the contract's
// schema and keep the service's rules.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as v from 'valibot'
import { campaigns, campaignVersions, scoringRules, smartLists, workspaces } from '../../worker/db/schema'
import { DEMO } from '../../worker/demo/demo-data'
import { QUIET_WRANGLER_ENV, recordedSql } from '../../scripts/local-stack'
import { campaignMix } from './campaign-mix'
import { eq, sql } from 'drizzle-orm'

export { CAMPAIGNS, LISTS, SCORING_RULES } from './campaign-mix'

/** Sections of the demo site the identified visitors read; every page-visited campaign names one. */
export const SECTIONS = ['pages', 'blog', 'docs', 'product', 'careers', 'landing', 'webinar', 'case-study']
export const LEAVES = ['item-3', 'a/page-12', 'intro', 'item-99']
/**
 * A page of the demo site. Not /demo/pricing: the demo's "Pricing interest" alert would mail
 * every identified visitor there, and the bench has no mail server.
 */
export const pageUrl = (n: number) => `http://localhost:8787/demo/${SECTIONS[n % SECTIONS.length]}/${LEAVES[(n >> 3) % LEAVES.length]}`

const listId = (i: number) => `lst_bench_${i}`

function definitions() {
  const mix = campaignMix({ seed: 7, sections: SECTIONS, pathPrefix: '/demo', listId })
  const checked = mix.campaigns.map((definition, i) => ({ id: `cmp_bench_${i}`, name: definition.name, definition }))
  return { checked, listDefs: mix.lists, ruleDefs: mix.scoringRules }
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
