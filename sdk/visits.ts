// Page visits and their visible time. A visit opens with a pageview and closes with `leave`
// (next page, SPA route change, tab closed, page put in the back/forward cache; a page restored
// from that cache opens a new visit). Visible time is counted with performance.now(): every
// engage signal first adds the time since the previous one if the page was visible meanwhile,
// and carries the visit's total so far, so a lost signal never loses time. Heartbeats go out
// every 15 s while visible (the server treats a visible visit silent for 35 s as left); the
// figure on hidden/leave goes by beacon. Every engage signal also carries the visit's scroll
// depth: the deepest point of the page seen so far, in % of its height. With data-hash, hash
// changes are new pages and a `#/` hash route is sent as the path (https://app.test/#/pricing
// → https://app.test/pricing).
// No unload/beforeunload handlers, so pages stay eligible for the back/forward cache.
import { rid } from './ids'
import type { Settings } from './options'
import { listen, safe, text } from './safe'
import { send } from './transport'
import type { EngageEvent } from './wire'

/** The open visit's id; empty between `leave` and the next pageview. */
export let visit = ''
let url: string
let referrer = document.referrer
let countedMs: number
/** performance.now() at the last engage signal, and whether the page was visible since. */
let since: number
let visible = false
/** Deepest scroll of the visit, % of the page's height. */
let depth: number
/** With data-hash, a hash route's `#/` becomes `/` (else `$&`: left as it is), and the whole URL makes the page (a URL has no raw space). */
let routeSlash = '$&'
let pageEnd = '#'

const scrolled = () => (depth = Math.max(depth, Math.min(100, ((scrollY + innerHeight) * 100) / document.documentElement.scrollHeight) | 0))

const engage = (state?: EngageEvent['state'], beacon?: unknown) => {
  const now = performance.now()
  countedMs += +visible && now - since
  since = now
  visible = !document.hidden
  if (state && visit) send({ type: 'engage', visit, state, visibleMs: countedMs | 0, scroll: scrolled() }, beacon)
}

const here = () => location.href.replace(/\/?#\//, routeSlash)

const open = () => {
  visit = rid()
  url = here()
  // Time up to now belongs to the previous visit (or to the back/forward cache).
  engage()
  countedMs = depth = 0
  // The wire takes http(s) referrers only (not e.g. android-app://).
  send({ type: 'pageview', visit, url, title: text(document.title), referrer: /^http/.test(referrer) ? text(referrer) : '' })
  // Opened in a background tab or prerendered: no time is running yet.
  visible || engage('hidden')
}

const close = (beacon?: unknown) => {
  engage('leave', beacon)
  visit = ''
}

/** A route change of a single-page app: the current visit closes and the new route's opens. */
const popstate = () => here().split(pageEnd)[0] != url.split(pageEnd)[0] && ((referrer = url), close(), open())

export const startVisits = (o: Settings): void => {
  if ('hash' in o) ((routeSlash = '/'), (pageEnd = ' '))
  open()
  setInterval(
    safe(() => visible && engage('heartbeat')),
    15e3,
  )
  listen({
    visibilitychange: () => engage(document.visibilityState, document.hidden),
    pagehide: () => close(1),
    scroll: scrolled,
    pageshow: (e) => (e as PageTransitionEvent).persisted && open(),
  })
  if (o.spa == 'off') return
  for (const name of ['pushState', 'replaceState'] as const) {
    const original = history[name]
    const afterwards = safe(popstate)
    history[name] = function (this: History, ...a: Parameters<History['pushState']>) {
      original.apply(this, a)
      afterwards()
    }
  }
  // Fragment navigations fire popstate too.
  listen({ popstate })
}
