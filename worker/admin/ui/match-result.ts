// What wizard step B says about its test address: match or no match for the alert, then per
// row why, and what the matcher ignored. The same fragment fills the page (Test button, no
// script) and is fetched by the wizard's script as the marketer types.
import { html } from 'hono/html'
import type { MatchTestResult } from '../../alerts/match-test'

export type MatchView = { result: MatchTestResult | null; minSeconds: readonly string[] }

const seconds = (raw: string | undefined) => {
  const n = Number(raw)
  return Number.isFinite(n) && n > 0 ? `after ${n} s on the page` : 'as soon as the page opens'
}

/** Plain text with `backticked` parts shown as code, as the matcher's sentences write them. */
const withCode = (text: string) => text.split('`').map((part, i) => (i % 2 ? html`<code>${part}</code>` : part))

/** The inside of the result box (the box itself stays, so screen readers announce each change). */
export function matchResult({ result, minSeconds }: MatchView) {
  if (result === null) return html`<p class="muted">Type a page address to see whether this alert would fire there.</p>`
  if (!result.ok) return html`<p class="error" role="alert">${result.reason}</p>`
  const { test } = result
  const shown = test.rows.map((row, i) => ({ row, i })).filter(({ row }) => row.pattern.trim() !== '')
  if (shown.length === 0) return html`<p class="muted">Type a pattern in a row above to test it on this address.</p>`
  // A note every row has ("no domain in the pattern ...") is said once, below the rows.
  const common = (shown[0]?.row.notes ?? []).filter((note) => shown.every(({ row }) => row.notes.includes(note)))
  const first = shown.find(({ row }) => row.matches)
  const fires = first !== undefined && test.fromYourSites
  const verdict = fires
    ? html`<b>Match</b>: a contact on <code>${test.url}</code> triggers this alert (row ${first.i + 1}, ${seconds(minSeconds[first.i])}).`
    : first
      ? html`<b>Match, but never from your sites</b>: row ${first.i + 1} matches <code>${test.url}</code>, yet no event comes from there.`
      : html`<b>No match</b>: <code>${test.url}</code> does not trigger this alert.`
  const notes = [...common, ...test.notes]
  return html`<p class="verdict ${fires ? 'yes' : 'no'}" data-verdict="${fires ? 'match' : 'no-match'}">${verdict}</p>
    <ul class="row-results">
      ${shown.map(
        ({ row, i }) =>
          html`<li data-row="${i}" data-matches="${row.matches ? 'yes' : 'no'}">
            <span class="pill ${row.matches ? 'sent' : row.valid ? 'off' : 'failed'}"
              >${row.matches ? 'match' : row.valid ? 'no match' : 'invalid'}</span
            >
            Row ${i + 1} <code>${row.pattern}</code>${row.matches ? '' : html` — ${withCode(row.reason)}`}
            ${row.notes.filter((note) => !common.includes(note)).map((note) => html`<br /><span class="muted">${withCode(note)}</span>`)}
          </li>`,
      )}
    </ul>
    ${
      notes.length
        ? html`<ul class="notes">
            ${notes.map((n) => html`<li>${withCode(n)}</li>`)}
          </ul>`
        : ''
    }`
}
