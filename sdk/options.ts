// What a site can set: data- attributes on the snippet's script tag, or the ESM factory's options.
export type PagebellOptions = {
  /** The site key (`data-site`). */
  site: string
  /** The collect URL (`data-endpoint`); the snippet defaults to /api/collect next to pb.js. */
  endpoint: string
  /** Send nothing when the browser sends Do-Not-Track or Global Privacy Control (`data-dnt`). */
  respectDnt?: boolean
  /** Send nothing until `pagebell('consent', true)` (`data-consent`). */
  requireConsent?: boolean
  /** Treat pushState/replaceState/popstate as new pages; on unless `data-spa="off"`. */
  spa?: boolean
  /** Hash-only URL changes are new pages too, and a `#/` hash route is sent as the path (`data-hash`). */
  hash?: boolean
}

/** `pagebell('identify', {email, sig?, ...traits})`, `pagebell('track', name, props?)`, `pagebell('consent', boolean)`. */
export type Pagebell = {
  (command: 'identify', person: { email: string; sig?: string; [trait: string]: unknown }): void
  (command: 'track', name: string, props?: Record<string, unknown>): void
  (command: 'consent', given: boolean): void
}

/**
 * The options as the script reads them: the snippet's data- attributes (a flag is on when its
 * attribute is present, whatever its value), or the ESM options translated to that shape.
 */
export type Settings = { site?: string; endpoint?: string; dnt?: string; consent?: string; spa?: string; hash?: string }
