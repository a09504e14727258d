// One HTTP request on its own connection. wrangler dev closes some keep-alive connections after
// a response (the scheduled-handler endpoint does), and fetch would then fail the next request
// that reuses it with "other side closed"; a fresh connection per request never meets that.
import { request } from 'node:http'

export function httpRequest(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string; timeoutMs?: number } = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: init.method ?? 'GET', headers: init.headers, agent: false }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => (body += chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
      res.on('error', reject)
    })
    req.setTimeout(init.timeoutMs ?? 30_000, () => req.destroy(new Error(`${url}: no answer within ${init.timeoutMs ?? 30_000} ms`)))
    req.on('error', reject)
    req.end(init.body)
  })
}
