// The tracking script in headless Chromium, against a capturing server: what it sends for page
// visits, visible time (in tabs Chromium itself hides and shows), scroll depth, SPA and hash
// routes, forms as real-world builders write them, outbound links and downloads, consent,
// queued calls, misuse warnings and hostile pages.
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startCaptureServer, snippetPage, type CaptureServer, type OutgoingEvent } from './fixtures/capture-server'
import {
  BUILDER_FORM,
  BUILDER_KEPT,
  BUILDER_SECRETS,
  CHECKOUT_FORM,
  CHECKOUT_KEPT,
  formPage,
  KEPT_FIELDS,
  REACT_FORM,
  REACT_KEPT,
  SENSITIVE_VALUES,
} from './fixtures/pages'
import { buildSdk } from './fixtures/build'
import { launchChromium, screenshot } from './support/browser'
import { launchRealTabs, type RealTabs } from './support/cdp-tabs'

const ID = /^[A-Za-z0-9_-]{8,64}$/
type Of<T extends OutgoingEvent['type']> = Extract<OutgoingEvent, { type: T }>
const of = <T extends OutgoingEvent['type']>(events: OutgoingEvent[], type: T) => events.filter((e): e is Of<T> => e.type === type)
const engage = (events: OutgoingEvent[], visit: string) => of(events, 'engage').filter((e) => e.visit === visit)

let browser: Browser
let tabs: RealTabs
let server: CaptureServer
let context: BrowserContext

beforeAll(async () => {
  buildSdk()
  server = await startCaptureServer()
  browser = await launchChromium()
  tabs = await launchRealTabs()
})
afterAll(async () => {
  await browser?.close()
  await tabs?.close()
  await server?.close()
})
beforeEach(async () => {
  // Bounded: closing a context whose page is mid-navigation once hung for minutes under load;
  // a context left open is closed with the browser in afterAll.
  if (context) await Promise.race([context.close(), new Promise((r) => setTimeout(r, 5_000))])
  server.reset()
  context = await browser.newContext({ viewport: { width: 900, height: 700 } })
})

const open = async (path: string, html: string, prepare?: (page: Page) => unknown, where: BrowserContext = context) => {
  server.page(path, html)
  const page = await where.newPage()
  await prepare?.(page)
  await page.goto(server.url + path, { referer: 'https://search.example/?q=pagebell' })
  return page
}

describe('tracking script: page visits', () => {
  it('sends a pageview with url, title, referrer and well-formed ids', async () => {
    const page = await open('/pricing', snippetPage({ title: 'Pricing · Acme', body: '<h1>Pricing</h1>' }))
    const view = await server.waitFor((ev) => of(ev, 'pageview')[0])
    await screenshot(page, 'sdk-pageview-fixture')
    expect(view).toMatchObject({ url: `${server.url}/pricing`, title: 'Pricing · Acme', referrer: 'https://search.example/?q=pagebell' })
    expect(view.id).toMatch(ID)
    expect(view.visit).toMatch(ID)
    const batch = server.exchanges[0]!.batch
    expect(batch.site).toBe('demo-site-key')
    expect(batch.visitor).toMatch(ID)
    // The visitor id survives a reload (localStorage), the visit id does not; no cookie is set.
    await page.reload()
    await server.waitFor((ev) => of(ev, 'pageview').length === 2)
    const [first, second] = server.exchanges.filter((x) => x.batch.events.some((e) => e.type === 'pageview'))
    expect(second!.batch.visitor).toBe(first!.batch.visitor)
    expect(of(server.events(), 'pageview')[1]!.visit).not.toBe(view.visit)
    expect(await context.cookies()).toEqual([])
  })

  it('delivers the final figure by beacon when the tab is closed', async () => {
    const page = await open('/close', snippetPage({ body: '<h1>Bye</h1>' }))
    const view = await server.waitFor((ev) => of(ev, 'pageview')[0])
    await page.close({ runBeforeUnload: false })
    await server.waitFor((ev) => engage(ev, view.visit).find((e) => e.state === 'leave'))
    const last = server.exchanges.at(-1)!
    // sendBeacon requests are no-cors; the script's own fetches are cors.
    expect(last.mode).toBe('no-cors')
  })

  it('closes the visit and opens a new one on pushState, replaceState to a new URL and popstate', async () => {
    const page = await open('/app', snippetPage({ title: 'App', body: '<h1>App</h1>' }))
    const first = await server.waitFor((ev) => of(ev, 'pageview')[0])
    await page.evaluate(() => history.pushState({}, '', '/app/settings'))
    const second = await server.waitFor((ev) => of(ev, 'pageview')[1])
    expect(engage(server.events(), first.visit).at(-1)!.state).toBe('leave')
    expect(second).toMatchObject({ url: `${server.url}/app/settings`, referrer: `${server.url}/app` })
    await page.evaluate(() => history.replaceState({ same: true }, ''))
    await page.evaluate(() => history.replaceState({}, '', '/app/profile'))
    const third = await server.waitFor((ev) => of(ev, 'pageview')[2])
    expect(third.url).toBe(`${server.url}/app/profile`)
    await page.goBack()
    const fourth = await server.waitFor((ev) => of(ev, 'pageview')[3])
    expect(fourth.url).toBe(`${server.url}/app`)
    // A hash-only change is the same page unless data-hash is set.
    await page.evaluate(() => (location.hash = '#faq'))
    await page.evaluate(() => history.pushState({}, '', '#more'))
    await page.waitForFunction(() => location.hash === '#more')
    await page.close({ runBeforeUnload: false })
    await server.waitFor((ev) => engage(ev, fourth.visit).find((e) => e.state === 'leave'))
    expect(of(server.events(), 'pageview')).toHaveLength(4)
  })

  it('treats hash changes as pages with data-hash', async () => {
    const page = await open('/docs', snippetPage({ attrs: 'data-hash', body: '<a href="#install">Install</a>' }))
    await server.waitFor((ev) => of(ev, 'pageview')[0])
    await page.click('a[href="#install"]')
    const second = await server.waitFor((ev) => of(ev, 'pageview')[1])
    expect(second.url).toBe(`${server.url}/docs#install`)
  })

  it('leaves history alone with data-spa="off"', async () => {
    const page = await open('/static', snippetPage({ attrs: 'data-spa="off"' }))
    await server.waitFor((ev) => of(ev, 'pageview')[0])
    expect(await page.evaluate(() => history.pushState.toString().includes('[native code]'))).toBe(true)
  })
})

