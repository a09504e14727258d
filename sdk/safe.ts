// Every way the page can reach the script goes through `safe`: whatever goes wrong inside is
// dropped, so the script never throws at the page that embeds it.
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

/** Page text as the wire takes it: no control characters (a textarea's newlines), `max` characters at most. */
// eslint-disable-next-line no-control-regex -- control characters are what this removes
export const text = (s: string, max = 1e3): string => s.replace(/[\0-\x1f\x7f]/g, ' ').slice(0, max)
