// A real local HTTP server standing in for the webhook, chat and e-mail API receivers in tests.
// It records every request, dedupes on `Idempotency-Key` the way Resend does (a repeated key
// gets the first answer and is not delivered again), and can fail the next N requests on demand.
//   GET /_requests · DELETE /_requests · POST /_faults {"status":500,"count":1,"path":"/hook/a"}
// (without "path" a fault applies to whatever request comes next).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import * as v from 'valibot'

import type { ReceivedRequest } from './received-request'

export type { ReceivedRequest }

export type HttpSink = { port: number; requests: ReceivedRequest[]; close(): Promise<void> }

const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve, reject) => {
    let body = ''
    req.setEncoding('utf8')
    req.on('data', (c: string) => (body += c))
    req.on('end', () => resolve(body))
    req.on('error', reject)
  })

const FaultSchema = v.nullable(v.object({ status: v.number(), count: v.number(), path: v.optional(v.string()) }))
type Fault = v.InferOutput<typeof FaultSchema>

export async function startHttpSink(options: { port?: number } = {}): Promise<HttpSink> {
  const requests: ReceivedRequest[] = []
  const delivered = new Map<string, number>()
  let fault: Fault | null = null

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      res.writeHead(500)
      res.end(String(err))
    })
  })
  async function handle(req: IncomingMessage, res: ServerResponse) {
    const body = await readBody(req)
    const path = new URL(req.url ?? '/', 'http://sink').pathname
    const json = (status: number, value: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' })
      res.end(JSON.stringify(value))
    }
    if (path === '/_requests' && req.method === 'GET') return json(200, requests)
    if (path === '/_requests' && req.method === 'DELETE') {
      requests.length = 0
      delivered.clear()
      return json(200, { ok: true })
    }
    if (path === '/_faults' && req.method === 'POST') {
      fault = v.parse(FaultSchema, JSON.parse(body || 'null'))
      return json(200, { ok: true })
    }

    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]))
    const record = (status: number, replay = false) =>
      requests.push({ id: requests.length + 1, receivedAt: Date.now(), method: req.method ?? '', path, headers, body, status, replay })
    if (fault && fault.count > 0 && (!fault.path || fault.path === path)) {
      fault.count--
      record(fault.status)
      return json(fault.status, { error: 'injected failure' })
    }
    const key = headers['idempotency-key']
    if (key && delivered.has(key)) {
      record(200, true)
      return json(200, { id: `msg_${delivered.get(key)}` })
    }
    record(200)
    const id = requests.length
    if (key) delivered.set(key, id)
    json(200, { id: `msg_${id}` })
  }
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve))
  return {
    port: (server.address() as AddressInfo).port,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
