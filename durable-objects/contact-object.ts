// One object per contact: the single writer of its live state. It applies events to open
// visits, asks the pure alert engine what is due, stores the outcome (fired pairs, counters,
// reserved jobs under their idempotency keys, each bounded in size) and hands the jobs to the
// queue one by one. What it must do later lives in its schedule: the next threshold check, a
// queue re-send, the purge, the copy of the pages visited and of the visits held back by the
// frequency limit (held-counts.ts) to D1. It also runs the workspace's campaigns for the contact
// (campaign-runner.ts: signals, runs and their delays, effects) and keeps its D1 row and its own
// state the same both ways (campaign-sync.ts). For the admin it answers the contact's timeline
// (`activity`, with its campaign runs), takes a changed contact (`refreshContact`), runs a campaign
// by hand (`runCampaign`) and forgets everything (`erase`).
import { DurableObject } from 'cloudflare:workers'
import { createDb } from '../worker/db/client'
import type { QueuedAction } from '../worker/db/queries/campaign-runs'
import { saveContactCopies } from '../worker/db/queries/contact-copies'
import { PAGE_DAYS_KEPT, PAGE_URL_CHARS, utcDay } from '../worker/db/queries/contact-pages'
import { siteRulesVersion } from '../worker/db/queries/site-rules-version'
import {
  CAMPAIGN_DECAY,
  CAMPAIGN_SEND,
  CAMPAIGN_SIGNALS,
  CAMPAIGN_STEP,
  CampaignRunner,
  CONTACT_SYNC,
  FLUSH_STEP_COUNTS,
  FLUSH_STEP_COUNTS_AFTER_MS,
  type CampaignRunItem,
} from './campaign-runner'
import { alertRulesFor } from './alert-rules-cache'
import { CampaignStore, type KeptState } from './campaign-store'
import { ContactSync } from './campaign-sync'
import { CONTACT_SCHEMA, ContactStore, RECENT_ACTIVITY, type ContactActivity, type FiredPairs, type StoredVisit } from './contact-store'
import type { ActivityItem, ContactSnapshot, IdentifiedBy } from './contracts/alert-job'
import { FLUSH_HELD, HeldCounts } from './held-counts'
import { MetaTable } from './meta-table'
import type { ContactRecordInput, ReceivedEvent } from './contracts/object-rpc'
import { SITE_FRESH_MS, type SiteContext } from './contracts/site-context'
import { decideAlerts, visitMayAlert, type AlertOutcome } from './rules/alert-engine'
import { boundJob, JOB_LIMITS, utf8Bytes } from './rules/bounded-job'
import { applySignal, HEARTBEAT_WINDOW_MS, openVisit, visibleMsAt } from './rules/dwell'
import type { CampaignSignal, RunLedger } from './rules/campaigns/engine-types'
import { compileRules, dueRules, type CompiledRule } from './rules/page-rules'
import { retryDelayMs, Schedule, type ScheduleEntry } from './schedule'
import { DEDUPE_WINDOW_MS, migrate, recordEventId } from './sql-schema'

/**
 * Queue sends a reserved job gets before it is given up, its reason kept in its reservation:
 * with the schedule's backoff (5 s doubling, at most 30 min) about six hours of trying.
 */
export const MAX_QUEUE_ATTEMPTS = 20
const PURGE_EVERY_MS = 6 * 3600_000
/** Visits silent for longer than this can no longer fire anything and are forgotten. */
const KEEP_VISITS_MS = 24 * 3600_000
/** Queued reservations only guard against a second send while the job may still be retried. */
const KEEP_RESERVATIONS_MS = 35 * 24 * 3600_000
/** Analytics counters per period are kept for a year and a bit. */
const KEEP_COUNTERS_MS = 400 * 24 * 3600_000
/** Visits evaluated: those that can still reach a threshold, or were just closed. */
const EVALUATE_SINCE_MS = HEARTBEAT_WINDOW_MS + 60_000

/** The kinds of scheduled work; each has one entry under its own key. */
const EVALUATE = 'evaluate'
const SEND = 'send-reserved'
/**
 * Armed before a job's first send and removed once the send returns: if the object is reset
 * (evicted, crashed, redeployed) mid-send, its alarm still comes back to queue the job.
 */
