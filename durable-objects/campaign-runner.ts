// Runs the campaign engine inside a contact's object. The collect path only turns events into
// signals and queues them in the object's SQLite (no D1, no engine work per event beyond the
// cached page rules); the object's alarm, right after, hands each signal to `react`, stores the
// state, ledger and runs it gives, and walks each run it started with `advance` there and then,
// until a delay (a schedule entry of kind `campaign-step` keyed by run and step, so it survives
// restarts and a contact can sit in many), a round-robin turn (taken in D1 under a guard entry,
// then `advance` again) or its end; the signals those steps give are the next batch. Effects that
// leave Pagebell are reserved under their key and handed to the queue as jobs, once.
// Exactly once across alarm retries: a run moves on only from the entry it waits under (its
// `waitKey`), and every store between two awaits happens together.
import { createDb } from '../worker/db/client'
import { RUNS_FINISHED, RUNS_HELD, RUNS_STARTED } from '../worker/db/queries/campaign-runs'
import { pickRoundRobin } from '../worker/db/queries/round-robin'
import { campaignSetFor } from './campaign-set-cache'
import type { CampaignStore, KeptState, StoredRun } from './campaign-store'
import { snapshotWithState, type ContactSync } from './campaign-sync'
import type { ContactStore } from './contact-store'
import type { CampaignActionJob } from './contracts/campaign-job'
import type { CampaignSet } from './contracts/campaign'
import type { SiteContext } from './contracts/site-context'
import { boundActivity, boundContact, JOB_LIMITS } from './rules/bounded-job'
import { advance } from './rules/campaigns/advance'
import { findStep } from './rules/campaigns/find-step'
import { campaignPageRules } from './rules/campaigns/compile'
import type { CampaignSignal, CompiledCampaignSet, ContactState, Effect, RunLedger } from './rules/campaigns/engine-types'
import { react } from './rules/campaigns/react'
import type { CompiledRule } from './rules/page-rules'
import { visibleMsAt } from './rules/dwell'
import type { Schedule } from './schedule'

/** Schedule kinds of the campaign part. */
export const CAMPAIGN_SIGNALS = 'campaign-signals'
export const CAMPAIGN_STEP = 'campaign-step'
export const CAMPAIGN_DECAY = 'campaign-decay'
export const CAMPAIGN_SEND = 'campaign-send'
export const CONTACT_SYNC = 'contact-sync'
export const FLUSH_STEP_COUNTS = 'flush-step-counts'
/** A guard entry's delay: long enough for the work it guards to finish first. */
const GUARD_MS = 30_000
/**
 * The campaigns' changes to a contact reach its D1 row at most once per this long: a contact
 * reading page after page has its score and tags written once per half minute, not once per page
 * (D1 has one writer for every workspace). The first change after a quiet spell goes at once, as
 * do an identification's and the admin's, and a sync always comes before an action is queued.
 */
export const SYNC_EVERY_MS = 30_000
/** Counts per step gather this long before they are written together (one D1 batch). */
export const FLUSH_STEP_COUNTS_AFTER_MS = 60_000
/** The "visited within N days" condition reads at most this many of the contact's page days. */
const VISITED_DAYS = 365
const DAY_MS = 86_400_000

/** The schedule key of a run's next step: its run key and the step it continues after. */
export const stepKey = (runKey: string, after: string | null) => `${CAMPAIGN_STEP}:${runKey}:${after ?? 'start'}`

/** The schedule key that brings a run back if the object is lost while its walk awaits. */
const guardKey = (runKey: string) => `${CAMPAIGN_STEP}:${runKey}:guard`

/** Lists and the entry conditions of campaigns, which memberships and entries are computed from. */
const membershipInputs = (set: CampaignSet) =>
  JSON.stringify([set.lists.map((l) => [l.id, l.version]), set.campaigns.map((c) => [c.id, c.version, c.runLimit.kind])])

/** What the object remembers of the set it last used. */
type SeenSet = { version: number; workspaceId: string; memberships: string }

