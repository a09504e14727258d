// Every way the page can reach the script goes through `safe`: whatever goes wrong inside is
// dropped, so the script never throws at the page that embeds it.
export const safe =
  <A extends unknown[]>(f: (...a: A) => unknown) =>
  (...a: A): void => {
    try {
      f.apply(0, a)
    } catch {}
  }

/** A capturing listener, wrapped in `safe`. Capture phase so page handlers cannot hide events. */
export const on = (target: EventTarget, type: string, f: (e: Event) => unknown): void =>
  target.addEventListener(type, safe(f), true)

/** Page text as the wire takes it: no control characters (a textarea's newlines), `max` characters at most. */
export const text = (s: string, max = 1e3): string => s.replace(/[\0-\x1f\x7f]/g, ' ').slice(0, max)