describe('tracking script: visible time in tabs Chromium hides', () => {
  // Pages in the real-tabs browser share one profile: each starts without a stored visitor.
  const openTab = (path: string, html: string) =>
    open(path, html, (p) => Promise.all([p.clock.install(), p.addInitScript(() => localStorage.clear())]), tabs.context)

  it('counts only visible time: visible 12 s, hidden 20 s, visible 5 s reports 17 s ± 1 s', async () => {
    const page = await openTab('/read', snippetPage({ body: '<h1>Read me</h1>' }))
    const view = await server.waitFor((ev) => of(ev, 'pageview')[0])
    await page.clock.runFor(12_000)
    await tabs.hide(page)
    await page.clock.runFor(20_000)
    await tabs.show(page)
    await page.clock.runFor(5_000)
    await page.close({ runBeforeUnload: false })
    const leave = await server.waitFor((ev) => engage(ev, view.visit).find((e) => e.state === 'leave'))
    const states = engage(server.events(), view.visit)
    // Chromium's own visibilitychange events, no heartbeat (never 15 s visible in a row).
    expect(states.map((e) => e.state)).toEqual(['hidden', 'visible', 'leave'])
    expect(Math.abs(states.find((e) => e.state === 'hidden')!.visibleMs - 12_000)).toBeLessThanOrEqual(1_000)
    expect(Math.abs(leave.visibleMs - 17_000)).toBeLessThanOrEqual(1_000)
  })

  it('sends heartbeats every 15 s while visible and none while hidden', async () => {
    const page = await openTab('/long', snippetPage({ body: '<h1>Long read</h1>' }))
    const view = await server.waitFor((ev) => of(ev, 'pageview')[0])
    await page.clock.runFor(31_000)
    await server.waitFor((ev) => engage(ev, view.visit).filter((e) => e.state === 'heartbeat').length === 2)
    await tabs.hide(page)
    await page.clock.runFor(60_000)
    await tabs.show(page)
    await page.clock.runFor(1_000)
    await server.waitFor((ev) => engage(ev, view.visit).some((e) => e.state === 'visible'))
    const beats = engage(server.events(), view.visit).filter((e) => e.state === 'heartbeat')
    expect(beats).toHaveLength(2)
    expect(beats.map((b) => Math.round(b.visibleMs / 1000))).toEqual([15, 30])
    // Every event of the visit has its own id.
    const ids = server.events().map((e) => e.id)
    expect(new Set(ids).size).toBe(ids.length)
    await page.close({ runBeforeUnload: false })
  })

  it('sends nothing while consent is withheld, then everything once given; consent(false) forgets the visitor', async () => {
    const page = await openTab('/consent', snippetPage({ attrs: 'data-consent', body: '<h1>Cookie-free, still asks</h1>' }))
    await page.evaluate(() => (window as unknown as { pagebell: (...a: unknown[]) => void }).pagebell('track', 'clicked'))
    await page.clock.runFor(40_000)
    await tabs.hide(page)
    await tabs.show(page)
    expect(server.exchanges).toHaveLength(0)
    expect(await page.evaluate(() => localStorage.length)).toBe(0)
    await page.evaluate(() => (window as unknown as { pagebell: (...a: unknown[]) => void }).pagebell('consent', true))
    await server.waitFor((ev) => of(ev, 'track')[0])
    expect(server.events()[0]!.type).toBe('pageview')
    await page.evaluate(() => (window as unknown as { pagebell: (...a: unknown[]) => void }).pagebell('consent', false))
    const sent = server.exchanges.length
    expect(await page.evaluate(() => localStorage.length)).toBe(0)
    await page.clock.runFor(40_000)
    await page.close({ runBeforeUnload: false })
    await new Promise((r) => setTimeout(r, 500))
    expect(server.exchanges).toHaveLength(sent)
  })
})

