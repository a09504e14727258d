// LiquidJS engines, one per output kind. Every engine escapes `{{ }}` output for its format by
// default (HTML entities, CSV cells, JSON string content); `| raw` is the only way around it.
// Templates come from marketers, so includes are disabled and parse/render work is bounded.
import { Liquid } from 'liquidjs'

export type OutputKind = 'html' | 'text' | 'csv' | 'json'

function stringify(value: unknown): string {
  if (value === null || value === undefined) return ''
  if (Array.isArray(value)) return value.map(stringify).join(', ')
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value)
  return JSON.stringify(value) ?? ''
}

/**
 * Every cell quoted, whatever the locale's separator (`,` or `;`), and OWASP's rule: a cell
 * starting with = + - @ (or tab/CR) is prefixed with ' so a spreadsheet never runs it.
 */
export function csvCell(value: unknown): string {
  const s = stringify(value)
  const cell = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s
  return `"${cell.replace(/"/g, '""')}"`
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

/** Renders `template` with the engine of `kind`; LiquidJS types its output as `any`. */
export async function renderTemplate(kind: OutputKind, template: string, data: object): Promise<string> {
  const output: unknown = await liquid(kind).parseAndRender(template, data)
  return typeof output === 'string' ? output : stringify(output)
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
