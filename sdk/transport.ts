// Delivery: events are queued (at most 100) and what is queued in one task goes out as one
// batch of up to 20, as text/plain JSON (no CORS preflight) with keepalive. A failed send
// (network, 5xx, 429) puts its events back, ids unchanged, and retries with backoff (2 s,
// 4 s, ... 8 times at most); any other answer is final: 2xx stored, 202 dropped by policy,
// 4xx refused. A page being hidden or left sends everything at once by sendBeacon (fallback:
// keepalive fetch). Nothing is sent, and no visitor id is stored, while consent is withheld
// or the browser asks not to be tracked and the site honours that.
import { rid } from './ids'
import type { Settings } from './options'
import type { OutgoingEvent } from './wire'

/** An event as the modules hand it over: everything but its id. */
type NewEvent = OutgoingEvent extends infer E ? (E extends OutgoingEvent ? Omit<E, 'id'> : never) : never

let site: string | undefined
let endpoint: string | URL
/** 0: never send (DNT/GPC honoured); 1: waiting for consent; 2: sending. */
let mode: number
let visitor = ''
let outbox: OutgoingEvent[] = []
let tries = 0
let timer: unknown

export const startTransport = (o: Settings, src: string): void => {
  const n = navigator as Navigator & { globalPrivacyControl?: boolean }
  site = o.site
  endpoint = o.endpoint || new URL('/api/collect', src)
  mode = 'dnt' in o && (n.doNotTrack == '1' || n.globalPrivacyControl) ? 0 : 'consent' in o ? 1 : 2
}

// Guarded by hand, not by `safe`: it takes the beacon flag, and timers call it too.
const flush = (beacon?: unknown): void => {
  try {
    for (timer = 0; mode > 1 && outbox[0];) {
      const events = outbox.splice(0, 20)
      visitor ||= rid()
      try {
        visitor = (localStorage.pagebell as string | undefined) ||= visitor
      } catch {}
      const body = JSON.stringify({ site, visitor, events })
      const retry = () => tries++ < 8 && ((outbox = events.concat(outbox)), setTimeout(flush, 1e3 << tries))
      ;(beacon && navigator.sendBeacon(endpoint, body)) ||
        fetch(endpoint, { method: 'POST', body, keepalive: true }).then(
          (r) => (r.status > 499 || r.status == 429 ? retry() : (tries = 0)),
          retry,
        )
    }
  } catch {}
}

/** Queues an event; `beacon` sends everything now because the page is being hidden or left. */
export const send = (e: NewEvent, beacon?: unknown): void => {
  if (mode && outbox.push({ id: rid(), ...e }) > 100) outbox.shift()
  if (beacon) flush(1)
  else timer ||= setTimeout(flush)
}

/** `consent(false)` also forgets the stored visitor id and everything not yet sent. */
export const consent = (given: unknown): void => {
  if (!mode) return
  mode = given ? 2 : 1
  if (given) return flush()
  outbox = []
  visitor = ''
  try {
    delete localStorage.pagebell
  } catch {}
}
