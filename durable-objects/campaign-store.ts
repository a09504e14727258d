// SQL access for the campaign part of a contact's object: the signals waiting for the engine,
// the contact's state and run ledger, its runs (enrolments) with the campaign versions they run
// on, the outside actions reserved for the queue, and the per-step counts on their way to D1.
// Only the object's own SQLite; no business rules here.
import type { CampaignVersion } from './contracts/campaign'
import type { MetaTable } from './meta-table'
import { insertRows } from './sql-rows'
import type { CampaignSignal, ContactState, Effect, Position, RunLedger, RunStart } from './rules/campaigns/engine-types'

export const CAMPAIGN_SCHEMA = `
  CREATE TABLE IF NOT EXISTS campaign_signals (seq INTEGER PRIMARY KEY AUTOINCREMENT, signal TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS campaign_versions (campaign_id TEXT NOT NULL, version INTEGER NOT NULL, definition TEXT NOT NULL,
    PRIMARY KEY (campaign_id, version));
  CREATE TABLE IF NOT EXISTS campaign_runs (run_key TEXT PRIMARY KEY, campaign_id TEXT NOT NULL, campaign_name TEXT NOT NULL, version INTEGER NOT NULL,
    entry INTEGER NOT NULL, depth INTEGER NOT NULL, chain TEXT NOT NULL DEFAULT '[]', trigger TEXT NOT NULL, status TEXT NOT NULL,
    position TEXT NOT NULL, result TEXT, wait_key TEXT, waiting_until INTEGER, last_step TEXT,
    started_at INTEGER NOT NULL, finished_at INTEGER, stop_reason TEXT);
  CREATE INDEX IF NOT EXISTS campaign_runs_started ON campaign_runs (started_at);
  CREATE TABLE IF NOT EXISTS campaign_effects (effect_key TEXT PRIMARY KEY, effect TEXT NOT NULL, campaign_name TEXT NOT NULL, at INTEGER NOT NULL,
    queued INTEGER NOT NULL DEFAULT 0, attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT, gave_up_at INTEGER);
  CREATE TABLE IF NOT EXISTS campaign_step_counts (campaign_id TEXT NOT NULL, version INTEGER NOT NULL, step_id TEXT NOT NULL,
    reached INTEGER NOT NULL DEFAULT 0, written INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (campaign_id, version, step_id));`

/**
 * A run's lifecycle: `running` (its next steps are due now, or it waits for a round-robin turn),
 * `waiting` (in a delay, under `waitKey` in the schedule), `done`, or `stopped` (its campaign was
 * switched OFF or deleted, or the contact erased).
 */
export type RunStatus = 'running' | 'waiting' | 'done' | 'stopped'

export type StoredRun = {
  runKey: string
  campaignId: string
  /** As the version the run started on names the campaign (kept for the history after the version is gone). */
  campaignName: string
  version: number
  entry: number
  depth: number
  /** The campaigns of the runs that led to this one, and its own (handed back with its changes). */
  chain: string[]
  trigger: string
  status: RunStatus
  position: Position
  /** A round-robin turn already taken for the step at `position`. */
  result: { userId: string } | null
  waitKey: string | null
  waitingUntil: number | null
  lastStep: string | null
  startedAt: number
  finishedAt: number | null
  stopReason: string | null
}

type RunRow = {
  run_key: string
  campaign_id: string
  campaign_name: string
  version: number
  entry: number
  depth: number
  chain: string
  trigger: string
  status: string
  position: string
  result: string | null
  wait_key: string | null
  waiting_until: number | null
  last_step: string | null
  started_at: number
  finished_at: number | null
  stop_reason: string | null
}

const STATUSES: readonly RunStatus[] = ['running', 'waiting', 'done', 'stopped']
const runStatus = (s: string): RunStatus => STATUSES.find((x) => x === s) ?? 'stopped'

const toRun = (r: RunRow): StoredRun => ({
  runKey: r.run_key,
  campaignId: r.campaign_id,
  campaignName: r.campaign_name,
  version: r.version,
  entry: r.entry,
  depth: r.depth,
  chain: JSON.parse(r.chain) as string[],
  trigger: r.trigger,
  status: runStatus(r.status),
  position: JSON.parse(r.position) as Position,
  result: r.result === null ? null : (JSON.parse(r.result) as { userId: string }),
  waitKey: r.wait_key,
  waitingUntil: r.waiting_until,
  lastStep: r.last_step,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  stopReason: r.stop_reason,
})

