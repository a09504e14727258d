// Campaign engine cost per event: a workspace with 200 active campaigns (mixed triggers, about a
// third on page patterns, conditions of every kind, all run limits), 50 scoring rules and 20
// smart lists; one contact with tags, lists, a ledger and 30 recent page days. Each event is what
// the contact object hands the engine for one signal: `react`, and for a page view also the page
// threshold check (`dueRules` over `campaignPageRules`). Goal: ≤ 50 µs per event.
// `npx tsx bench/campaigns.ts [--write]` prints the table; --write also puts it into
// docs/benchmarks.md ("## Campaign engine cost").
import { cpus, loadavg } from 'node:os'
import type { CampaignSet, CampaignVersion, ScoringRule, SmartList } from '../durable-objects/contracts/campaign'
import type { Calendar } from '../durable-objects/rules/calendar'
import { campaignPageRules, compileCampaignSet } from '../durable-objects/rules/campaigns/compile'
import type { CampaignSignal, ContactState, RunLedger } from '../durable-objects/rules/campaigns/engine-types'
import { react } from '../durable-objects/rules/campaigns/react'
import { openVisit } from '../durable-objects/rules/dwell'
import { dueRules } from '../durable-objects/rules/page-rules'
import { RUN_DATE, writeBenchmarkSection } from './support/doc-section'
import { campaignMix, CAMPAIGNS, EVENT_NAMES, LISTS, SCORING_RULES, TAGS } from './support/campaign-mix'
import { collectGarbage } from './support/repeatable'

const EVENTS = 1_000
/** Each measurement repeats the event list until it has run at least this long. */
const MIN_MS = 2_000
const CALENDAR: Calendar = { timeZone: 'Europe/Paris', weekStartsOn: 1 }
const NOW = Date.parse('2026-11-30T09:00:00Z')
const DAY = 86_400_000
const SITE = 'https://example.com'

const SECTIONS = ['pricing', 'blog', 'docs', 'product', 'careers', 'landing', 'webinar', 'case-study']
// Patterns of which few match a given page, as on a site with many campaigns on other pages.
const pattern = (i: number, pick: <T>(items: readonly T[]) => T) =>
  pick([
    `/${SECTIONS[i % 8]}/**`,
    `/${SECTIONS[i % 8]}/item-${i}`,
    `/${SECTIONS[i % 8]}/*/page-${i}`,
    `example.com/${SECTIONS[i % 8]}-${i}?utm_campaign=*`,
  ])
const mix = campaignMix({ seed: 42, sections: SECTIONS, pathPrefix: '', listId: (i) => `list-${i}`, pattern })
const r = mix.r
const pick = <T>(items: readonly T[]): T => items[r(items.length)]!

function campaignSet(): CampaignSet {
  const campaigns: CampaignVersion[] = mix.campaigns.map((definition, i) => ({
    ...definition,
    id: `campaign-${i}`,
    version: 1,
    createdBy: 'user-1',
  }))
  const lists: SmartList[] = mix.lists.map((definition, i) => ({ ...definition, id: `list-${i}`, version: 1 }))
  const scoringRules: ScoringRule[] = mix.scoringRules.map((definition, i) => ({ ...definition, id: `rule-${i}` }))
  return { campaigns, lists, scoringRules }
}

const pageUrl = () => `${SITE}/${pick(SECTIONS)}/${pick(['item-3', 'a/page-12', 'intro', 'item-99'])}`

/** The contact before its lists are worked out. */
const newContact = (): ContactState => ({
  contactId: 'contact-1',
  fields: { email: 'ada@example.com', company: 'ACME', 'custom.plan': 'pro', 'custom.seats': '12' },
  tags: TAGS.slice(0, 5),
  score: 40,
  ownerId: 'user-2',
  lists: ['list-0', 'list-3', 'list-7'],
  visited: Array.from({ length: 30 }, (_, i) => ({ url: `${SITE}/${SECTIONS[i % 8]}/item-${i}`, at: NOW - (i % 20) * DAY })),
})

function signals(): CampaignSignal[] {
  return Array.from({ length: EVENTS }, (_, e): CampaignSignal => {
    const at = NOW + e * 1000
    switch (e % 10) {
      case 0:
      case 1:
      case 2:
      case 3:
      case 4:
        return { type: 'pageview', url: pageUrl(), at }
      case 5:
        return { type: 'form', form: { id: `form-${r(5)}`, name: 'contact', action: '/subscribe' }, url: pageUrl(), at }
      case 6:
      case 7:
        return { type: 'custom-event', name: pick(EVENT_NAMES), props: { plan: pick(['pro', 'free']) }, at }
      case 8:
        return { type: 'changes', changes: [{ type: 'tag-added', tag: pick(TAGS) }], depth: 0, at }
      default:
        return { type: 'field-changed', field: 'company', from: 'ACME', to: pick(['Initech', 'ACME']), at }
    }
  })
}