const SEND_GUARD = 'send-guard'
const SEND_GUARD_MS = 10_000
const PURGE = 'purge'
const FLUSH_PAGES = 'flush-pages'
/**
 * Pages visited reach D1 at most this long after the view (sooner when the alarm runs for
 * anything else): one D1 batch a contact per interval, off the collect path. The campaigns' step
 * counts go in the same batch (copyToD1), whichever of the two is due first.
 */
export const PAGE_DAYS_FLUSH_MS = 120_000
/** Alarm rounds: work an entry schedules for now (a run started by a signal) runs in the same alarm. */
const ALARM_ROUNDS = 5
/** A campaign's page-visited threshold is marked fired under this prefix, apart from alerts. */
const campaignRuleKey = (campaignId: string) => `campaign:${campaignId}`

/** What `ContactObject.activity` answers: the timeline's events and alerts, and the campaign runs. */
export type ContactTimeline = ContactActivity & { campaignRuns: CampaignRunItem[] }

export class ContactObject extends DurableObject<Env> {
  private readonly store: ContactStore
  private readonly schedule: Schedule
  private readonly held: HeldCounts
  private readonly campaigns: CampaignStore
  private readonly sync: ContactSync
  private readonly runner: CampaignRunner
  private compiled: { version: number; rules: CompiledRule[] } | null = null
  /**
   * Set while the alarm runs: its entries (a signal, then each run's steps, round after round)
   * share one D1 read of the rules version instead of one each.
   */
  private alarmRun: { site?: Promise<SiteContext | null> } | null = null
  /** Storage was deleted by `erase`: the tables are created again before any further use. */
  private erased = false

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env)
    migrate(ctx.storage.sql, CONTACT_SCHEMA)
    const meta = new MetaTable(ctx.storage.sql)
    this.store = new ContactStore(ctx.storage.sql, meta)
    this.schedule = new Schedule(ctx.storage)
    this.held = new HeldCounts(this.store, this.schedule)
    this.campaigns = new CampaignStore(ctx.storage.sql, meta)
    this.sync = new ContactSync(this.store, this.campaigns)
    this.runner = new CampaignRunner(env, this.store, this.campaigns, this.schedule, this.sync)
  }

  async recordEvents({ site, events, identity, identifiedBy, createdAt, customTraits }: ContactRecordInput): Promise<{ accepted: number }> {
    this.ready()
    if (identity) this.takeIdentity(identity, customTraits ?? {}, identifiedBy)
    this.store.setMeta('site', site)
    let accepted = 0
    const signals: CampaignSignal[] = []
    for (const event of events) {
      if (!recordEventId(this.ctx.storage.sql, event.id, event.receivedAt)) continue
      const signal = this.apply(event, identifiedBy)
      if (signal) signals.push(signal)
      accepted++
    }
    if (createdAt !== undefined) {
      this.store.addActivity({ type: 'contact-created', at: createdAt }, null)
      signals.push({ type: 'contact-created', at: createdAt })
    }
    const now = Math.max(Date.now(), ...events.map((e) => e.receivedAt))
    // A pending entry keeps its earlier time anyway: the checks below only matter when none is.
    if (!this.schedule.isPending(FLUSH_PAGES) && this.store.hasUnflushedPageDays()) {
      this.schedule.at(FLUSH_PAGES, FLUSH_PAGES, now + PAGE_DAYS_FLUSH_MS)
    }
    try {
      await this.runner.note(site, signals, now)
      await this.evaluate(site, now)
    } catch (err) {
      // The events are stored; deciding can wait a few seconds for the rules.
      console.error('rule evaluation failed; retrying from the schedule', err)
      this.schedule.failed({ key: EVALUATE, kind: EVALUATE, firstDueAt: now, payload: null, attempts: 0 }, err, now)
    }
    // Without anything that expires, an idle contact is not woken up every few hours forever.
    if (!this.schedule.isPending(PURGE) && this.store.hasExpiringState()) this.schedule.at(PURGE, PURGE, now + PURGE_EVERY_MS)
    await this.schedule.arm()
    return { accepted }
  }

  override async alarm(): Promise<void> {
    this.alarmRun = {}
    try {
      await this.runAlarm()
    } finally {
      this.alarmRun = null
    }
  }

  private async runAlarm(): Promise<void> {
    this.ready()
    this.schedule.alarmFired()
    // An alarm runs at or after the instant it was set for, the earliest entry's: that instant
    // is the clock here (a test runs the alarm early to jump to it).
    const now = Math.max(Date.now(), this.schedule.earliest() ?? 0)
    // Pages visited go to D1 with whatever wakes the object once their copy is half due: a busy
    // contact's views are copied together (one D1 batch, not one per alarm), and their own entry
    // rarely has to wake it.
    const flushAt = this.schedule.dueAt(FLUSH_PAGES)
    if (flushAt === null ? this.store.hasUnflushedPageDays() : flushAt - now <= PAGE_DAYS_FLUSH_MS / 2)
      this.schedule.at(FLUSH_PAGES, FLUSH_PAGES, now)
    for (let round = 0; round < ALARM_ROUNDS; round++) {
      const due = this.schedule.takeDue(now)
      if (due.length === 0) break
      for (const entry of due) {
        try {
          await this.run(entry, now)
        } catch (err) {
          console.error(`scheduled ${entry.kind} failed (attempt ${entry.attempts + 1}); retrying later`, err)
          this.schedule.failed(entry, err, now)
        }
      }
    }
    // Whatever woke the object, a reservation never handed to the queue (its send cut off by a
    // reset) goes now; jobs the queue refused keep waiting for their backoff.
    try {
      await this.sendReserved(now, { retries: false })
    } catch (err) {
      console.error('queueing reserved alerts from the alarm failed; the send guard retries', err)
    }
    await this.schedule.arm()
  }

  /** Sent and held counts per calendar period of one rule (for analytics and tests). */
  ruleCounters(ruleId: string) {
    this.ready()
    return this.store.counters(ruleId)
  }

  recentActivity(limit = JOB_LIMITS.activityItems): ActivityItem[] {
    this.ready()
    return this.store.recentActivity(limit)
  }

  /** Reserved alert jobs and how their queue sends went (for operators and tests). */
  reservations() {
    this.ready()
    return this.store.reservations()
  }

  /**
   * The contact's timeline: its recent events, newest first, a page still open counting its
   * visible time up to now, the alerts it fired (kept 35 days) and its campaign runs (the last
   * 200 finished ones, and every one in progress).
   */
  activity(limit = RECENT_ACTIVITY): ContactTimeline {
    this.ready()
    const bounded = Math.min(Math.max(1, Math.floor(limit)), RECENT_ACTIVITY)
    // The object's clock is the later of its own and the newest signal it was handed.
    const now = Math.max(Date.now(), this.store.latestSignalAt() ?? 0)
    return {
      items: this.store.recentActivity(bounded, now),
      alerts: this.store.firedAlerts(bounded),
      campaignRuns: this.runner.runHistory(bounded),
    }
  }

  /**
   * The contact as D1 now has it (owner, fields, tags changed by the admin): the alerts this
   * object fires from now on carry it, so "the contact's owner" is the new one at once. A sync
   * from the schedule then merges it with the campaigns' own changes (campaign-sync.ts) and
   * hands what the admin changed to the campaigns as signals.
   */
  async refreshContact(contact: ContactSnapshot): Promise<void> {
    this.ready()
    const kept = this.campaigns.state()
    // The score only this object keeps current; the rest as the admin left it, merged by the sync.
    this.store.setMeta('contact', kept ? { ...contact, score: kept.score } : contact)
    if (kept) {
      this.schedule.at(CONTACT_SYNC, CONTACT_SYNC, Date.now())
      await this.schedule.arm()
    }
  }

  /**
   * Runs one campaign for this contact now (a campaign with a `manual` trigger, from the admin or
   * `POST /api/v1/campaigns/{id}/run`). Its steps start from the alarm right after. `runKey` is
   * null when nothing started: no such active campaign with a manual trigger, its conditions do
   * not hold, or its run limit or frequency held it back.
   */
  async runCampaign(campaignId: string): Promise<{ runKey: string | null }> {
    this.ready()
    const site = await this.freshSite()
    if (!site || !this.store.snapshot()) return { runKey: null }
    const started = await this.runner.runManually(site, campaignId, Date.now())
    await this.schedule.arm()
    return started
  }

  /**
   * Recomputes the contact's smart lists and campaign entries with the workspace's current set
   * (the background recheck after a list is edited); list-entered / list-left campaigns it starts
   * run from the alarm right after.
   */
  async recheckCampaigns(): Promise<void> {
    this.ready()
    const site = await this.freshSite()
    if (!site || !this.store.snapshot()) return
    await this.runner.recheck(site, Date.now())
    await this.schedule.arm()
  }

  /**
   * The contact's campaign state, run ledger and runs, and the work in progress (signals not yet
   * evaluated, runs between two steps, effects not yet queued, a state D1 does not have yet): for
   * operators and tests.
   */
  campaignState(): {
    state: KeptState | null
    ledger: RunLedger
    runs: CampaignRunItem[]
    pending: { signals: number; running: number; unqueued: number; unsynced: boolean }
  } {
    this.ready()
    return {
      state: this.campaigns.state(),
      ledger: this.campaigns.ledger(),
      runs: this.runner.runHistory(Number.MAX_SAFE_INTEGER),
      pending: { ...this.campaigns.inProgress(), unsynced: this.sync.dirty() },
    }
  }

  /**
   * Runs the alarm now, its clock jumping to the earliest entry (as `runDurableObjectAlarm` does
   * in the workers tests): for the browser tests against `wrangler dev`, which cannot move time,
   * through the TEST_HOOKS route only. False when nothing is scheduled.
   */
  async runScheduleNow(): Promise<boolean> {
    this.ready()
    if (this.schedule.earliest() === null) return false
    await this.alarm()
    return true
  }

  /**
   * Forgets the contact: every table of this object's storage and its alarm. Answers the alerts
   * it had reserved and the campaign actions it had queued, so the caller can close their outbox
   * rows (a job still on the queue then sends nothing). The object is empty afterwards; if anything reaches it later, it starts anew.
   */
  async erase(): Promise<{ reserved: Array<{ alertKey: string; alertId: string }>; campaignActions: QueuedAction[] }> {
    const reserved = this.erased ? [] : this.store.firedAlerts(Number.MAX_SAFE_INTEGER)
    const queued = this.erased ? [] : this.campaigns.queuedEffects()
    await this.ctx.storage.deleteAlarm()
    await this.ctx.storage.deleteAll()
    this.store.forgetCached()
    this.campaigns.forgetCached()
    this.compiled = null
    this.runner.forget()
    // The alarm is gone: the schedule must not trust the instant it last set.
    this.schedule.forget()
    this.erased = true
    return {
      reserved: reserved.map((a) => ({ alertKey: a.alertKey, alertId: a.alertId })),
      campaignActions: queued.flatMap((e) =>
        e.type === 'assign-round-robin' ? [] : [{ actionKey: e.key, campaignId: e.campaignId, stepId: e.stepId, kind: e.type }],
      ),
    }
  }

  /**
   * The contact as an identification left it in D1 (fields filled or updated by traits): alerts
   * carry it, with the tags and score this object keeps; when a field, or a claimed custom field
   * (an `identify` trait) the claim could change in D1, differs from the campaign state, a sync
   * from the schedule takes it in (and hands the change to the campaigns).
   */
  private takeIdentity(identity: ContactSnapshot, customTraits: Record<string, string>, identifiedBy: IdentifiedBy): void {
    const kept = this.campaigns.state()
    this.store.setMeta('contact', kept ? { ...identity, tags: kept.tags, score: kept.score } : identity)
    if (!kept) return
    const fields = ['name', 'company', 'phone'] as const
    // A claim changed in D1 only the custom fields it may change: an unsigned one fills empty ones only.
    const signed = identifiedBy === 'verified-identify'
    const changed =
      fields.some((f) => (kept.fields[f] ?? '') !== identity[f]) ||
      Object.entries(customTraits).some(([key, value]) => {
        const held = kept.fields[`custom.${key}`]
        return held !== value && (signed || held === undefined)
      })
    if (changed) this.schedule.at(CONTACT_SYNC, CONTACT_SYNC, Date.now())
  }

  /** Creates the tables again after an erase, before this instance is used for anything else. */
  private ready(): void {
    if (!this.erased) return
    migrate(this.ctx.storage.sql, CONTACT_SCHEMA)
    this.erased = false
  }

  private async run(entry: ScheduleEntry, now: number): Promise<void> {
    switch (entry.kind) {
      case EVALUATE: {
        // A check retried after a failure still sees the visits that were live when it was due.
        const since = entry.firstDueAt - EVALUATE_SINCE_MS
        const site = await this.currentSite(since)
        if (site) await this.evaluate(site, now, since)
        return
      }
      case SEND:
        await this.sendReserved(now, { retries: true })
        return
      case FLUSH_HELD: {
        const contact = this.store.snapshot()
        if (contact) await this.held.flush(this.env, contact.id, now)
        return
      }
      case PURGE:
        this.store.purge({
          visits: now - KEEP_VISITS_MS,
          ledger: now - DEDUPE_WINDOW_MS,
          reservations: now - KEEP_RESERVATIONS_MS,
          counters: now - KEEP_COUNTERS_MS,
        })
        this.store.dropPageDaysBefore(utcDay(now) - PAGE_DAYS_KEPT)
        this.campaigns.purgeEffects(now - KEEP_RESERVATIONS_MS)
        this.campaigns.dropUnusedVersions()
        if (this.store.hasExpiringState()) this.schedule.at(PURGE, PURGE, now + PURGE_EVERY_MS)
        return
      case FLUSH_PAGES:
      case FLUSH_STEP_COUNTS:
        await this.copyToD1(now)
        return
      case CAMPAIGN_SIGNALS: {
        const site = await this.signalSite(now)
        if (site) await this.runner.react(site, now, { walk: true })
        return
      }
      case CAMPAIGN_STEP: {
        const site = await this.freshSite()
        const runKey = payloadString(entry.payload, 'runKey')
        if (site && runKey) await this.runner.step(site, runKey, entry.key, now)
        return
      }
      case CAMPAIGN_DECAY: {
        const ruleId = payloadString(entry.payload, 'ruleId')
        const points = payloadNumber(entry.payload, 'points')
        if (ruleId && points !== null) this.runner.queue({ type: 'score-decay', ruleId, points, at: now }, now)
        return
      }
      case CAMPAIGN_SEND:
        await this.runner.sendEffects(now)
        return
      case CONTACT_SYNC:
        await this.runner.syncFromSchedule(now)
        return
      default:
        throw new Error(`unknown scheduled kind ${entry.kind}`)
    }
  }

  /**
   * The site as last seen, with its rules version re-read when a visit could still fire: no
   * event has refreshed it since, and an alert switched off meanwhile must not fire from here.
   * Alarms are off the per-event path, so this D1 read costs no collect latency.
   */
  private async currentSite(since: number): Promise<SiteContext | null> {
    const site = this.store.site()
    if (!site || this.store.recentVisits(since).length === 0) return site
    const version = await siteRulesVersion(createDb(this.env.DB), site.siteId)
    return version === null ? site : { ...site, rulesVersion: version }
  }

  /** Stores the event; answers the signal it is for campaigns, if any. */
  private apply(event: ReceivedEvent, identifiedBy: IdentifiedBy): CampaignSignal | null {
    const at = event.receivedAt
    switch (event.type) {
      case 'pageview':
        this.store.saveVisit({ ...openVisit(event.visit, event.url, event.title, at), identifiedBy })
        this.store.addActivity({ type: 'pageview', at, url: event.url, title: event.title }, event.visit)
        this.store.notePageDay(utcDay(at), event.url.slice(0, PAGE_URL_CHARS))
        return { type: 'pageview', url: event.url, at }
      case 'engage': {
        const visit = this.store.visit(event.visit)
        if (visit) this.store.saveVisit(applySignal(visit, event.state, event.visibleMs, at))
        return null
      }
      case 'form': {
        const url = this.store.visit(event.visit)?.url
        this.store.addActivity({ type: 'form', at, url, detail: { ...event.form, ...event.fields } }, null)
        const { id = '', name = '', action = '' } = event.form
        return { type: 'form', form: { id, name, action }, url: url ?? '', at }
      }
      case 'track':
        this.store.addActivity({ type: 'track', at, title: event.name, detail: event.props }, null)
        return { type: 'custom-event', name: event.name, props: event.props ?? {}, at }
      case 'identify':
        this.store.addActivity({ type: 'identify', at, detail: { email: event.email } }, null)
        return null
    }
  }

  /**
   * The site for the signals events just brought: as the last event handed it when collect read
   * it from D1 at most SITE_FRESH_MS ago (the window a save takes to reach collect everywhere),
   * else read again. A run's later steps and the admin's calls always read it (`freshSite`).
   */
  private signalSite(now: number): Promise<SiteContext | null> {
    const site = this.store.site()
    if (site?.checkedAt !== undefined && now - site.checkedAt <= SITE_FRESH_MS) return Promise.resolve(site)
    return this.freshSite()
  }

  /** The site as last seen with its rules version read from D1 now, once per alarm (off the collect path). */
  private freshSite(): Promise<SiteContext | null> {
    if (this.alarmRun) return (this.alarmRun.site ??= this.readSite())
    return this.readSite()
  }

  private async readSite(): Promise<SiteContext | null> {
    const site = this.store.site()
    if (!site) return null
    const version = await siteRulesVersion(createDb(this.env.DB), site.siteId)
    return version === null ? site : { ...site, rulesVersion: version }
  }

  private async rulesFor(site: SiteContext): Promise<CompiledRule[]> {
    if (this.compiled?.version === site.rulesVersion) return this.compiled.rules
    let stored = this.store.rules()
    if (!stored || stored.version !== site.rulesVersion || stored.workspaceId !== site.workspaceId) {
      stored = {
        version: site.rulesVersion,
        workspaceId: site.workspaceId,
        rules: await alertRulesFor(this.env, site.workspaceId, site.rulesVersion),
      }
      this.store.setMeta('rules', stored)
    }
    this.compiled = { version: stored.version, rules: compileRules(stored.rules) }
    return this.compiled.rules
  }

  /**
   * Copies to D1, in one batch, the page days counted and the campaigns' step counts reached since
   * the last copy, and forgets days older than D1 keeps. Both entries are done here: they are taken
   * off before D1 is awaited, so an event meanwhile schedules its own copy (a retry of the entry
   * that ran copies both). Counts raised while D1 answered go a minute later. Throws when D1 fails.
   */
  private async copyToD1(now: number): Promise<void> {
    const contact = this.store.snapshot()
    const pages = this.store.unflushedPageDays()
    // Without the contact (an object emptied meanwhile) the counts wait; the pages are dropped as before.
    const counts = contact ? this.campaigns.unwrittenStepCounts() : []
    const keepFromDay = utcDay(now) - PAGE_DAYS_KEPT
    this.schedule.cancel(FLUSH_PAGES)
    this.schedule.cancel(FLUSH_STEP_COUNTS)
    if (contact) {
      const who = { workspaceId: contact.workspaceId, contactId: contact.id }
      await saveContactCopies(createDb(this.env.DB), who, { pages, keepFromDay, counts })
    }
    this.store.markPageDaysFlushed(pages)
    this.store.dropPageDaysBefore(keepFromDay)
    this.campaigns.stepCountsWritten(counts)
    if (this.campaigns.unwrittenStepCounts().length)
      this.schedule.at(FLUSH_STEP_COUNTS, FLUSH_STEP_COUNTS, now + FLUSH_STEP_COUNTS_AFTER_MS)
  }

  /** Decides with the engine, stores the outcome, schedules the next check and queues the jobs. */
  private async evaluate(site: SiteContext, now: number, since = now - EVALUATE_SINCE_MS): Promise<void> {
    const contact = this.store.snapshot()
    if (contact) {
      const visits = this.store.recentVisits(since).filter((visit) => visitMayAlert(site, visit))
      const campaignWake = await this.campaignThresholds(site, visits, now)
      const rules = await this.rulesFor(site)
      // Read after the last await and used before the next: no other event can fire a pair between.
      const fired = this.store.firedPairs(visits.map((v) => v.visitId))
      const decision = decideAlerts({
        contactId: contact.id,
        rules,
        visits,
        fired: fired.has,
        sent: (ruleId, period) => this.store.sentInPeriod(ruleId, period),
        calendar: site.calendar,
        now,
      })
      for (const outcome of decision.outcomes) this.keep(outcome, fired, site, contact, now)
      const wakeAt = Math.min(decision.wakeAt ?? Infinity, campaignWake ?? Infinity)
      if (wakeAt !== Infinity) this.schedule.at(EVALUATE, EVALUATE, wakeAt)
    }
    await this.sendReserved(now, { retries: false })
  }

  /**
   * The campaigns' page-visited thresholds, checked with the alerts' (same visits, same wake-up):
   * each visit reaching one is a `page-reached` signal, once per visit and campaign. Answers when
   * the next threshold falls, or null.
   */
  private async campaignThresholds(site: SiteContext, visits: StoredVisit[], now: number): Promise<number | null> {
    const rules = await this.runner.pageRules(site)
    if (rules.length === 0) return null
    const fired = this.store.firedPairs(visits.map((v) => v.visitId))
    const { due, nextAt } = dueRules(rules, visits, (visitId, ruleId) => fired.has(visitId, campaignRuleKey(ruleId)), now)
    fired.mark(due.map(({ visit, rule }): [string, string] => [visit.visitId, campaignRuleKey(rule.id)]))
    const signals = due.map(({ visit, rule }): CampaignSignal => ({
      type: 'page-reached',
      campaignId: rule.id,
      visitId: visit.visitId,
      url: visit.url,
      at: now,
    }))
    await this.runner.note(site, signals, now)
    return nextAt
  }

  /** Stores one outcome: the pair fired, its period counted, and the job reserved when it is sent. */
  private keep(outcome: AlertOutcome<StoredVisit>, fired: FiredPairs, site: SiteContext, contact: ContactSnapshot, now: number): void {
    const { visit, rule, period } = outcome
    fired.mark([[visit.visitId, rule.id]])
    if (outcome.held) {
      this.store.countHeld(rule.id, period)
      // For analytics, in D1: gathered here, written from the schedule (never on the collect path).
      this.held.note(site.workspaceId, rule.id, now)
      return
    }
    this.store.countSent(rule.id, period)
    this.store.reserve(
      boundJob({
        kind: 'alert',
        alertKey: outcome.alertKey,
        alertId: rule.id,
        workspaceId: site.workspaceId,
        firedAt: now,
        contact,
        identifiedBy: visit.identifiedBy,
        visit: { url: visit.url, title: visit.title, visibleMs: visibleMsAt(visit, now), startedAt: visit.startedAt },
        recentActivity: this.store.recentActivity(JOB_LIMITS.activityItems, now),
      }),
    )
  }

  /**
   * Sends the reserved jobs not yet on the queue, one message each, so a job the queue refuses
   * holds up no other. A refused job is tried again from the schedule with a growing backoff,
   * and given up after MAX_QUEUE_ATTEMPTS with its reason kept in its reservation. Without
   * `retries`, only jobs never tried go now: the others wait for their backoff.
   */
  private async sendReserved(now: number, { retries }: { retries: boolean }): Promise<void> {
    const jobs = this.store.unqueuedJobs()
    if (jobs.some(({ attempts }) => attempts === 0)) {
      this.schedule.at(SEND_GUARD, SEND, now + SEND_GUARD_MS)
      await this.schedule.arm()
    }
    let retryAt: number | null = null
    for (const { job, attempts } of jobs) {
      if (attempts > 0 && !retries) continue
      try {
        await this.env.ALERTS.send(job)
        this.store.markQueued(job.alertKey)
      } catch (err) {
        const tries = attempts + 1
        // The runtime's message can be as bare as "Unknown Internal Error": the size says more.
        const reason = `queue refused the job (${utf8Bytes(JSON.stringify(job))} bytes): ${err instanceof Error ? err.message : String(err)}`
        const givingUp = tries >= MAX_QUEUE_ATTEMPTS
        console.error(`alert ${job.alertKey}: queue send ${tries} failed${givingUp ? ', giving up' : ''}: ${reason}`)
        this.store.queueFailed(job.alertKey, tries, reason, givingUp ? now : null)
        if (!givingUp) retryAt = Math.min(retryAt ?? Infinity, now + retryDelayMs(tries))
      }
    }
    this.schedule.cancel(SEND_GUARD)
    if (retryAt !== null) this.schedule.at(SEND, SEND, retryAt)
  }
}

/** A string field of a schedule entry's payload (our own JSON, read back without a cast). */
function payloadString(payload: unknown, key: string): string | null {
  const value: unknown = typeof payload === 'object' && payload !== null ? Reflect.get(payload, key) : undefined
  return typeof value === 'string' ? value : null
}

function payloadNumber(payload: unknown, key: string): number | null {
  const value: unknown = typeof payload === 'object' && payload !== null ? Reflect.get(payload, key) : undefined
  return typeof value === 'number' ? value : null
}