const pageviewsMatter = (set: CampaignSet) =>
  set.lists.length > 0 ||
  set.scoringRules.some((r) => r.on.type === 'page-visited') ||
  set.campaigns.some((c) => c.runLimit.kind === 'per-entry')

/** The state as the object keeps it: the pages visited are read from its page days each time. */
function withoutVisited(state: ContactState): KeptState {
  const { visited: _visited, ...kept } = state
  return kept
}

const isEmpty = (set: CampaignSet) => set.campaigns.length === 0 && set.lists.length === 0 && set.scoringRules.length === 0

type Loaded = {
  version: number
  workspaceId: string
  compiled: CompiledCampaignSet
  empty: boolean
  /** Whether a page view can change anything: page scoring rules, lists or entries to follow. */
  pageviews: boolean
}

export class CampaignRunner {
  private loaded: Loaded | null = null
  /** When this instance last synced the contact with D1 (a new instance syncs at once). */
  private lastSyncAt: number | null = null

  constructor(
    private readonly env: Env,
    private readonly store: ContactStore,
    private readonly campaigns: CampaignStore,
    private readonly schedule: Schedule,
    private readonly sync: ContactSync,
  ) {}

  /**
   * The workspace's campaigns, lists and scoring rules for this rules version: from this
   * object's memory, else the isolate's cache, else D1 (campaign-set-cache.ts). The object keeps
   * only the version and what memberships are computed from, to see when they must be rechecked.
   */
  async setFor(site: SiteContext): Promise<Loaded> {
    // A version older than the one loaded (handed by an edge not yet renewed) keeps the newer set.
    if (this.loaded && this.loaded.version >= site.rulesVersion && this.loaded.workspaceId === site.workspaceId) return this.loaded
    const { set, compiled } = await campaignSetFor(this.env, site.workspaceId, site.rulesVersion)
    const seen = this.store.getMeta<SeenSet>('campaignSetSeen')
    if (!seen || seen.version < site.rulesVersion || seen.workspaceId !== site.workspaceId) {
      const memberships = membershipInputs(set)
      this.store.setMeta('campaignSetSeen', { version: site.rulesVersion, workspaceId: site.workspaceId, memberships })
      // Lists or entry conditions edited: the contact's memberships and entries are recomputed.
      if (seen && this.campaigns.state() && seen.memberships !== memberships) this.queue({ type: 'recheck', at: Date.now() }, Date.now())
    }
    this.loaded = {
      version: site.rulesVersion,
      workspaceId: site.workspaceId,
      compiled,
      empty: isEmpty(set),
      pageviews: pageviewsMatter(set),
    }
    return this.loaded
  }

  /** The object's storage was deleted: nothing loaded is trusted any more. */
  forget(): void {
    this.loaded = null
    this.lastSyncAt = null
  }

  /** The campaigns' page-visited triggers, as page rules for the object's threshold checks. */
  async pageRules(site: SiteContext): Promise<CompiledRule[]> {
    return campaignPageRules((await this.setFor(site)).compiled)
  }

  /** Queues signals for the alarm (the collect path stops here). Nothing when the workspace has no campaign, list or scoring rule. */
  async note(site: SiteContext, signals: CampaignSignal[], now: number): Promise<void> {
    if (signals.length === 0) return
    const loaded = await this.setFor(site)
    // A page view that can change nothing costs no alarm (page-visited triggers come as `page-reached`).
    const worth = loaded.empty ? [] : signals.filter((s) => s.type !== 'pageview' || loaded.pageviews)
    if (worth.length === 0) return
    this.campaigns.queueSignals(worth)
    this.schedule.at(CAMPAIGN_SIGNALS, CAMPAIGN_SIGNALS, now)
  }

  /** Queues one signal whatever the set holds (a manual run, a decay, D1's changes). */
  queue(signal: CampaignSignal, now: number): void {
    this.campaigns.queueSignals([signal])
    this.schedule.at(CAMPAIGN_SIGNALS, CAMPAIGN_SIGNALS, now)
  }

