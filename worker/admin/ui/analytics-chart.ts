// An alert's days as a stacked bar chart in SVG, drawn on the server: one bar per local day, as
// tall as the alert fired, split into sent, folded into a digest, failed, held back by the
// frequency limit and the rest (pending, unknown, skipped). Colours are presentation attributes,
// not CSS, so the same SVG works inline in a page (whose policy refuses inline styles) and alone
// (the API's chart). A title, a description with the totals and a title per bar make it readable
// without sight; the page puts the table of the same numbers beside it.
import { html } from 'hono/html'
import type { AnalyticsDay } from '../../db/queries/alerts'

type Totals = Omit<AnalyticsDay, 'day'>

/** Bottom to top. `other` = pending + unknown + skipped. */
export const SERIES = [
  { key: 'sent', label: 'Sent', colour: '#1f8a3b' },
  { key: 'digested', label: 'In a digest', colour: '#d99a00' },
  { key: 'failed', label: 'Failed', colour: '#b3261e' },
  { key: 'held', label: 'Held back', colour: '#6b7ba3' },
  { key: 'other', label: 'Pending, skipped', colour: '#c3c9d6' },
] as const

type SeriesKey = (typeof SERIES)[number]['key']

const valueOf = (d: Totals, key: SeriesKey) => (key === 'other' ? d.pending + d.unknown + d.skipped : d[key])

// Drawn at about the size the alert page shows it, so 14 px text stays about 14 px (on a phone
// the page lets it scroll sideways rather than shrink below 10 px).
const WIDTH = 960
const HEIGHT = 300
const PLOT = { left: 44, right: 12, top: 52, bottom: 34 }
const LEGEND_SLOT = 150
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

/** "12 Nov" from "2026-11-12". */
export const shortDay = (day: string) => `${Number(day.slice(8, 10))} ${MONTHS[Number(day.slice(5, 7)) - 1] ?? ''}`

/** An axis top at or above `max` with 2–5 whole-number steps of 1, 2 or 5 × 10ⁿ. */
function axis(max: number): { top: number; step: number } {
  if (max <= 4) return { top: Math.max(max, 1), step: 1 }
  const rough = max / 4
  const magnitude = 10 ** Math.floor(Math.log10(rough))
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= rough) ?? 10 * magnitude
  return { top: Math.ceil(max / step) * step, step }
}

export function describeTotals(t: Totals): string {
  return `Fired ${t.fired}: ${t.sent} sent, ${t.held} held back by the frequency limit, ${t.digested} folded into a digest, ${t.failed} failed, ${t.pending + t.unknown + t.skipped} pending or skipped.`
}

/** The series as a sentence says them. */
const SAID: Record<SeriesKey, string> = {
  sent: 'sent',
  digested: 'in a digest',
  failed: 'failed',
  held: 'held back by the frequency limit',
  other: 'pending or skipped',
}

function dayTitle(d: AnalyticsDay): string {
  const parts = SERIES.map((s) => [SAID[s.key], valueOf(d, s.key)] as const)
    .filter(([, n]) => n > 0)
    .map(([label, n]) => `${n} ${label}`)
  return `${d.day}: fired ${d.fired}${parts.length ? ` (${parts.join(', ')})` : ''}`
}

/**
 * The chart of `days` (newest first, every day of the window) in `timeZone`. `id` prefixes the
 * ids the title and description are referenced by; `standalone` adds the namespace for an .svg file.
 */
export function analyticsChart(options: {
  days: AnalyticsDay[]
  totals: Totals
  timeZone: string
  name: string
  id: string
  standalone?: boolean
}) {
  const days = [...options.days].reverse()
  const { top, step } = axis(Math.max(0, ...days.map((d) => d.fired)))
  const plotWidth = WIDTH - PLOT.left - PLOT.right
  const plotHeight = HEIGHT - PLOT.top - PLOT.bottom
  const slot = plotWidth / Math.max(days.length, 1)
  const barWidth = Math.max(2, Math.min(28, slot * 0.72))
  const y = (n: number) => PLOT.top + plotHeight - (n / top) * plotHeight
  const round = (n: number) => Math.round(n * 10) / 10
  const first = days[0]?.day ?? ''
  const last = days.at(-1)?.day ?? ''
  const busiest = days.reduce<AnalyticsDay | null>((b, d) => (d.fired > (b?.fired ?? 0) ? d : b), null)

  const gridLines = []
  for (let n = 0; n <= top; n += step) {
    gridLines.push(
      html`<line
          x1="${PLOT.left}"
          x2="${WIDTH - PLOT.right}"
          y1="${round(y(n))}"
          y2="${round(y(n))}"
          stroke="${n === 0 ? '#9aa3b5' : '#e3e7ee'}"
        />
        <text x="${PLOT.left - 8}" y="${round(y(n) + 4)}" text-anchor="end">${n}</text>`,
    )
  }
  // Every 7th day from the newest, so today is always named.
  const labels = days.flatMap((d, i) =>
    (days.length - 1 - i) % 7 === 0
      ? [html`<text x="${round(PLOT.left + slot * i + slot / 2)}" y="${HEIGHT - 12}" text-anchor="middle">${shortDay(d.day)}</text>`]
      : [],
  )
  const bars = days.map((d, i) => {
    const x = round(PLOT.left + slot * i + (slot - barWidth) / 2)
    let base = 0
    const segments = SERIES.flatMap((s) => {
      const n = valueOf(d, s.key)
      if (n === 0) return []
      const rect = html`<rect
        x="${x}"
        y="${round(y(base + n))}"
        width="${round(barWidth)}"
        height="${round(y(base) - y(base + n))}"
        fill="${s.colour}"
      />`
      base += n
      return [rect]
    })
    return html`<g data-day="${d.day}" data-fired="${d.fired}">
      <title>${dayTitle(d)}</title>
      <rect x="${round(PLOT.left + slot * i)}" y="${PLOT.top}" width="${round(slot)}" height="${plotHeight}" fill="transparent" />
      ${segments}
    </g>`
  })
  const legend = SERIES.map((s, i) => {
    const x = PLOT.left + i * LEGEND_SLOT
    return html`<rect x="${x}" y="14" width="14" height="14" rx="2" fill="${s.colour}" /><text x="${x + 20}" y="26">${s.label}</text>`
  })
  const empty =
    options.totals.fired === 0
      ? html`<text x="${PLOT.left + plotWidth / 2}" y="${PLOT.top + plotHeight / 2}" text-anchor="middle" font-size="15"
          >Not fired in these days</text
        >`
      : ''

  return html`<svg
    ${options.standalone ? html`xmlns="http://www.w3.org/2000/svg"` : ''}
    viewBox="0 0 ${WIDTH} ${HEIGHT}"
    width="${WIDTH}"
    height="${HEIGHT}"
    role="img"
    aria-labelledby="${options.id}-title ${options.id}-desc"
    font-family="system-ui, -apple-system, 'Segoe UI', sans-serif"
    font-size="14"
    fill="#4a5368"
  >
    <title id="${options.id}-title">${options.name}: fired per day, ${first} to ${last} (${options.timeZone})</title>
    <desc id="${options.id}-desc">
      ${describeTotals(options.totals)}${busiest ? ` Busiest day: ${busiest.day}, fired ${busiest.fired}.` : ''} Each bar is one day, as
      tall as the alert fired, split into sent, in a digest, failed, held back and pending or skipped.
    </desc>
    ${legend} ${gridLines} ${labels} ${bars} ${empty}
  </svg>`
}