describe('tracking script: forms', () => {
  it('sends every ordinary field and never a sensitive one', async () => {
    const page = await open('/signup', formPage())
    await server.waitFor((ev) => of(ev, 'pageview')[0])
    await screenshot(page, 'sdk-form-fixture')
    await Promise.all([page.waitForURL('**/thanks'), page.click('button[type=submit]')])
    const form = await server.waitFor((ev) => of(ev, 'form')[0])
    expect(form.form).toEqual({ id: 'signup', name: 'signup-form', action: '/thanks' })
    expect(form.fields).toEqual(KEPT_FIELDS)
    for (const value of SENSITIVE_VALUES) expect(Object.values(form.fields)).not.toContain(value)
    const raw = JSON.stringify(server.exchanges.map((x) => x.batch))
    for (const value of ['hunter2', 'hunter3', 'csrf-token-123', '4111', '5555555555554444', '078-05-1120', 'DE89', 'do not send'])
      expect(raw).not.toContain(value)
  })

  it('drops secrets by value in fields named anything, keeps card types, order numbers and promo codes', async () => {
    const page = await open('/apply', snippetPage({ title: 'Apply', body: BUILDER_FORM }))
    await server.waitFor((ev) => of(ev, 'pageview')[0])
    await screenshot(page, 'sdk-builder-form-fixture')
    await Promise.all([page.waitForURL('**/thanks'), page.click('button[type=submit]')])
    const form = await server.waitFor((ev) => of(ev, 'form')[0])
    expect(form.fields).toEqual(BUILDER_KEPT)
    const raw = JSON.stringify(server.exchanges.map((x) => x.batch))
    for (const value of BUILDER_SECRETS) expect(raw).not.toContain(value)
  })

  it('keys name-less fields by id or label, and drops a card with its code and expiry however they are labelled', async () => {
    const page = await open('/checkout', snippetPage({ title: 'Checkout', body: CHECKOUT_FORM }))
    await server.waitFor((ev) => of(ev, 'pageview')[0])
    await Promise.all([page.waitForURL('**/thanks'), page.click('button[type=submit]')])
    const form = await server.waitFor((ev) => of(ev, 'form')[0])
    expect(form.fields).toEqual(CHECKOUT_KEPT)
    const raw = JSON.stringify(server.exchanges.map((x) => x.batch))
    for (const value of ['5555 5555 5555 4444', '"737"', '03/30']) expect(raw).not.toContain(value)
  })

  it('sends a React-style form without names, its e-mail keyed by type', async () => {
    const page = await open('/sales', snippetPage({ title: 'Sales', body: REACT_FORM }))
    await server.waitFor((ev) => of(ev, 'pageview')[0])
    await Promise.all([page.waitForURL('**/thanks'), page.click('button[type=submit]')])
    const form = await server.waitFor((ev) => of(ev, 'form')[0])
    expect(form.fields).toEqual(REACT_KEPT)
  })

  it('captures forms added after load and forms submitted by code, each once', async () => {
    const page = await open('/late', snippetPage({ body: '<div id="slot"></div>' }))
    await server.waitFor((ev) => of(ev, 'pageview')[0])
    await page.evaluate(() => {
      const slot = document.getElementById('slot')!
      slot.innerHTML = `<form id="late" action="/late/sent" method="post"><input name="email" value="late@buyer.test"></form>
        <form id="coded" action="/late/sent" method="post"><input name="topic" value="demo"></form>
        <form id="checked" action="/late/sent" method="post"><input name="topic" value="ajax"></form>`
      // A page that validates first, then submits by code: one submit.
      document.getElementById('checked')!.addEventListener('submit', (e) => {
        e.preventDefault()
        void new FormData(e.target as HTMLFormElement)
      })
    })
    await page.evaluate(() => (document.getElementById('checked') as HTMLFormElement).requestSubmit())
    await page.evaluate(() => (document.getElementById('late') as HTMLFormElement).requestSubmit())
    await page.waitForURL('**/late/sent')
    const forms = await server.waitFor((ev) => of(ev, 'form').length >= 2 && of(ev, 'form'))
    expect(forms.map((f) => f.form.id)).toEqual(['checked', 'late'])
    expect(forms[1]!.fields).toEqual({ email: 'late@buyer.test' })

    const coded = await open(
      '/coded',
      snippetPage({ body: '<form id="coded" action="/late/sent" method="post"><input name="topic" value="demo"></form>' }),
    )
    await server.waitFor((ev) => of(ev, 'pageview').length === 2)
    await coded.evaluate(() => (document.getElementById('coded') as HTMLFormElement).submit())
    const byCode = await server.waitFor((ev) => of(ev, 'form').find((f) => f.form.id === 'coded'))
    expect(byCode.fields).toEqual({ topic: 'demo' })
  })
})

