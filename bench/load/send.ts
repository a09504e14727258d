// Sends the planned requests to `POST /api/collect` at a fixed pace (one batch per request, as the
// script sends them), not waiting for answers before the next is due, and records each answer.
// A request answered 429 or 5xx, or not answered, is sent again with the same events as the
// script does (sdk/tracker.ts: backoff 2 s, 4 s, …, at most 8 retries); the retries are counted.
import { DEMO_SITE_KEY } from '../../worker/demo/demo-data'
import { ORIGIN, type PlannedRequest } from './plan'

const HEADERS = {
  'content-type': 'text/plain',
  origin: ORIGIN,
  'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36',
}
const MAX_RETRIES = 8

/**
 * `status` is the last answer's (0: none); `retried` the statuses answered before it; `answeredAt`
 * orders the requests as the server stored them, closer than the order they were sent (a retried
 * one is stored seconds after those sent after it).
 */
export type Answer = {
  status: number
  sentAt: number
  accepted: number
  duplicates: number
  capped: boolean
  retried: number[]
  answeredAt: number
}

const retryable = (status: number) => status === 0 || status === 429 || status > 499

export async function sendPaced(baseUrl: string, requests: PlannedRequest[], perSecond: number): Promise<Answer[]> {
  const answers: Answer[] = []
  const failing = new Set<number>()
  const post = async (body: string): Promise<{ status: number; text: string }> => {
    try {
      const res = await fetch(`${baseUrl}/api/collect`, { method: 'POST', headers: HEADERS, body })
      return { status: res.status, text: await res.text() }
    } catch (err) {
      return { status: 0, text: String(err) }
    }
  }
  const send = async (i: number, request: PlannedRequest) => {
    const sentAt = Date.now()
    const body = JSON.stringify({ site: DEMO_SITE_KEY, visitor: request.visitor, events: request.events })
    const retried: number[] = []
    let answer = await post(body)
    while (retryable(answer.status) && retried.length < MAX_RETRIES) {
      if (!failing.has(answer.status)) console.log(`collect answered ${answer.status || 'nothing'}: ${answer.text.slice(0, 300)}`)
      failing.add(answer.status)
      retried.push(answer.status)
      await new Promise((r) => setTimeout(r, 1000 << retried.length))
      answer = await post(body)
    }
    const { status, text } = answer
    // The first answer of each failing status, so a run's log says what failed.
    if ((status < 200 || status >= 300) && !failing.has(status))
      console.log(`collect answered ${status || 'nothing'}: ${text.slice(0, 300)}`)
    failing.add(status)
    const counts = /"accepted":(\d+),"duplicates":(\d+)/.exec(text)
    answers[i] = {
      status,
      sentAt,
      accepted: Number(counts?.[1] ?? 0),
      duplicates: Number(counts?.[2] ?? 0),
      capped: text.includes('contact-cap'),
      retried,
      answeredAt: Date.now(),
    }
  }
  const started = performance.now()
  const inFlight: Array<Promise<void>> = []
  for (const [i, request] of requests.entries()) {
    const wait = started + (i * 1000) / perSecond - performance.now()
    if (wait > 0) await new Promise((r) => setTimeout(r, wait))
    inFlight.push(send(i, request))
    if (i % 1000 === 999) console.log(`sent ${i + 1} requests in ${((performance.now() - started) / 1000).toFixed(1)} s`)
  }
  await Promise.all(inFlight)
  return answers
}
