// A campaign's report, from the counts its contacts' objects write to D1 a minute after they
// change (`campaign_step_counts`): runs started and finished, runs held back by the run limit and
// by the calendar frequency (triggered with their conditions met, but not started), and per
// version how many times runs reached each step and how many contacts did. One reading serves the
// admin page and the REST report (`GET /api/v1/campaigns/{id}/report`), so both say the same.
import * as v from 'valibot'
import type { Step } from '../../durable-objects/contracts/campaign'
import { RUNS_FINISHED, RUNS_HELD, RUNS_STARTED, type campaignStepTotals } from '../db/queries/campaign-runs'
import type { StoredCampaign, VersionRow } from '../db/queries/campaigns'

type StepTotals = Awaited<ReturnType<typeof campaignStepTotals>>

const count = (description: string) => v.pipe(v.number(), v.integer(), v.description(description))

const HeldView = v.pipe(
  v.object({
    runLimit: count('Runs its run limit held back (once ever, or the count per entry reached).'),
    frequency: count('Runs its calendar frequency held back (the count per day, week or month reached).'),
  }),
  v.description('Runs triggered with their conditions met but not started; they ran no step.'),
)

const Figures = {
  started: count('Runs started.'),
  finished: count('Runs that reached their end.'),
  held: HeldView,
}

const StepFigures = v.object({
  stepId: v.string(),
  reached: count('How many times runs reached the step.'),
  contacts: count('How many contacts reached it.'),
})

export const CampaignReportView = v.pipe(
  v.object({
    campaignId: v.string(),
    currentVersion: v.number(),
    ...Figures,
    inside: count('Runs started and not finished: waiting in a delay, or stopped.'),
    versions: v.pipe(
      v.array(
        v.object({
          version: v.number(),
          ...Figures,
          steps: v.pipe(v.array(StepFigures), v.description("The version's steps top to bottom, a branch's before what follows it.")),
        }),
      ),
      v.description('Newest first.'),
    ),
  }),
  v.description("Counts arrive from the contacts' objects within a minute of changing: the figures may lag that much."),
  v.metadata({ ref: 'CampaignReport' }),
)
export type CampaignReport = v.InferOutput<typeof CampaignReportView>

export type HeldFigures = v.InferOutput<typeof HeldView>

/** Sum of one counter, all versions or one. */
const sumOf = (totals: StepTotals, stepId: string, version?: number): number =>
  totals.filter((t) => t.stepId === stepId && (version === undefined || t.version === version)).reduce((n, t) => n + t.reached, 0)

/** Runs held back, all versions or one. */
const heldOf = (totals: StepTotals, version?: number): HeldFigures => ({
  runLimit: sumOf(totals, RUNS_HELD['run-limit'], version),
  frequency: sumOf(totals, RUNS_HELD.frequency, version),
})

/** Runs started, finished and held back, all versions or one: the report's figures, also on the admin page. */
export const figuresOf = (totals: StepTotals, version?: number) => ({
  started: sumOf(totals, RUNS_STARTED, version),
  finished: sumOf(totals, RUNS_FINISHED, version),
  held: heldOf(totals, version),
})

function stepIds(steps: readonly Step[]): string[] {
  return steps.flatMap((s) => (s.type === 'branch' ? [s.id, ...stepIds(s.yes), ...stepIds(s.no)] : [s.id]))
}

export function campaignReport(stored: StoredCampaign, versions: VersionRow[], totals: StepTotals): CampaignReport {
  const all = figuresOf(totals)
  return {
    campaignId: stored.campaign.id,
    currentVersion: stored.campaign.currentVersion,
    ...all,
    inside: Math.max(0, all.started - all.finished),
    versions: versions.map((row) => ({
      version: row.version,
      ...figuresOf(totals, row.version),
      steps: stepIds(row.definition.steps).map((stepId) => {
        const found = totals.find((t) => t.version === row.version && t.stepId === stepId)
        return { stepId, reached: found?.reached ?? 0, contacts: found?.contacts ?? 0 }
      }),
    })),
  }
}
