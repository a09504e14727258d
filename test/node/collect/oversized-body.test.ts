// Oversized collect bodies under `wrangler dev`: a 1 MB or 10 MB body (declared or chunked) is
// answered 413 with its reason, and the next request, on the same keep-alive connection when the
// server keeps it, is served normally. The worker drains a refused body instead of cancelling it: a cancelled body made the
// next request on the connection fail with 503 "worker restarted mid-request".
import http from 'node:http'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildScriptIfMissing, prepareDatabase, startWranglerDev, type DevServer } from '../../../scripts/local-stack'
import { DEMO_SITE_KEY } from '../../../worker/demo/demo-data'
import { freePort } from '../../support/free-port'

let server: DevServer
/** One connection, kept alive: every request of a test goes over the same socket. */
let agent: http.Agent

beforeAll(async () => {
  buildScriptIfMissing()
  const persistDir = mkdtempSync(join(tmpdir(), 'pagebell-oversized-'))
  await prepareDatabase(persistDir)
  server = await startWranglerDev({ port: await freePort(), persistDir, readyPath: '/demo' })
})

afterAll(async () => {
  agent?.destroy()
  await server?.stop()
})

type Answer = { status: number; body: string; localPort: number | undefined; reusedSocket: boolean }

const HEADERS = {
  'content-type': 'text/plain',
  origin: 'http://localhost:8787',
  'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36',
}

/** POSTs `body` to /api/collect over the agent's one connection; `chunked` sends no content-length. */
function post(body: Buffer, chunked = false): Promise<Answer> {
  const url = new URL('/api/collect', server.baseUrl)
  const headers: Record<string, string> = { ...HEADERS }
  if (!chunked) headers['content-length'] = String(body.byteLength)
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', agent, headers }, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => (text += chunk))
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: text, localPort: req.socket?.localPort, reusedSocket: req.reusedSocket }),
      )
    })
    req.on('error', reject)
    if (chunked) {
      // Written in pieces so the transfer really is chunked and the size is learnt only by reading.
      for (let at = 0; at < body.byteLength; at += 256 * 1024) req.write(body.subarray(at, at + 256 * 1024))
      req.end()
    } else req.end(body)
  })
}

let seq = 0
const validBatch = () => {
  const n = `${Date.now().toString(36)}${(seq++).toString(36)}`
  const events = [{ id: `ev${n}`, type: 'pageview', visit: `vi${n}`, url: 'http://localhost:8787/demo/pricing', title: 'Pricing' }]
  return Buffer.from(JSON.stringify({ site: DEMO_SITE_KEY, visitor: `over${n}`, events }))
}

const MB = 1024 * 1024

describe('collect under wrangler dev: oversized bodies', () => {
  it.each([
    { name: '1 MB with content-length', size: MB, chunked: false },
    { name: '10 MB with content-length', size: 10 * MB, chunked: false },
    { name: '1 MB chunked', size: MB, chunked: true },
    { name: '10 MB chunked', size: 10 * MB, chunked: true },
  ])('answers 413 to $name and serves the next request on the same connection', async ({ size, chunked }) => {
    agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
    let reopened = 0
    try {
      // Twice in a row: a connection left broken by the first refusal would fail the second round.
      for (let round = 0; round < 2; round++) {
        const refused = await post(Buffer.alloc(size, 'x'), chunked)
        expect(refused.status).toBe(413)
        expect(JSON.parse(refused.body)).toEqual({ error: 'body over 65536 bytes' })

        const next = await post(validBatch())
        expect(next.body).toBe('{"accepted":1,"duplicates":0}')
        expect(next.status).toBe(200)
        if (next.reusedSocket) expect(next.localPort).toBe(refused.localPort)
        else reopened++
      }
      // Usually both rounds reuse the connection. On a loaded machine `wrangler dev` now and then
      // closes it cleanly after a refusal (seen in 1 of ~12 full runs); the next request then goes
      // out on a new one and is served all the same, which is all a client can ask. Never both.
      expect(reopened).toBeLessThan(2)
    } finally {
      agent.destroy()
    }
  })
})
