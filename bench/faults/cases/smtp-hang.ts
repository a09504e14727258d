// SMTP hanging: the gate accepts connections and never answers (no greeting), as a stuck server
// does, for 25 s from just before the threshold. The worker's SMTP client gives up after its 10 s
// time-out, the attempt is a temporary failure, and the retry 10 s later must find the server
// back. Two endings: the server recovers and answers the sessions it left hanging (too late for
// the attempts that gave up), or it is restarted and drops them. Either way the worker must
// still answer HTTP afterwards, and each alert arrive once.
import { seconds, waitUntil, type FaultCase } from '../fault-case'
import { httpRequest } from '../http-request'
import { arrivals, waitForLane } from '../lane-mail'

const HANG_MS = 25_000

function hangCase(ending: 'answer' | 'drop'): FaultCase {
  const restarted = ending === 'drop'
  return {
    id: restarted ? 'smtp-hang-restart' : 'smtp-hang',
    title: restarted ? 'SMTP hanging, then restarted' : 'SMTP hanging, then recovering',
    fault:
      'SMTP connections accepted and never answered for 25 s from just before the threshold; ' +
      (restarted ? 'then the server restarts, dropping them' : 'then the server answers them, late'),
    async run({ stack, lane, visitor }) {
      const visitors = [visitor(`hung${ending}0`), visitor(`hung${ending}1`)]
      for (const v of visitors) await v.identify()
      const hungBefore = stack.gate.hungConnections()
      await stack.gate.set('hang')
      const hangAt = Date.now()
      stack.note('SMTP hanging')
      for (const v of visitors) await v.viewPricing()
      await waitUntil(hangAt + HANG_MS)
      const hung = stack.gate.hungConnections() - hungBefore
      await stack.gate.set('up', { hung: ending })
      stack.note(restarted ? 'SMTP restarted: hung connections dropped' : 'SMTP recovered: hung connections answered')
      const emails = visitors.map((v) => v.email)
      const problems = hung === 0 ? ['no attempt reached the hanging server: the case did not test a hang'] : []
      const alive = await httpRequest(`${stack.baseUrl}/demo`, { timeoutMs: 10_000 }).then(
        () => true,
        () => false,
      )
      if (!alive) {
        problems.push('the worker stopped answering once the hung connections were dropped (an SMTP client looping on a closed socket?)')
        return { expect: emails, notes: [`${hung} connections hung; GET /demo unanswered for 10 s after the restart`], problems }
      }
      await waitForLane(stack.sink, lane, emails, Date.now() + 90_000)
      const rows = await stack.outbox(lane.alertId)
      const failed = rows.flatMap((r) => r.attempts.filter((a) => a.outcome === 'retry').map((a) => a.detail))
      const reasons = [...new Set(failed.map((t) => t.slice(0, 70)))].join('; ')
      return {
        expect: emails,
        notes: [
          `${hung} connections hung; attempts failed: ${failed.length}${reasons ? ` (${reasons})` : ''}; ` +
            `arrived ${arrivals(stack.sink, lane, hangAt).map(seconds).join(', ')} after the hang began (server back at ${seconds(HANG_MS)})`,
        ],
        problems,
      }
    },
  }
}

export const smtpHang = hangCase('answer')
export const smtpHangRestart = hangCase('drop')
