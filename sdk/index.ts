// Pagebell tracking script (first version): page visits with visible time, heartbeats while
// visible, the final figure on pagehide, and form submits with an e-mail identifying the visitor.
import type { OutgoingEvent } from './wire'

type Cmd = [string, ...unknown[]]
type Pagebell = ((...args: unknown[]) => void) & { q?: Cmd[] }

const HEARTBEAT_MS = 15_000
const w = window as unknown as { pagebell?: Pagebell }
const script = document.currentScript as HTMLScriptElement | null
const site = script?.dataset.site ?? ''
const endpoint = script?.dataset.api ?? new URL('/api/collect', script?.src ?? location.href).href

const rid = () => Math.random().toString(36).slice(2, 12) + Date.now().toString(36)
const storageKey = 'pagebell_vid'
let visitor = ''
try {
  visitor = localStorage.getItem(storageKey) ?? ''
  if (!visitor) localStorage.setItem(storageKey, (visitor = rid()))
} catch {
  visitor = rid()
}

let queue: OutgoingEvent[] = []
const send = (beacon?: boolean) => {
  if (!queue.length || !site) return
  const body = JSON.stringify({ site, visitor, events: queue })
  queue = []
  if (beacon && navigator.sendBeacon) navigator.sendBeacon(endpoint, body)
  else fetch(endpoint, { method: 'POST', body, keepalive: true, headers: { 'content-type': 'text/plain' } }).catch(() => {})
}
const push = (e: OutgoingEvent, beacon?: boolean) => {
  queue.push(e)
  send(beacon)
}

let visit = rid()
let visibleMs = 0
let visibleSince = document.visibilityState === 'visible' ? performance.now() : -1
const total = () => Math.round(visibleMs + (visibleSince >= 0 ? performance.now() - visibleSince : 0))
const engage = (state: 'visible' | 'hidden' | 'heartbeat' | 'leave', beacon?: boolean) =>
  push({ id: rid(), type: 'engage', visit, state, visibleMs: total() }, beacon)

push({ id: rid(), type: 'pageview', visit, url: location.href, title: document.title, referrer: document.referrer })

setInterval(() => visibleSince >= 0 && engage('heartbeat'), HEARTBEAT_MS)
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'visible') {
    visibleSince = performance.now()
    engage('visible')
  } else {
    visibleMs = total()
    visibleSince = -1
    engage('hidden', true)
  }
})
addEventListener('pagehide', () => engage('leave', true))

document.addEventListener('submit', (ev) => {
  const form = ev.target as HTMLFormElement
  const fields: Record<string, string> = {}
  for (const el of Array.from(form.elements) as HTMLInputElement[]) {
    if (!el.name || /password|hidden|file/.test(el.type)) continue
    fields[el.name] = el.value
  }
  push({ id: rid(), type: 'form', visit, form: { id: form.id, name: form.getAttribute('name') ?? '', action: form.action }, fields }, true)
}, true)

const api: Pagebell = () => {}
const pending = w.pagebell?.q ?? []
w.pagebell = api
void pending
