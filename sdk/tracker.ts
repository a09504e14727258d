// The tracking script itself, shared by the snippet (index.ts) and the ESM build (module.ts):
// `start` begins tracking, `pagebell(...)` is the command function. One module on purpose: its
// state and its listeners stay in one scope, which the minifier and gzip shrink best (about 65
// bytes less than the same code over five modules; docs/tracking-script.md, "Size").
//
// Delivery. Events are queued (at most 100) and what is queued in one task goes out as one
// batch of up to 20, as text/plain JSON (no CORS preflight) with keepalive. A failed send
// (network, 5xx, 429) puts its events back, ids unchanged, and retries with backoff (2 s, 4 s,
// ... 8 times at most); any other answer is final: 2xx stored, 202 dropped by policy, 4xx
// refused. A page being hidden or left sends everything at once by sendBeacon (fallback:
// keepalive fetch). Nothing is sent and no visitor id is stored while consent is withheld; a
// site that honours Do-Not-Track / Global Privacy Control, in a browser that sends either, is
// not tracked at all (no listener, no event, nothing stored; consent cannot override it).
//
// Visits. A visit opens with a pageview and closes with `leave` (next page, SPA route change,
// tab closed, page put in the back/forward cache; a page restored from that cache opens a new
// visit). Visible time is counted with performance.now(): every engage signal first adds the
// time since the previous one if the page was visible meanwhile, and carries the visit's total
// so far, so a lost signal never loses time. Heartbeats go out every 15 s while visible (the
// server treats a visible visit silent for 35 s as left); the figure on hidden/leave goes by
// beacon. Every engage signal also carries the visit's scroll depth: the deepest point of the
// page seen so far, in % of its height. With data-hash, hash changes are new pages and a `#/`
// hash route is sent as the path (https://app.test/#/pricing → https://app.test/pricing).
// No unload/beforeunload handlers, so pages stay eligible for the back/forward cache.
//
// Forms. Submits are captured on window, so forms added later are covered. A form submitted by
// code (form.submit()) fires no submit event but does fire `formdata`, which is caught too; a
// `formdata` for the form whose submit was captured last (a handler reading new FormData(form),
// or preventing the submit and calling form.submit() later) is the same submit and is skipped.
// A field is dropped (never the form) when its attributes say it is secret, when it sits inside
// [data-pagebell-ignore], when its value is secret whatever the field is called (sensitive.ts),
// or when it looks like a security code or expiry date in a form that holds a card number.
// Unchecked boxes and radios are not sent. A field without a name is keyed by its id, else its
// aria-label, else the first text of its label; an e-mail field without any of these is keyed
// `email`. The server identifies the visitor from an e-mail among the values.
//
// Links. Clicks (and middle clicks) on links that leave the site (`outbound-click`) or fetch a
// file (`file-download`: a `download` attribute or one of the extensions in `click`) are sent as `track`
// events with the link's URL, so rules can use them like any custom event.
import type { Pagebell, Settings } from './options'
import { listen, rid, safe, text, warn } from './safe'
import { isSecret } from './sensitive'
import type { EngageEvent, OutgoingEvent } from './wire'

type Type = OutgoingEvent['type']
/** An event of `type` as the parts below hand it over: everything but its id and type. */
type Fields<T extends Type> = Omit<Extract<OutgoingEvent, { type: T }>, 'id' | 'type'>
/** Named access to an element's attributes: an input named "id" or "action" shadows form.id & co. */
type Attributes = Record<string, Attr | undefined>

let site: string
let endpoint: string | URL
/** Unset: never send (not started, or Do-Not-Track honoured); 1: waiting for consent; 2: sending. */
let mode: number | undefined
let visitor = ''
let outbox: OutgoingEvent[] = []
let tries = 0
let timer: unknown
/** The open visit's id; empty between `leave` and the next pageview. */
let visit = ''
let url: string
let referrer = document.referrer
let countedMs: number
/** performance.now() at the last engage signal, and whether the page was visible since. */
let since: number
let visible: unknown
/** Deepest scroll of the visit, % of the page's height. */
let depth: number
/** With data-hash, a hash route's `#/` becomes `/` (else `$&`: left as it is), and the whole URL makes the page (a URL has no raw space). */
let routeSlash = '$&'
let pageEnd = '#'
/** The form whose submit was captured last. */
let last: EventTarget | null