/** The contact's state as the object keeps it; `visited` is read from its page days when needed. */
export type KeptState = Omit<ContactState, 'visited'>

/** An outside action waiting for the queue, with its campaign's name (as the run's version has it). */
export type ReservedEffect = { effect: Effect; campaignName: string; at: number; attempts: number }

/** Bounds on what the object keeps: run history shown on the timeline, and finished runs. */
export const KEEP_FINISHED_RUNS = 200

const EMPTY_LEDGER: RunLedger = Object.freeze({})
/** Signals handed to the engine in one go (a flood waiting is read in slices of this many). */
const SIGNALS_READ_AT_ONCE = 200

const versionKey = (campaignId: string, version: number) => `${campaignId}\u0000${version}`

export class CampaignStore {
  /**
   * Campaign versions this object's table holds, parsed (a version never changes): a run's
   * every step reads its version, and every run started stores it. Forgotten as versions are
   * dropped; the object is its table's only writer.
   */
  private readonly versions = new Map<string, CampaignVersion>()
  /** Finished runs kept, once counted (null until then). */
  private finishedRuns: number | null = null

  constructor(
    private readonly sql: SqlStorage,
    private readonly meta: MetaTable,
  ) {}

  state = () => this.meta.get<KeptState>('campaignState')
  setState = (state: KeptState) => this.meta.set('campaignState', state)
  /** Frozen: the engine copies it on write, and the same object set back is not written again. */
  ledger = (): RunLedger => this.meta.shared<RunLedger>('campaignLedger') ?? EMPTY_LEDGER
  setLedger = (ledger: RunLedger) => this.meta.set('campaignLedger', ledger)

  // ---- Signals waiting for the engine, in arrival order -----------------------------------------

  /** In one statement, in order. */
  queueSignals(signals: CampaignSignal[]): void {
    insertRows(
      this.sql,
      'INSERT INTO campaign_signals (signal)',
      signals.map((signal) => [JSON.stringify(signal)]),
    )
  }

  /** The oldest waiting signals, in arrival order, at most SIGNALS_READ_AT_ONCE. */
  waitingSignals(): Array<{ seq: number; signal: CampaignSignal }> {
    return this.sql
      .exec<{ seq: number; signal: string }>('SELECT seq, signal FROM campaign_signals ORDER BY seq LIMIT ?', SIGNALS_READ_AT_ONCE)
      .toArray()
      .map((row) => ({ seq: row.seq, signal: JSON.parse(row.signal) as CampaignSignal }))
  }

  /** Forgets the signals up to `seq` (handled), or every one when `seq` is omitted. */
  dropSignals(seq = Number.MAX_SAFE_INTEGER): void {
    this.sql.exec('DELETE FROM campaign_signals WHERE seq <= ?', seq)
  }

  /** Work begun and not finished: signals waiting, runs between two steps, effects not yet queued. */
  inProgress(): { signals: number; running: number; unqueued: number } {
    return this.sql
      .exec<{ signals: number; running: number; unqueued: number }>(
        `SELECT (SELECT count(*) FROM campaign_signals) AS signals,
           (SELECT count(*) FROM campaign_runs WHERE status = 'running') AS running,
           (SELECT count(*) FROM campaign_effects WHERE queued = 0 AND gave_up_at IS NULL) AS unqueued`,
      )
      .one()
  }

  // ---- Runs and the versions they run on ---------------------------------------------------------