describe('tracking script: links, scroll depth and hash routes', () => {
  it('sends outbound clicks and file downloads as track events, not internal or mailto links', async () => {
    const links = `<a id="out" href="https://partner.example/offer?x=1">Partner</a> <a id="pdf" href="/files/price-list.pdf">Prices</a>
<a id="dl" href="/export?id=7" download>Export</a> <a id="in" href="/about">About</a> <a id="mail" href="mailto:sales@acme.test">Mail</a>
<script>document.addEventListener('click', (e) => e.preventDefault())</script>`
    const page = await open('/links', snippetPage({ body: links }))
    await server.waitFor((ev) => of(ev, 'pageview')[0])
    for (const id of ['in', 'mail', 'out', 'pdf', 'dl']) await page.click(`#${id}`)
    await page.click('#out', { button: 'middle' })
    const tracked = await server.waitFor((ev) => of(ev, 'track').length === 4 && of(ev, 'track'))
    expect(tracked.map((t) => [t.name, t.props])).toEqual([
      ['outbound-click', { url: 'https://partner.example/offer?x=1' }],
      ['file-download', { url: `${server.url}/files/price-list.pdf` }],
      ['file-download', { url: `${server.url}/export?id=7` }],
      ['outbound-click', { url: 'https://partner.example/offer?x=1' }],
    ])
  })

  it('reports the deepest scroll of the visit with its engage signals', async () => {
    const page = await open('/tall', snippetPage({ body: '<div style="height:6960px">Tall</div>' }))
    const view = await server.waitFor((ev) => of(ev, 'pageview')[0])
    await page.evaluate(() => scrollTo(0, 2800))
    await page.waitForFunction(() => scrollY === 2800)
    await page.evaluate(() => scrollTo(0, 0))
    await page.close({ runBeforeUnload: false })
    const leave = await server.waitFor((ev) => engage(ev, view.visit).find((e) => e.state === 'leave'))
    // (2800 + 700) / 7008 (the div, the body's margins): 49 %.
    expect(leave.scroll).toBe(49)
  })

  it('sends a #/ hash route as the path with data-hash', async () => {
    const page = await open('/app', snippetPage({ attrs: 'data-hash' }))
    await server.waitFor((ev) => of(ev, 'pageview')[0])
    await page.evaluate(() => (location.hash = '#/pricing/team'))
    const route = await server.waitFor((ev) => of(ev, 'pageview')[1])
    expect(route).toMatchObject({ url: `${server.url}/app/pricing/team`, referrer: `${server.url}/app` })
  })
})

describe('tracking script: misuse', () => {
  it('warns once per kind of misuse and sends nothing for it', async () => {
    const warnings: string[] = []
    const page = await open('/misuse', snippetPage(), (p) => p.on('console', (m) => m.type() === 'warning' && warnings.push(m.text())))
    await server.waitFor((ev) => of(ev, 'pageview')[0])
    await page.evaluate(() => {
      const pb = (window as unknown as { pagebell: (...a: unknown[]) => void }).pagebell
      pb('nonsense')
      pb('nonsense', 1)
      pb('identify', { email: 'not an address' })
      pb('identify', null)
      pb('track', 'after')
    })
    await server.waitFor((ev) => of(ev, 'track')[0])
    expect(warnings).toEqual(['pagebell: invalid nonsense', 'pagebell: invalid identify'])
    expect(of(server.events(), 'identify')).toEqual([])
  })

  it('warns about a missing data-site and sends nothing', async () => {
    const warnings: string[] = []
    const html = '<!doctype html><title>No key</title><script src="/pb.js"></script><script>pagebell("track", "x")</script>'
    await open('/no-site', html, (p) => p.on('console', (m) => m.type() === 'warning' && warnings.push(m.text())))
    await expect.poll(() => warnings, { timeout: 10_000 }).toEqual(['pagebell: invalid data-site'])
    expect(server.exchanges).toEqual([])
  })
})