const flush = safe((beacon?: unknown) => {
  for (timer = 0; mode! > 1 && outbox[0];) {
    const events = outbox.splice(0, 20)
    visitor ||= rid()
    try {
      visitor = (localStorage.pagebell as string | undefined) ||= visitor
    } catch {}
    const body = JSON.stringify({ site, visitor, events })
    const retry = () => tries++ < 8 && ((outbox = [...events, ...outbox]), setTimeout(flush, 1e3 << tries))
    ;(beacon && navigator.sendBeacon(endpoint, body)) ||
      fetch(endpoint, { method: 'POST', body, keepalive: true }).then(
        (r) => (r.status > 499 || r.status == 429 ? retry() : (tries = 0)),
        retry,
      )
  }
})

/** Queues an event; `beacon` sends everything now because the page is being hidden or left. */
const send: <T extends Type>(type: T, fields: Fields<T>, beacon?: unknown) => void = safe(
  (type: Type, fields: object, beacon?: unknown) => {
    outbox.push({ id: rid(), type, ...fields } as OutgoingEvent) > 100 && outbox.shift()
    beacon ? flush(1) : (timer ||= setTimeout(flush))
  },
)

const scrolled = () => (depth = Math.max(depth, Math.min(100, ((scrollY + innerHeight) * 100) / document.documentElement.scrollHeight) | 0))

// `hidden` and `leave` go by beacon: the page may be about to go away.
const engage = (state?: EngageEvent['state'], beacon: unknown = document.hidden, now = performance.now()) => {
  countedMs += (visible && now - since) as number
  since = now
  visible = !document.hidden
  state && visit && send('engage', { visit, state, visibleMs: countedMs | 0, scroll: scrolled() }, beacon)
}

