// The running product for the load bench, set up as `npm start` does (fresh state, migrations,
// demo seed, the SMTP sink, `wrangler dev`) plus an admin API token in its D1 and the bench alert
// created through the REST API as a user would. The worker is served from a bundle made at the
// start (bench/faults/worker-bundle.ts): plain `wrangler dev` reloads the worker whenever a file
// of the shared checkout changes, and a reload mid-run answered 503 to hundreds of requests.
import { randomBytes } from 'node:crypto'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as v from 'valibot'
import { applySql, buildScriptIfMissing, prepareDatabase, recordedSql, startWranglerDev } from '../../scripts/local-stack'
import { startMailSink, type MailSink } from '../../scripts/mail-sink'
import { freePort } from '../../test/support/free-port'
import { bundleWorker } from '../faults/worker-bundle'
import { insertAdminToken } from '../support/api-token'
import { BENCH_PATTERN, PER_DAY } from './plan'

/**
 * One recipient gets every alert of the bench, far more than the flood cap's 20 an hour, which
 * would fold the rest into digests: raised above the bench's volume so each alert is one e-mail.
 */
export const VARS = { ALERTS_PER_RECIPIENT_HOUR: '100000' }

export type BenchStack = {
  baseUrl: string
  sink: MailSink
  alertId: string
  api: (path: string, init?: RequestInit) => Promise<Response>
  stop: () => Promise<void>
}

export async function startBenchStack(log: (line: string) => void): Promise<BenchStack> {
  const workDir = mkdtempSync(join(tmpdir(), 'pagebell-load-bench-'))
  const persistDir = join(workDir, 'state')
  buildScriptIfMissing()
  const bundle = bundleWorker(workDir)
  await prepareDatabase(persistDir)
  const token = `pbt_${randomBytes(32).toString('base64url')}`
  applySql(persistDir, await recordedSql((db) => insertAdminToken(db, { id: 'tok_load_bench', secret: token, name: 'load bench' })))

  const sink = await startMailSink({ quiet: true })
  const vars = { SMTP_URL: `smtp://127.0.0.1:${sink.smtpPort}`, ...VARS }
  const worker = await startWranglerDev({ port: await freePort(), persistDir, config: bundle.config, readyPath: '/demo', vars, log }).catch(
    async (err: unknown) => {
      await sink.close()
      throw err
    },
  )
  const stop = async () => {
    await worker.stop()
    await sink.close()
  }
  try {
    const api = (path: string, init: RequestInit = {}) =>
      fetch(`${worker.baseUrl}/api/v1${path}`, {
        ...init,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers },
      })
    const res = await api('/alerts', {
      method: 'POST',
      body: JSON.stringify({
        name: 'Load bench',
        pages: [{ pattern: BENCH_PATTERN, minSeconds: 0 }],
        frequency: { count: PER_DAY, period: 'day' },
        notifyCreator: false,
        notifyOwner: true,
        active: true,
      }),
    })
    if (res.status !== 201) throw new Error(`creating the bench alert answered ${res.status}: ${await res.text()}`)
    const { id: alertId } = v.parse(v.object({ id: v.string() }), await res.json())
    return { baseUrl: worker.baseUrl, sink, alertId, api, stop }
  } catch (err) {
    await stop()
    throw err
  }
}