describe('tracking script: API, consent and privacy', () => {
  it('runs calls made before the script loaded, in order, and later calls at once', async () => {
    const stub = `<script>window.pagebell=window.pagebell||function(){(pagebell.q=pagebell.q||[]).push(arguments)};
pagebell('identify',{email:'early@buyer.test',name:'Early Bird'});pagebell('track','signup_started',{plan:'team',seats:3})</script>`
    const page = await open('/early', snippetPage({ head: stub, script: '/pb.js?delay=400' }))
    const identify = await server.waitFor((ev) => of(ev, 'identify')[0])
    expect(identify).toMatchObject({ email: 'early@buyer.test', traits: { name: 'Early Bird' } })
    const track = await server.waitFor((ev) => of(ev, 'track')[0])
    expect(track).toMatchObject({ name: 'signup_started', props: { plan: 'team', seats: 3 } })
    const order = server.events().map((e) => e.type)
    expect(order.slice(0, 3)).toEqual(['pageview', 'identify', 'track'])
    await page.evaluate(() => (window as unknown as { pagebell: (...a: unknown[]) => void }).pagebell('track', 'later'))
    await server.waitFor((ev) => of(ev, 'track').find((t) => t.name === 'later'))
  })

  it('sends nothing under Global Privacy Control or Do-Not-Track when the site honours them', async () => {
    for (const signal of ['globalPrivacyControl', 'doNotTrack']) {
      const page = await open(`/gpc-${signal}`, snippetPage({ attrs: 'data-dnt' }), (p) =>
        p.addInitScript((s) => Object.defineProperty(Navigator.prototype, s, { get: () => (s === 'doNotTrack' ? '1' : true) }), signal),
      )
      await page.evaluate(() => (window as unknown as { pagebell: (...a: unknown[]) => void }).pagebell('track', 'x'))
      await page.close({ runBeforeUnload: false })
    }
    // The same signal without data-dnt: tracked.
    await open('/gpc-ignored', snippetPage(), (p) =>
      p.addInitScript(() => Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true })),
    )
    await server.waitFor((ev) => of(ev, 'pageview')[0])
    expect(server.events().map((e) => e.type)).toEqual(['pageview'])
  })

  it('throws nothing on a hostile page and adds no global but pagebell', async () => {
    const hostile = `<script>
window.__before = Object.getOwnPropertyNames(window);
Array.prototype.toJSON = function () { return 'hostile' };
Array.prototype.push = function () { throw new Error('hostile push') };
Array.prototype.splice = function () { throw new Error('hostile splice') };
JSON.stringify = function () { throw new Error('hostile JSON') };
</script>`
    const errors: string[] = []
    const page = await open(
      '/hostile',
      snippetPage({ head: hostile, body: '<form id="f" action="/hostile" method="get"><input name="a" value="b"></form>' }),
      (p) => {
        p.on('pageerror', (e) => errors.push(e.message))
        p.on('console', (m) => m.type() === 'error' && !m.text().startsWith('Failed to load resource') && errors.push(m.text()))
      },
    )
    await page.waitForFunction(() => typeof (window as unknown as { pagebell?: unknown }).pagebell === 'function')
    await page.evaluate(() => {
      const pb = (window as unknown as { pagebell: (...a: unknown[]) => void }).pagebell
      pb('track', 'x', { a: 1 })
      pb('identify', null)
      pb('nonsense')
      pb()
      history.pushState({}, '', '/hostile/next')
      document.dispatchEvent(new Event('visibilitychange'))
    })
    const added = await page.evaluate(() => {
      const before = new Set((window as unknown as { __before: string[] }).__before)
      return Object.getOwnPropertyNames(window)
        .filter((k) => !before.has(k) && k !== '__before')
        .join(',')
    })
    await page.evaluate(() => (document.getElementById('f') as HTMLFormElement).requestSubmit())
    await page.waitForURL('**/hostile?a=b')
    await page.close({ runBeforeUnload: false })
    expect(errors).toEqual([])
    expect(added).toBe('pagebell')
  })
})