const source = campaignSet()
const compileStart = performance.now()
const set = compileCampaignSet(source)
const compileMs = performance.now() - compileStart
const pageRules = campaignPageRules(set)
const events = signals()
// The lists and ledger a contact has after a while: its lists as its state says, entries followed
// for every per-entry campaign.
const settled = react({ set, state: newContact(), runs: {}, signal: { type: 'recheck', at: NOW }, now: NOW, calendar: CALENDAR })
const runs: RunLedger = settled.runs
/** The contact as the object hands it in: its page days are a fresh array per event, read from storage. */
const contact = (): ContactState => ({ ...newContact(), lists: settled.state.lists })

type Counted = { starts: number; scoreChanges: number; listChanges: number }

/** One event as the object handles it. */
function handle(signal: CampaignSignal, counted: Counted): void {
  if (signal.type === 'pageview') {
    const visit = openVisit('visit-1', signal.url, '', signal.at)
    counted.starts += dueRules(pageRules, [visit], () => false, signal.at).due.length
  }
  const reaction = react({ set, state: contact(), runs, signal, now: signal.at, calendar: CALENDAR })
  counted.starts += reaction.starts.length
  for (const change of reaction.changes) {
    if (change.type === 'score') counted.scoreChanges++
    else counted.listChanges++
  }
}

type Timing = { medianUs: number; p95Us: number; perType: Map<string, number[]>; counted: Counted; events: number }

function time(): Timing {
  const warm: Counted = { starts: 0, scoreChanges: 0, listChanges: 0 }
  for (const signal of events) handle(signal, warm) // let the JIT settle
  collectGarbage()
  const samples: number[] = []
  const perType = new Map<string, number[]>()
  const counted: Counted = { starts: 0, scoreChanges: 0, listChanges: 0 }
  const started = performance.now()
  let passes = 0
  while (performance.now() - started < MIN_MS || passes < 3) {
    for (const signal of events) {
      const t = performance.now()
      handle(signal, counted)
      const us = (performance.now() - t) * 1000
      samples.push(us)
      const list = perType.get(signal.type) ?? []
      list.push(us)
      perType.set(signal.type, list)
    }
    passes++
  }
  const at = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * q)] ?? 0
  return { medianUs: at(samples, 0.5), p95Us: at(samples, 0.95), perType, counted, events: samples.length }
}

function section(t: Timing): string {
  const load = loadavg()[0] ?? 0
  const us = (n: number) => (n < 10 ? n.toFixed(2) : n.toFixed(1))
  const at = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * q)] ?? 0
  const rows = [...t.perType].map(
    ([type, xs]) => `| ${type} | ${us(at(xs, 0.5))} | ${us(at(xs, 0.95))} | ${((xs.length / t.events) * 100).toFixed(0)} % |`,
  )
  const perEvent = (n: number) => (n / t.events).toFixed(2)
  return [
    `Measured ${RUN_DATE} with \`npm run bench -- campaigns\` (\`npx tsx bench/campaigns.ts --write\`; Node ${process.version}, ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${cpus().length} cores, load average ${load.toFixed(1)}${load > 1 ? ', shared with other work' : ''}).`,
    `One workspace: ${CAMPAIGNS} active campaigns (a third on page patterns, the rest on forms, custom events, tags, score thresholds,`,
    `list edges, field changes, contact created and manual runs; 0–2 conditions each of every kind, "visited within N days" included;`,
    `run limits once / always / 2 per entry; half with a frequency), ${SCORING_RULES} scoring rules (page patterns, forms, events), ${LISTS} smart lists`,
    `reading fields, tags, score, owner, pages and each other. One contact with 5 tags, score 40, an owner, ${settled.state.lists.length} lists, a ledger, and 30 page days handed in`,
    'fresh per event (as the object reads them from storage). An event is `react` for one signal, plus for a page view the page-trigger',
    `threshold check (\`dueRules\` over \`campaignPageRules\`). ${EVENTS.toLocaleString('en-US')} events, repeated for ${MIN_MS / 1000} s; set compiled once in ${compileMs.toFixed(1)} ms.`,
    '',
    '| signal | median µs | p95 µs | share |',
    '|---|---|---|---|',
    ...rows,
    `| **all** | **${us(t.medianUs)}** | **${us(t.p95Us)}** | 100 % |`,
    '',
    `Per event: ${perEvent(t.counted.starts)} runs started or thresholds due, ${perEvent(t.counted.scoreChanges)} score changes, ${perEvent(t.counted.listChanges)} list entries / exits.`,
    '',
    `Goal ≤ 50 µs per event: ${t.medianUs <= 50 ? 'met' : 'not met'} (median ${us(t.medianUs)} µs, p95 ${us(t.p95Us)} µs).`,
  ].join('\n')
}

const body = section(time())
console.log(body)
if (process.argv.includes('--write')) writeBenchmarkSection('## Campaign engine cost', body)