  /** The state the engine reads: the kept state with the pages visited lately. */
  private engineState(kept: KeptState, now: number): ContactState {
    return {
      ...kept,
      visited: this.store.visitedSince(Math.floor(now / DAY_MS) - VISITED_DAYS).map((p) => ({ url: p.url, at: p.day * DAY_MS })),
    }
  }

  private keep(kept: KeptState): KeptState {
    this.campaigns.setState(kept)
    const snapshot = this.store.snapshot()
    // Alerts fired from now on carry the tags, score and fields as they are now.
    if (snapshot) this.store.setMeta('contact', snapshotWithState(snapshot, kept))
    return kept
  }

  /** The state, read from D1 the first time (its tags, score, owner and fields). */
  private async keptState(now: number): Promise<KeptState | null> {
    const kept = this.campaigns.state()
    if (kept) return kept
    await this.sync.sync(this.env, now)
    return this.campaigns.state()
  }

  /**
   * Hands every queued signal to the engine, in order, each one seeing the state and ledger the
   * one before left. Nothing awaits in between, so all of it (runs started, state, ledger, the
   * signals dropped) is stored together; the state and ledger are written once, at the end.
   * With `walk` (the alarm), the runs a batch started are walked right after it, in the same
   * storage transaction unless a step must wait for D1 (walk guards that), and the signals their
   * steps give are the next batch; without, each run's first step is a schedule entry due now.
   */
  async react(site: SiteContext, now: number, { walk = false }: { walk?: boolean } = {}): Promise<void> {
    const { compiled } = await this.setFor(site)
    if (!(await this.keptState(now))) {
      // The contact is gone from D1 (being erased): its signals mean nothing any more.
      this.campaigns.dropSignals()
      return
    }
    for (let waiting = this.campaigns.waitingSignals(); waiting.length > 0; waiting = this.campaigns.waitingSignals()) {
      const last = waiting[waiting.length - 1]?.seq
      let kept = this.campaigns.state()
      const started: StoredRun[] = []
      if (kept) {
        let runs = this.campaigns.ledger()
        for (const { signal } of waiting) ({ kept, runs } = this.reactTo(compiled, site, kept, runs, signal, now, started))
        this.keep(kept)
        this.campaigns.setLedger(runs)
      }
      this.campaigns.dropSignals(last)
      for (const run of started) {
        if (walk) await this.walkStarted(site, run, now)
        else this.schedule.at(stepKey(run.runKey, null), CAMPAIGN_STEP, now, { runKey: run.runKey })
      }
    }
  }

  /**
   * Walks a run in the alarm that just started it. The signal that started it is spent, so a walk
   * that throws puts the run's first step on the schedule, retried with backoff.
   */
  private async walkStarted(site: SiteContext, run: StoredRun, now: number): Promise<void> {
    const { runKey } = run
    try {
      await this.walk(site, run, now)
    } catch (err) {
      console.error(`campaign run ${runKey} failed on its first walk; retrying from the schedule`, err)
      const entry = { key: stepKey(runKey, null), kind: CAMPAIGN_STEP, firstDueAt: now, payload: { runKey }, attempts: 0 }
      this.schedule.failed(entry, err, now)
    }
  }

