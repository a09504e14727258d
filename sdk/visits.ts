// Page visits and their visible time. A visit opens with a pageview and closes with `leave`
// (next page, SPA route change, tab closed, page put in the back/forward cache; a page restored
// from that cache opens a new visit). Visible time is counted with performance.now() only while
// the document is visible; every engage signal carries the visit's total so far, so a lost
// signal never loses time. Heartbeats go out every 15 s while visible (the server treats a
// visible visit silent for 35 s as left); the figure on hidden/leave goes by beacon. Every
// engage signal also carries the visit's scroll depth: the deepest point of the page seen so
// far, in % of its height. With data-hash, hash changes are new pages and a `#/` hash route
// is sent as the path (https://app.test/#/pricing → https://app.test/pricing).
// No unload/beforeunload handlers, so pages stay eligible for the back/forward cache.
import { rid } from './ids'
import { on, safe, text } from './safe'
import { send } from './transport'
import type { Settings } from './options'
import type { EngageEvent } from './wire'

/** The open visit's id; empty between `leave` and the next pageview. */
export let visit = ''
let url: string
let referrer = document.referrer
let countedMs: number
/** performance.now() when the page last became visible, 0 while hidden (now() is > 0 after load). */
let since: number
let withHash: unknown
/** Deepest scroll of the visit, % of the page's height. */
let depth: number

const now = () => performance.now()
const total = () => countedMs + (since && now() - since)
const scrolled = () => (depth = Math.max(depth, Math.min(100, ((scrollY + innerHeight) * 100) / document.documentElement.scrollHeight) | 0))

const engage = (state: EngageEvent['state'], beacon?: unknown) =>
  visit && send({ type: 'engage', visit, state, visibleMs: total() | 0, scroll: scrolled() }, beacon)

/** The page's URL as sent: with data-hash, a `#/` route becomes the path. */
const here = () => (withHash ? location.href.replace(/\/?#\//, '/') : location.href)

const open = () => {
  visit = rid()
  url = here()
  countedMs = depth = 0
  since = document.hidden ? 0 : now()
  // The wire takes http(s) referrers only (not e.g. android-app://).
  send({ type: 'pageview', visit, url, title: text(document.title), referrer: /^http/.test(referrer) ? text(referrer) : '' })
  // Opened in a background tab or prerendered: no time is running yet.
  since || engage('hidden')
}

const close = (beacon?: unknown) => {
  engage('leave', beacon)
  visit = ''
}

const page = (u: string) => (withHash ? u : u.split('#')[0])

/** A route change of a single-page app: the current visit closes and the new route's opens. */
const route = () => page(here()) != page(url) && ((referrer = url), close(), open())

export const startVisits = (o: Settings): void => {
  withHash = 'hash' in o
  open()
  setInterval(
    safe(() => since && engage('heartbeat')),
    15e3,
  )
  on(document, 'visibilitychange', () =>
    document.hidden ? ((countedMs = total()), (since = 0), engage('hidden', 1)) : ((since = now()), engage('visible')),
  )
  on(window, 'pagehide', () => close(1))
  on(window, 'scroll', scrolled)
  on(window, 'pageshow', (e) => (e as PageTransitionEvent).persisted && open())
  if (o.spa == 'off') return
  for (const name of ['pushState', 'replaceState'] as const) {
    const original = history[name]
    const afterwards = safe(route)
    history[name] = function (this: History, ...a: Parameters<History['pushState']>) {
      original.apply(this, a)
      afterwards()
    }
  }
  // Fragment navigations fire popstate too.
  on(window, 'popstate', route)
}
