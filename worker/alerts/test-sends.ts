// How many test e-mails a workspace may send: TEST_SENDS_PER_HOUR, counted in a fixed window
// shared by every isolate (D1 `rate_counters`) that starts with the first send. A test goes to
// any address the editor types (a colleague, a shared inbox, a mail client to check the look),
// so the limit is on the number: "Send test" cannot be used to mail strangers in bulk from the
// product's sender address. Every attempt counts, refused or failed ones too.
import { createDb } from '../db/client'
import { hitCounters } from '../db/queries/rate-counters'

export const TEST_SENDS_PER_HOUR = 20
const HOUR_MS = 3_600_000

export type TestSendAdmission = { ok: true } | { ok: false; retryAfterSeconds: number; reason: string }

export async function admitTestSend(env: Env, workspaceId: string, now: number): Promise<TestSendAdmission> {
  const [state] = await hitCounters(createDb(env.DB), [{ key: `test-send:${workspaceId}`, windowMs: HOUR_MS }], now)
  if (!state || state.count <= TEST_SENDS_PER_HOUR) return { ok: true }
  const retryAfterSeconds = Math.max(1, Math.ceil((state.windowStart + HOUR_MS - now) / 1000))
  const minutes = Math.ceil(retryAfterSeconds / 60)
  return {
    ok: false,
    retryAfterSeconds,
    reason: `at most ${TEST_SENDS_PER_HOUR} test sends an hour per workspace; try again in ${minutes} minute${minutes === 1 ? '' : 's'}`,
  }
}