const here = () => location.href.replace(/\/?#\//, routeSlash)

const open = () => {
  visit = rid()
  url = here()
  // Time up to now belongs to the previous visit (or to the back/forward cache).
  engage()
  countedMs = depth = 0
  // The wire takes http(s) referrers only (not e.g. android-app://).
  send('pageview', { visit, url, title: text(document.title), referrer: /^http/.test(referrer) ? text(referrer) : '' })
  // Opened in a background tab or prerendered: no time is running yet (sent with the pageview,
  // not by beacon: the page is not going away).
  visible || engage('hidden', 0)
}

const close = (beacon?: unknown) => {
  engage('leave', beacon)
  visit = ''
}

/** A route change of a single-page app: the current visit closes and the new route's opens. */
const popstate = safe(() => here().split(pageEnd)[0] != url.split(pageEnd)[0] && ((referrer = url), close(), open()))

// Locals as parameters with defaults: called with the event only, and shorter once minified.
const capture = (
  e: Event,
  form = (last = e.target) as HTMLFormElement,
  fields: Record<string, string> = {},
  attr = form.attributes as unknown as Attributes,
  card?: unknown,
) => {
  for (const el of form.elements as unknown as HTMLInputElement[]) {
    const about = el.type + el.checked + el.id + el.autocomplete
    const key = el.name || el.id || el.ariaLabel || el.labels?.[0]?.firstChild?.textContent!.trim() || (/mail/.test(about) && 'email')
    // The field's type + checked + id + autocomplete + key: `^(hi|fi)` is a hidden or file
    // input (or a fieldset, which has no value); `^\w+[ox]false` an unchecked checkbox or radio,
    // as no other type ends in "o" or "x". The rest catches passwords, security codes, card
    // numbers (not card *types*: `card.?n` is "card number", "cardno"), CVC/CVV, expiry dates
    // (and, erring on the safe side, any "exp..." field), SSNs, social insurance numbers, IBANs
    // and CSRF tokens.
    if (
      key &&
      !/^(hi|fi)|^\w+[ox]false|pass|secur|cc-|card.?n|cv|exp|ssn|social|iban|csrf|token/i.test(about + key) &&
      !el.closest('[data-pagebell-ignore]')
    ) {
      const value = el.value
      const digits = value.replace(/[\s-]/g, '')
      // A secret that reads as a number of 13 digits or more is a card number (an IBAN, with its
      // letters, reads as NaN; a SIN or an SSN has 9 digits).
      isSecret(value, digits) ? (card ||= +digits > 1e12) : (fields[text(key, 64)] = text(value))
    }
  }
  // Next to a card number, a security code or an expiry date (12/29, 12-2029) goes too.
  for (const key in fields) card && /^\d{3,4}$|^\d\d?\s?[/-]\s?\d\d(\d\d)?$/.test(fields[key]!) && delete fields[key]
  // A missing attribute is left out (the wire's default is empty). By beacon: the page is
  // usually about to navigate away.
  send('form', { visit, form: { id: attr.id?.value, name: attr.name?.value, action: attr.action?.value }, fields }, 1)
}

const click = (
  e: Event,
  a = (e.target as Element).closest('a'),
  // mailto:, tel: and javascript: links have no host.
  name = a?.host &&
    ((a.attributes as unknown as Attributes).download ||
    /\.(pdf|(doc|xls|ppt)x?|csv|zip|rar|7z|gz|dmg|exe|msi|apk|mp[34])$/i.test(a.pathname)
      ? 'file-download'
      : a.host != location.host && 'outbound-click'),
) => name && send('track', { name, props: { url: text(a!.href) } }, 1)

type Person = { email: string; sig?: string; [trait: string]: string | number | boolean | undefined }

/**
 * `pagebell(...)`: never throws. `consent(false)` also forgets the stored visitor id and
 * everything not yet sent. An identify without an e-mail the server would take is dropped here
 * (sent, it would cost its whole batch) and reported like an unknown command.
 */
export const pagebell = safe((command: string, a: unknown, b: unknown) =>
  command == 'consent'
    ? mode && ((mode = a ? 2 : 1), a ? flush() : ((outbox = []), (visitor = ''), delete localStorage.pagebell))
    : command == 'track'
      ? send('track', { name: a as string, props: b as Record<string, string> })
      : command == 'identify' && /^\S+@\S+\.\S+$/.test((a as Person)?.email)
        ? send('identify', { email: (a as Person).email, sig: (a as Person).sig, traits: a as Record<string, string> })
        : warn(command),
) as Pagebell

/**
 * Starts tracking with the snippet's data- attributes, or the ESM options translated to them.
 * Without data-endpoint, batches go to /api/collect on the host that served the snippet (the
 * ESM build always passes an endpoint: it has no current script).
 */
export const start = (o: Settings): unknown => {
  if (!o.site) return warn('data-site')
  site = o.site
  endpoint = o.endpoint || new URL('/api/collect', (document.currentScript as HTMLScriptElement).src)
  if ('dnt' in o && (navigator.doNotTrack == '1' || (navigator as Navigator & { globalPrivacyControl?: boolean }).globalPrivacyControl))
    return
  mode = 'consent' in o ? 1 : 2
  if ('hash' in o) ((routeSlash = '/'), (pageEnd = ' '))
  open()
  setInterval(() => visible && engage('heartbeat'), 15e3)
  listen({
    visibilitychange: () => engage(document.visibilityState),
    pagehide: () => close(1),
    scroll: scrolled,
    pageshow: (e) => (e as PageTransitionEvent).persisted && open(),
    submit: capture,
    formdata: (e) => e.target != last && capture(e),
    click,
    auxclick: click,
  })
  if (o.spa == 'off') return
  for (const name of ['pushState', 'replaceState'] as const) {
    const original = history[name]
    history[name] = function (this: History, ...a: Parameters<History['pushState']>) {
      original.apply(this, a)
      popstate()
    }
  }
  // Fragment navigations fire popstate too.
  listen({ popstate })
}
