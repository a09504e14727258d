// One object per contact: the single writer of its live state. It applies events to open
// visits, decides (with the pure rule core) when an alert is due, counts it against the
// frequency limit, reserves it under an idempotency key and hands the job to the queue.
import { DurableObject } from 'cloudflare:workers'
import { createDb } from '../worker/db/client'
import { listPageRules } from '../worker/db/queries/rules'
import { siteRulesVersion } from '../worker/db/queries/site-rules-version'
import type { ActivityItem, AlertJob, ContactSnapshot } from './alert-job'
import { CONTACT_SCHEMA, ContactStore } from './contact-store'
import { applySignal, HEARTBEAT_WINDOW_MS, openVisit, visibleMsAt } from './rules/dwell'
import { periodKey } from './rules/frequency'
import { compileRules, dueRules, type CompiledRule } from './rules/page-rules'
import type { SiteContext } from './site-context'
import { DEDUPE_WINDOW_MS, migrate, recordEventId } from './sql-schema'
import type { ReceivedEvent } from './visitor-object'

const RECENT_IN_ALERT = 10
const RETRY_QUEUE_MS = 5_000
const PURGE_EVERY_MS = 6 * 3600_000
/** Visits silent for longer than this can no longer fire anything and are forgotten. */
const KEEP_VISITS_MS = 24 * 3600_000
/** Queued reservations only guard against a second send while the job may still be retried. */
const KEEP_RESERVATIONS_MS = 35 * 24 * 3600_000
/** Analytics counters per period are kept for a year and a bit. */
const KEEP_COUNTERS_MS = 400 * 24 * 3600_000

export type ContactRecordInput = {
  site: SiteContext
  events: ReceivedEvent[]
  identity?: ContactSnapshot
  /** Set when this batch created the contact: recorded as the "contact created" signal. */
  createdAt?: number
}