  /**
   * Stores a run `react` started, with its campaign version (kept while a run uses it). Answers
   * the run as stored, or null when a run under that key exists already.
   */
  startRun(start: RunStart, campaign: CampaignVersion, now: number): StoredRun | null {
    const key = versionKey(campaign.id, campaign.version)
    if (!this.versions.has(key)) {
      this.sql.exec(
        'INSERT OR IGNORE INTO campaign_versions (campaign_id, version, definition) VALUES (?, ?, ?)',
        campaign.id,
        campaign.version,
        JSON.stringify(campaign),
      )
      this.versions.set(key, campaign)
    }
    const run: StoredRun = {
      runKey: start.runKey,
      campaignId: start.campaignId,
      campaignName: campaign.name,
      version: start.version,
      entry: start.entry,
      depth: start.depth,
      chain: start.chain,
      trigger: start.trigger,
      status: 'running',
      position: { after: null },
      result: null,
      waitKey: null,
      waitingUntil: null,
      lastStep: null,
      startedAt: now,
      finishedAt: null,
      stopReason: null,
    }
    const written = this.sql.exec(
      `INSERT OR IGNORE INTO campaign_runs (run_key, campaign_id, campaign_name, version, entry, depth, chain, trigger, status, position, started_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      run.runKey,
      run.campaignId,
      run.campaignName,
      run.version,
      run.entry,
      run.depth,
      JSON.stringify(run.chain),
      run.trigger,
      run.status,
      JSON.stringify(run.position),
      run.startedAt,
    ).rowsWritten
    return written > 0 ? run : null
  }

  /** The version a run runs on, as stored when the run started: the caller must not change it. */
  version(campaignId: string, version: number): CampaignVersion | null {
    const key = versionKey(campaignId, version)
    const known = this.versions.get(key)
    if (known) return known
    const row = this.sql
      .exec<{ definition: string }>('SELECT definition FROM campaign_versions WHERE campaign_id = ? AND version = ?', campaignId, version)
      .toArray()[0]
    if (!row) return null
    const parsed = JSON.parse(row.definition) as CampaignVersion
    this.versions.set(key, parsed)
    return parsed
  }

  run(runKey: string): StoredRun | null {
    const row = this.sql.exec<RunRow>('SELECT * FROM campaign_runs WHERE run_key = ?', runKey).toArray()[0]
    return row ? toRun(row) : null
  }

  /** Newest first. */
  runs(limit: number): StoredRun[] {
    return this.sql.exec<RunRow>('SELECT * FROM campaign_runs ORDER BY started_at DESC, run_key LIMIT ?', limit).toArray().map(toRun)
  }

  /** Moves a run on: where it stands, what it waits for, and the last step it ran. */
  saveRun(run: StoredRun): void {
    this.sql.exec(
      `UPDATE campaign_runs SET status = ?, position = ?, result = ?, wait_key = ?, waiting_until = ?, last_step = ?,
         finished_at = ?, stop_reason = ? WHERE run_key = ?`,
      run.status,
      JSON.stringify(run.position),
      run.result === null ? null : JSON.stringify(run.result),
      run.waitKey,
      run.waitingUntil,
      run.lastStep,
      run.finishedAt,
      run.stopReason,
      run.runKey,
    )
  }

  /**
   * Called once a run has finished: forgets the oldest finished runs past the bound. The count of
   * finished runs is read once, then kept, so a finish below the bound costs no statement.
   */
  trimRuns(): void {
    this.finishedRuns =
      this.finishedRuns === null
        ? this.sql.exec<{ n: number }>(`SELECT count(*) AS n FROM campaign_runs WHERE status IN ('done', 'stopped')`).one().n
        : this.finishedRuns + 1
    if (this.finishedRuns <= KEEP_FINISHED_RUNS) return
    this.sql.exec(
      `DELETE FROM campaign_runs WHERE status IN ('done', 'stopped') AND run_key NOT IN
         (SELECT run_key FROM campaign_runs WHERE status IN ('done', 'stopped') ORDER BY started_at DESC LIMIT ?)`,
      KEEP_FINISHED_RUNS,
    )
    this.finishedRuns = KEEP_FINISHED_RUNS
  }

  /**
   * Forgets the versions no run uses any more (from the purge: a version is small, and the next
   * run of the same campaign would store it again).
   */
  dropUnusedVersions(): void {
    const dropped = this.sql.exec<{ campaign_id: string; version: number }>(
      `DELETE FROM campaign_versions WHERE NOT EXISTS (SELECT 1 FROM campaign_runs r
         WHERE r.campaign_id = campaign_versions.campaign_id AND r.version = campaign_versions.version AND r.status IN ('running', 'waiting'))
       RETURNING campaign_id, version`,
    )
    for (const row of dropped) this.versions.delete(versionKey(row.campaign_id, row.version))
  }

  /** After the object's storage was deleted: no version is held any more. */
  forgetCached(): void {
    this.versions.clear()
    this.finishedRuns = null
  }

  // ---- Outside actions on their way to the queue ------------------------------------------------

  /** Keeps an effect under its idempotency key; the same key again (a replayed step) adds nothing. */
  reserveEffect(effect: Effect, campaignName: string, at: number): void {
    this.sql.exec(
      'INSERT OR IGNORE INTO campaign_effects (effect_key, effect, campaign_name, at) VALUES (?, ?, ?, ?)',
      effect.key,
      JSON.stringify(effect),
      campaignName,
      at,
    )
  }

  /** Effects not on the queue yet and not given up, with their failed sends so far. */
  unqueuedEffects(): ReservedEffect[] {
    return this.sql
      .exec<{ effect: string; campaign_name: string; at: number; attempts: number }>(
        'SELECT effect, campaign_name, at, attempts FROM campaign_effects WHERE queued = 0 AND gave_up_at IS NULL ORDER BY at, effect_key',
      )
      .toArray()
      .map((r) => ({ effect: JSON.parse(r.effect) as Effect, campaignName: r.campaign_name, at: r.at, attempts: r.attempts }))
  }

  markEffectQueued(key: string): void {
    this.sql.exec('UPDATE campaign_effects SET queued = 1 WHERE effect_key = ?', key)
  }

  effectFailed(key: string, attempts: number, error: string, gaveUpAt: number | null): void {
    this.sql.exec(
      'UPDATE campaign_effects SET attempts = ?, last_error = ?, gave_up_at = ? WHERE effect_key = ?',
      attempts,
      error.slice(0, 1_000),
      gaveUpAt,
      key,
    )
  }

  /** Effects on the queue (their delivery may still be to come). */
  queuedEffects(): Effect[] {
    return this.sql
      .exec<{ effect: string }>('SELECT effect FROM campaign_effects WHERE queued = 1')
      .toArray()
      .map((r) => JSON.parse(r.effect) as Effect)
  }

  /** Effects handed to the queue (or given up) before `before` guard nothing any more. */
  purgeEffects(before: number): void {
    this.sql.exec('DELETE FROM campaign_effects WHERE (queued = 1 OR gave_up_at IS NOT NULL) AND at < ?', before)
  }

  // ---- Counts per step, on their way to D1 -------------------------------------------------------

  /** The counts of one call in one statement (a step id twice counts twice). */
  countSteps(campaignId: string, version: number, stepIds: string[]): void {
    insertRows(
      this.sql,
      'INSERT INTO campaign_step_counts (campaign_id, version, step_id, reached)',
      stepIds.map((stepId) => [campaignId, version, stepId, 1]),
      'ON CONFLICT (campaign_id, version, step_id) DO UPDATE SET reached = reached + 1',
    )
  }

  unwrittenStepCounts(): Array<{ campaignId: string; version: number; stepId: string; reached: number }> {
    return this.sql
      .exec<{ campaign_id: string; version: number; step_id: string; reached: number }>(
        'SELECT campaign_id, version, step_id, reached FROM campaign_step_counts WHERE reached > written',
      )
      .toArray()
      .map((r) => ({ campaignId: r.campaign_id, version: r.version, stepId: r.step_id, reached: r.reached }))
  }

  /** Marks numbers written; one raised meanwhile is written next time. */
  stepCountsWritten(rows: Array<{ campaignId: string; version: number; stepId: string; reached: number }>): void {
    if (rows.length === 0) return
    this.sql.exec(
      `UPDATE campaign_step_counts SET written = max(written, json_extract(sent.value, '$.r')) FROM json_each(?) AS sent
       WHERE campaign_id = json_extract(sent.value, '$.c') AND version = json_extract(sent.value, '$.v')
         AND step_id = json_extract(sent.value, '$.s')`,
      JSON.stringify(rows.map((r) => ({ c: r.campaignId, v: r.version, s: r.stepId, r: r.reached }))),
    )
  }
}
