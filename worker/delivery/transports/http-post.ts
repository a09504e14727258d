// One JSON POST for the HTTP transports (e-mail API, webhook, chat), with the error
// classification they share: 429, 408 and 5xx, time-outs and refused connections are
// temporary; any other 4xx means the request itself is wrong and retrying cannot help.
import { DeliveryError } from './transport'

const TIMEOUT_MS = 10_000

export async function postJson(transport: string, url: string, body: string, headers: Record<string, string>): Promise<Response> {
  let res: Response
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
      signal: AbortSignal.timeout(TIMEOUT_MS),
    })
  } catch (err) {
    // Refused, reset, DNS, TLS or our own time-out: the receiver may be back in a minute.
    throw new DeliveryError(`${transport}: ${err instanceof Error ? err.message : String(err)}`.slice(0, 300), true)
  }
  if (res.ok) return res
  const detail = (await res.text().catch(() => '')).slice(0, 200)
  throw new DeliveryError(`${transport}: HTTP ${res.status}${detail ? ` ${detail}` : ''}`, isTemporaryStatus(res.status))
}

export const isTemporaryStatus = (status: number) => status === 408 || status === 429 || status >= 500
