// Helpers every part of the script uses. Every way the page can reach the script goes through
// `safe`: whatever goes wrong inside is dropped, so the script never throws at the page that embeds it.
export const safe =
  <A extends unknown[]>(f: (...a: A) => unknown) =>
  (...a: A): void => {
    try {
      f(...a)
    } catch {}
  }

/**
 * Listens, through `safe`, for each event named by a key of `handlers`, on window in the capture
 * phase: window is the first stop of every event of the document (submit, click, visibilitychange,
 * scroll...) and the target of its own (pagehide, popstate), so page handlers cannot hide events.
 */
export const listen = (handlers: Record<string, (e: Event) => unknown>): void => {
  for (const type in handlers) addEventListener(type, safe(handlers[type]!), true)
}

/** Page text as the wire takes it: control characters (a textarea's newlines) made spaces, `max` characters at most. */
export const text = (s: string, max = 1e3): string => s.replace(/\p{Cc}/gu, ' ').slice(0, max)

/**
 * Visitor, visit and event ids: the 16-17 decimal digits of Math.random() (~53 bits), always
 * url-safe and, but for a 1-in-2^50 draw, within the 8-64 characters the wire contract asks.
 * Event ids are deduplicated per visitor, so this is ample; crypto.randomUUID would need HTTPS.
 */
export const rid = (): string => (Math.random() + '').slice(2)

const warned: Record<string, string> = {}

/**
 * Misuse of the script (an unknown command, an identify without a valid e-mail, no data-site)
 * is reported on the console once per kind, `pagebell: invalid <kind>`, and otherwise ignored.
 */
export const warn = (kind: string): unknown => warned[kind] || console.warn((warned[kind] = 'pagebell: invalid ' + kind))
