// LiquidJS engines, one per output kind. Every engine escapes `{{ }}` output for its format by
// default (HTML entities, CSV cells, JSON string content); `| raw` is the only way around it.
// Templates come from marketers, so includes are disabled and parse/render work is bounded.
import { Liquid } from 'liquidjs'

export type OutputKind = 'html' | 'text' | 'csv' | 'json'

const stringify = (value: unknown): string =>
  value === null || value === undefined ? '' : Array.isArray(value) ? value.map(stringify).join(', ') : String(value)

/** OWASP's rule: a cell starting with = + - @ (or tab/CR) is prefixed with ' and quoted. */
export function csvCell(value: unknown): string {
  const s = stringify(value)
  const formula = /^[=+\-@\t\r]/.test(s)
  const cell = formula ? `'${s}` : s
  return formula || /[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell
}

const jsonStringContent = (value: unknown) => JSON.stringify(stringify(value)).slice(1, -1)

const ESCAPES: Record<OutputKind, 'escape' | ((value: unknown) => string) | undefined> = {
  html: 'escape',
  text: undefined,
  csv: csvCell,
  json: jsonStringContent,
}

const engines = new Map<OutputKind, Liquid>()

export function liquid(kind: OutputKind): Liquid {
  let engine = engines.get(kind)
  if (!engine) {
    engine = new Liquid({
      outputEscape: ESCAPES[kind],
      templates: {},
      strictFilters: true,
      ownPropertyOnly: true,
      parseLimit: 100_000,
      renderLimit: 1_000,
      memoryLimit: 10_000_000,
    })
    engines.set(kind, engine)
  }
  return engine
}

/** Save-time check for an imported template: null when it parses, else the parser's reason. */
export function templateError(source: string, kind: OutputKind = 'html'): string | null {
  try {
    liquid(kind).parse(source)
    return null
  } catch (err) {
    return err instanceof Error ? err.message.slice(0, 300) : String(err)
  }
}
