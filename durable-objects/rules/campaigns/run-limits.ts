// Run limits and the calendar frequency of one campaign for one contact, read from and written
// to its ledger: `once` ever, `always`, at most N per entry (an entry lasts while the contact is
// inside: meets the conditions, and is in a list of a list-entered trigger when there is one),
// and at most `count` runs per calendar day / week / month in the workspace's zone on top.
import type { Calendar } from '../calendar'
import { periodKey, type Period } from '../frequency'
import type { CompiledCampaign } from './compile'
import type { CampaignLedger, HeldReason } from './engine-types'

export const EMPTY_LEDGER: CampaignLedger = { runs: 0, entry: 0, entryRuns: 0, inside: false, sent: null }

/** The ledger after seeing whether the contact is inside now: coming in starts a new entry with a fresh count. */
export function followEntry(ledger: CampaignLedger, inside: boolean): CampaignLedger {
  if (inside === ledger.inside) return ledger
  return inside ? { ...ledger, inside, entry: ledger.entry + 1, entryRuns: 0 } : { ...ledger, inside }
}

export type Admission = { ok: true; ledger: CampaignLedger } | { ok: false; reason: Extract<HeldReason, 'run-limit' | 'frequency'> }

/** The calendar periods of one instant, each worked out once (reading the local date is the costly part). */
export function periodsAt(now: number, calendar: Calendar): (period: Period) => string {
  const keys = new Map<Period, string>()
  return (period) => {
    let key = keys.get(period)
    if (key === undefined) keys.set(period, (key = periodKey(now, period, calendar)))
    return key
  }
}

/** Whether one more run may start now, and the ledger counting it when it may. */
export function admitRun(compiled: CompiledCampaign, ledger: CampaignLedger, periodOf: (period: Period) => string): Admission {
  const { runLimit, frequency } = compiled.campaign
  if (runLimit.kind === 'once' && ledger.runs >= 1) return { ok: false, reason: 'run-limit' }
  if (runLimit.kind === 'per-entry' && (!ledger.inside || ledger.entryRuns >= runLimit.count)) return { ok: false, reason: 'run-limit' }
  let sent = ledger.sent
  if (frequency) {
    const period = periodOf(frequency.period)
    const count = sent?.period === period ? sent.count : 0
    if (count >= frequency.count) return { ok: false, reason: 'frequency' }
    sent = { period, count: count + 1 }
  }
  return { ok: true, ledger: { ...ledger, runs: ledger.runs + 1, entryRuns: ledger.entryRuns + 1, sent } }
}