  /** One signal through the engine: runs started, decays and held runs stored; the new state and ledger answered. */
  private reactTo(
    set: CompiledCampaignSet,
    site: SiteContext,
    kept: KeptState,
    runs: RunLedger,
    signal: CampaignSignal,
    now: number,
    started: StoredRun[],
  ): { kept: KeptState; runs: RunLedger } {
    const reaction = react({ set, state: this.engineState(kept, now), runs, signal, now, calendar: site.calendar })
    for (const start of reaction.starts) {
      const campaign = set.campaigns.get(start.campaignId)?.campaign
      const run = campaign && this.campaigns.startRun(start, campaign, now)
      if (!run) continue
      this.campaigns.countSteps(start.campaignId, start.version, [RUNS_STARTED])
      started.push(run)
    }
    for (const decay of reaction.decays) {
      this.schedule.at(`${CAMPAIGN_DECAY}:${decay.ruleId}:${decay.at}`, CAMPAIGN_DECAY, decay.at, decay)
    }
    // Runs held back by the run limit or the frequency are counted like steps, for the campaign's report.
    let held = 0
    for (const h of reaction.held) {
      if (h.reason !== 'run-limit' && h.reason !== 'frequency') continue
      this.campaigns.countSteps(h.campaignId, h.version, [RUNS_HELD[h.reason]])
      held++
    }
    if (reaction.changes.length) this.stateChanged(now)
    if (reaction.starts.length || held) this.schedule.at(FLUSH_STEP_COUNTS, FLUSH_STEP_COUNTS, now + FLUSH_STEP_COUNTS_AFTER_MS)
    return { kept: withoutVisited(reaction.state), runs: reaction.runs }
  }

  /** The state changed here: D1 gets it from the schedule, at once or SYNC_EVERY_MS after the last sync. */
  private stateChanged(now: number): void {
    this.schedule.at(CONTACT_SYNC, CONTACT_SYNC, this.lastSyncAt === null ? now : Math.max(now, this.lastSyncAt + SYNC_EVERY_MS))
  }

  /**
   * Walks one run from the entry `key` it waited under. A run that moved on (the entry is older
   * than its current wait), finished or stopped is left alone; a run whose campaign is no longer
   * active (switched OFF, deleted) stops here.
   */
  async step(site: SiteContext, runKey: string, key: string, now: number): Promise<void> {
    const run = this.campaigns.run(runKey)
    if (!run || run.status === 'done' || run.status === 'stopped') return
    if (run.status === 'waiting' && run.waitKey !== key) return
    await this.guarded(guardKey(runKey), CAMPAIGN_STEP, now, { runKey }, () => this.walk(site, run, now))
  }

  /**
   * Armed before work whose first await may be the object's last (an eviction, a deploy mid-way):
   * an entry under `key` brings the alarm back to finish it; removed once the work is done. A
   * guard that fires after all finds the work done (a run moved on, nothing left to queue).
   */
  private async guarded<T>(key: string, kind: string, now: number, payload: unknown, work: () => Promise<T>): Promise<T> {
    this.schedule.at(key, kind, now + GUARD_MS, payload)
    await this.schedule.arm()
    const result = await work()
    this.schedule.cancel(key)
    return result
  }