export class ContactObject extends DurableObject<Env> {
  private readonly store: ContactStore
  private compiled: { version: number; rules: CompiledRule[] } | null = null

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env)
    migrate(ctx.storage.sql, CONTACT_SCHEMA)
    this.store = new ContactStore(ctx.storage.sql)
  }

  async recordEvents({ site, events, identity, createdAt }: ContactRecordInput): Promise<{ accepted: number }> {
    if (identity) this.store.setMeta('contact', identity)
    this.store.setMeta('site', site)
    let accepted = 0
    for (const event of events) {
      if (!recordEventId(this.ctx.storage.sql, event.id, event.receivedAt)) continue
      this.apply(event)
      accepted++
    }
    if (createdAt !== undefined) this.store.addActivity({ type: 'contact-created', at: createdAt }, null)
    const now = Math.max(Date.now(), ...events.map((e) => e.receivedAt))
    try {
      await this.evaluate(site, now)
    } catch (err) {
      // The events are stored; deciding can wait a few seconds for the rules or the queue.
      console.error('rule evaluation failed; retrying from the alarm', err)
      await this.scheduleAlarm(now + RETRY_QUEUE_MS, now)
    }
    return { accepted }
  }

  /** Profile changes made elsewhere (admin, identify traits) refresh the snapshot alerts carry. */
  async updateProfile(snapshot: ContactSnapshot): Promise<void> {
    this.store.setMeta('contact', snapshot)
  }

  override async alarm(): Promise<void> {
    // An alarm runs at or after the instant it was set for; that instant is the clock here.
    const now = Math.max(Date.now(), this.store.getMeta<number>('alarmAt') ?? 0)
    this.store.purge({ visits: now - KEEP_VISITS_MS, ledger: now - DEDUPE_WINDOW_MS, reservations: now - KEEP_RESERVATIONS_MS, counters: now - KEEP_COUNTERS_MS })
    const site = await this.currentSite(now)
    if (site) await this.evaluate(site, now)
  }

  /**
   * The site as last seen, with its rules version re-read when a visit could still fire: no
   * event has refreshed it since, and an alert switched off meanwhile must not fire from here.
   * Alarms are off the per-event path, so this D1 read costs no collect latency.
   */
  private async currentSite(now: number): Promise<SiteContext | null> {
    const site = this.store.site()
    if (!site || this.store.recentVisits(now - HEARTBEAT_WINDOW_MS - 60_000).length === 0) return site
    const version = await siteRulesVersion(createDb(this.env.DB), site.siteId)
    return version === null ? site : { ...site, rulesVersion: version }
  }

  /** Sent and held counts per calendar period of one rule (for analytics and tests). */
  async ruleCounters(ruleId: string) {
    return this.store.counters(ruleId)
  }

  async recentActivity(limit = RECENT_IN_ALERT): Promise<ActivityItem[]> {
    return this.store.recentActivity(limit)
  }

  private apply(event: ReceivedEvent): void {
    const at = event.receivedAt
    switch (event.type) {
      case 'pageview':
        this.store.saveVisit(openVisit(event.visit, event.url, event.title, at))
        this.store.addActivity({ type: 'pageview', at, url: event.url, title: event.title }, event.visit)
        return
      case 'engage': {
        const visit = this.store.visit(event.visit)
        if (visit) this.store.saveVisit(applySignal(visit, event.state, event.visibleMs, at))
        return
      }
      case 'form':
        this.store.addActivity({ type: 'form', at, url: this.store.visit(event.visit)?.url, detail: { ...event.form, ...event.fields } }, null)
        return
      case 'track':
        this.store.addActivity({ type: 'track', at, title: event.name, detail: event.props }, null)
        return
      case 'identify':
        this.store.addActivity({ type: 'identify', at, detail: { email: event.email } }, null)
        return
    }
  }

  private async rulesFor(site: SiteContext): Promise<CompiledRule[]> {
    if (this.compiled?.version === site.rulesVersion) return this.compiled.rules
    let stored = this.store.rules()
    if (!stored || stored.version !== site.rulesVersion || stored.workspaceId !== site.workspaceId) {
      stored = { version: site.rulesVersion, workspaceId: site.workspaceId, rules: await listPageRules(createDb(this.env.DB), site.workspaceId) }
      this.store.setMeta('rules', stored)
    }
    this.compiled = { version: stored.version, rules: compileRules(stored.rules) }
    return this.compiled.rules
  }

  private alertsAllowed(site: SiteContext, contact: ContactSnapshot | null): contact is ContactSnapshot {
    if (!contact) return false
    return !site.requireVerifiedIdentity || contact.identifiedBy === 'verified-identify'
  }

  private async evaluate(site: SiteContext, now: number): Promise<void> {
    const contact = this.store.snapshot()
    let nextAt: number | null = null
    if (this.alertsAllowed(site, contact)) {
      const rules = await this.rulesFor(site)
      const visits = this.store.recentVisits(now - HEARTBEAT_WINDOW_MS - 60_000)
      const check = dueRules(rules, visits, this.store.hasFired, now)
      for (const { visit, rule } of check.due) {
        this.store.markFired(visit.visitId, rule.id)
        const period = periodKey(now, rule.limit.period, site.calendar)
        const sent = this.store.sentInPeriod(rule.id, period)
        if (sent >= rule.limit.count) {
          this.store.countHeld(rule.id, period)
          continue
        }
        this.store.countSent(rule.id, period)
        this.store.reserve({
          alertKey: `${rule.id}:${contact.id}:${period}:${sent + 1}`,
          alertId: rule.id,
          workspaceId: site.workspaceId,
          firedAt: now,
          contact,
          visit: { url: visit.url, title: visit.title, visibleMs: visibleMsAt(visit, now), startedAt: visit.startedAt },
          recentActivity: this.store.recentActivity(RECENT_IN_ALERT, now),
        })
      }
      nextAt = check.nextAt
    }
    const queuedAll = await this.queueReserved()
    if (!queuedAll) nextAt = Math.min(nextAt ?? Infinity, now + RETRY_QUEUE_MS)
    await this.scheduleAlarm(nextAt, now)
  }

  /** Sends reserved jobs not yet on the queue; false when the queue refused (retried by alarm). */
  private async queueReserved(): Promise<boolean> {
    const jobs = this.store.unqueuedJobs()
    if (jobs.length === 0) return true
    try {
      await this.env.ALERTS.sendBatch(jobs.map((body) => ({ body })))
    } catch (err) {
      console.error('alert queue send failed; retrying from the alarm', err)
      return false
    }
    this.store.markQueued(jobs.map((j) => j.alertKey))
    return true
  }

  private async scheduleAlarm(dueAt: number | null, now: number): Promise<void> {
    // Without anything that expires, an idle contact is not woken up every few hours forever.
    const at = Math.min(dueAt ?? Infinity, this.store.hasExpiringState() ? now + PURGE_EVERY_MS : Infinity)
    if (at === Infinity) return
    const current = await this.ctx.storage.getAlarm()
    if (current === null || current > at || current <= now) {
      this.store.setMeta('alarmAt', at)
      await this.ctx.storage.setAlarm(at)
    }
  }
}