  private async walk(site: SiteContext, started: StoredRun, now: number): Promise<void> {
    let run = started
    const { runKey } = run
    const campaign = this.campaigns.version(run.campaignId, run.version)
    const { compiled } = await this.setFor(site)
    if (!campaign || !compiled.campaigns.has(run.campaignId)) {
      this.finish(run, 'stopped', now, campaign ? 'the campaign is OFF or deleted' : 'its version is no longer kept')
      return
    }
    let kept = await this.keptState(now)
    if (!kept) return
    for (;;) {
      const waitingFor = run.position.after === null ? null : findStep(campaign.steps, run.position.after)
      if (run.result === null && waitingFor?.type === 'assign-round-robin') {
        // D1 answers the turn: if the object is lost meanwhile, the guard brings the run back.
        const guard = guardKey(runKey)
        this.schedule.at(guard, CAMPAIGN_STEP, now + GUARD_MS, { runKey })
        await this.schedule.arm()
        const userId = await pickRoundRobin(createDb(this.env.DB), {
          workspaceId: site.workspaceId,
          campaignId: campaign.id,
          stepId: waitingFor.id,
          pickKey: `${runKey}:${waitingFor.id}`,
          userIds: waitingFor.userIds,
        })
        this.schedule.cancel(guard)
        // Re-read: the run may have been stopped, or moved on by a guard's walk, while D1 answered.
        const current = this.campaigns.run(runKey)
        if (!current || current.status !== 'running' || current.position.after !== waitingFor.id) return
        run = { ...current, result: { userId } }
        this.campaigns.saveRun(run)
        kept = this.campaigns.state() ?? kept
      }
      const out = advance({
        campaign,
        run: { runKey, position: run.position, ...(run.result ? { result: run.result } : {}) },
        state: this.engineState(kept, now),
        now,
        calendar: site.calendar,
      })
      // Every change a step makes is reported (actions.ts): with none, the kept state stands.
      if (out.changes.length) kept = this.keep(withoutVisited(out.state))
      this.campaigns.countSteps(campaign.id, campaign.version, out.ran)
      for (const effect of out.effects) if (effect.type !== 'assign-round-robin') this.campaigns.reserveEffect(effect, campaign.name, now)
      if (out.effects.some((e) => e.type !== 'assign-round-robin')) this.schedule.at(CAMPAIGN_SEND, CAMPAIGN_SEND, now)
      if (out.changes.length) {
        this.queue({ type: 'changes', changes: out.changes, depth: run.depth, chain: run.chain, at: now }, now)
        this.stateChanged(now)
      }
      this.schedule.at(FLUSH_STEP_COUNTS, FLUSH_STEP_COUNTS, now + FLUSH_STEP_COUNTS_AFTER_MS)
      const lastStep: string | null = out.ran.at(-1) ?? run.lastStep
      const next = out.next
      if (next.kind === 'effect-result-needed') {
        run = { ...run, status: 'running', position: next.position, result: null, waitKey: null, waitingUntil: null, lastStep }
        this.campaigns.saveRun(run)
        continue
      }
      if (next.kind === 'wait') {
        const waitKey = stepKey(runKey, next.position.after)
        this.campaigns.saveRun({
          ...run,
          status: 'waiting',
          position: next.position,
          result: null,
          waitKey,
          waitingUntil: next.until,
          lastStep,
        })
        this.schedule.at(waitKey, CAMPAIGN_STEP, next.until, { runKey })
        return
      }
      this.finish({ ...run, lastStep }, 'done', now, null)
      return
    }
  }

  private finish(run: StoredRun, status: 'done' | 'stopped', now: number, reason: string | null): void {
    this.campaigns.saveRun({ ...run, status, result: null, waitKey: null, waitingUntil: null, finishedAt: now, stopReason: reason })
    if (status === 'done') this.campaigns.countSteps(run.campaignId, run.version, [RUNS_FINISHED])
    this.campaigns.trimRuns()
  }

  /** Recomputes the contact's lists and entries now (a list was edited: the background recheck). */
  async recheck(site: SiteContext, now: number): Promise<void> {
    this.queue({ type: 'recheck', at: now }, now)
    await this.react(site, now)
  }

  /** Runs this contact through one campaign now (a `manual` trigger); says whether a run started. */
  async runManually(site: SiteContext, campaignId: string, now: number): Promise<{ runKey: string | null }> {
    const before = new Set(this.campaigns.runs(Number.MAX_SAFE_INTEGER).map((r) => r.runKey))
    this.queue({ type: 'manual', campaignId, at: now }, now)
    await this.react(site, now)
    const started = this.campaigns.runs(Number.MAX_SAFE_INTEGER).find((r) => r.campaignId === campaignId && !before.has(r.runKey))
    return { runKey: started?.runKey ?? null }
  }

  /**
   * Hands reserved effects to the queue as jobs, one message each. D1 learns the state first, so
   * a job names the owner just assigned. A refused send is retried from the schedule.
   */
  async sendEffects(now: number): Promise<void> {
    if (this.campaigns.unqueuedEffects().length === 0) return
    await this.guarded(`${CAMPAIGN_SEND}:guard`, CAMPAIGN_SEND, now, null, () => this.queueEffects(now))
  }

  private async queueEffects(now: number): Promise<void> {
    const effects = this.campaigns.unqueuedEffects()
    if (this.sync.dirty()) await this.syncNow(now)
    let failed: Error | null = null
    for (const reserved of effects) {
      const job = this.jobFor(reserved.effect, reserved.campaignName, reserved.at, now)
      if (!job) {
        this.campaigns.effectFailed(reserved.effect.key, reserved.attempts, 'the contact is unknown to its object', now)
        continue
      }
      try {
        await this.env.ALERTS.send(job)
        this.campaigns.markEffectQueued(reserved.effect.key)
      } catch (err) {
        const tries = reserved.attempts + 1
        const givingUp = tries >= 20
        this.campaigns.effectFailed(reserved.effect.key, tries, err instanceof Error ? err.message : String(err), givingUp ? now : null)
        if (!givingUp) failed = err instanceof Error ? err : new Error(String(err))
      }
    }
    if (failed) throw failed
  }

  /**
   * The sync as a schedule entry: it waits while other work is due by `now` (the alarm runs that
   * in its next round), so one sync carries the changes of a whole chain of rounds (a signal,
   * the runs it starts, their steps, the signals those give) instead of one D1 read and write
   * per round. Entries that failed wait for their backoff, so they never hold it back.
   */
  async syncFromSchedule(now: number): Promise<void> {
    const next = this.schedule.earliest()
    if (next !== null && next <= now) {
      this.schedule.at(CONTACT_SYNC, CONTACT_SYNC, now)
      return
    }
    await this.syncNow(now)
  }

  /** One sync round; D1's own changes come back as signals. */
  async syncNow(now: number): Promise<void> {
    const signals = await this.guarded(`${CONTACT_SYNC}:guard`, CONTACT_SYNC, now, null, () => this.sync.sync(this.env, now))
    this.lastSyncAt = now
    for (const signal of signals) this.queue(signal, now)
  }

  private jobFor(effect: Effect, campaignName: string, at: number, now: number): CampaignActionJob | null {
    const snapshot = this.store.snapshot()
    if (!snapshot) return null
    const base = {
      actionKey: effect.key,
      workspaceId: snapshot.workspaceId,
      campaignId: effect.campaignId,
      campaignName,
      version: effect.version,
      stepId: effect.stepId,
      firedAt: at,
      contact: boundContact(snapshot),
    }
    const recentActivity = () => boundActivity(this.store.recentActivity(JOB_LIMITS.activityItems, now))
    switch (effect.type) {
      case 'send-alert': {
        const visit = this.store.latestVisit()
        return {
          kind: 'campaign-alert',
          ...base,
          to: effect.to,
          ...(effect.subject ? { subject: effect.subject } : {}),
          creatorId: effect.createdBy,
          ...(visit
            ? { visit: { url: visit.url, title: visit.title, visibleMs: visibleMsAt(visit, now), startedAt: visit.startedAt } }
            : {}),
          recentActivity: recentActivity(),
        }
      }
      case 'notify-owner':
        return { kind: 'campaign-owner-notice', ...base, ownerId: effect.ownerId, recentActivity: recentActivity() }
      case 'webhook':
        return { kind: 'campaign-webhook', ...base, url: effect.url }
      case 'chat':
        return { kind: 'campaign-chat', ...base, url: effect.url }
      case 'assign-round-robin':
        return null
    }
  }

  /** The contact's runs for its timeline, newest first. */
  runHistory(limit: number): CampaignRunItem[] {
    return this.campaigns.runs(limit).map((r) => ({
      runKey: r.runKey,
      campaignId: r.campaignId,
      campaignName: r.campaignName,
      version: r.version,
      trigger: r.trigger,
      status: r.status,
      lastStep: r.lastStep,
      startedAt: r.startedAt,
      finishedAt: r.finishedAt,
      waitingUntil: r.waitingUntil,
      stopReason: r.stopReason,
    }))
  }
}

/** One run on the contact's timeline. */
export type CampaignRunItem = Pick<
  StoredRun,
  | 'runKey'
  | 'campaignId'
  | 'version'
  | 'trigger'
  | 'status'
  | 'lastStep'
  | 'startedAt'
  | 'finishedAt'
  | 'waitingUntil'
  | 'stopReason'
  | 'campaignName'
>
